import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { isRequestId } from '../../shared/ids.js';
import { unlinkIfPresent, writeAtomically } from './durable-file.js';
import { openSegment, parseSegmentFileName, type Segment } from './segment.js';
import type { StoredRequest } from './types.js';

/** Records per segment file: small enough that rewriting the newest one on each commit is cheap. */
export const SEGMENT_SIZE = 100;
/** Bodies larger than this live in their own file, written once, instead of inside a segment. */
export const INLINE_BODY_LIMIT = 64 * 1024;

interface QueuedAppend {
  record: StoredRequest;
  /** Settles when the body file (for large bodies) is durable. */
  bodyWritten: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The requests of one bin, on disk as a chain of lowdb segment files plus a file per large
 * body, and in memory as an ordered list.
 *
 * Appends are group-committed: all appends that arrive while a commit is in flight share the
 * next one, which rewrites only the newest segment. Eviction past the cap is recorded as a
 * watermark inside that same write; whole segments below it are deleted afterwards. Every
 * operation that writes runs under one per-bin lock, in call order.
 */
export class BinLog {
  readonly #segmentsDir: string;
  readonly #bodiesDir: string;
  readonly #maxRequests: number;
  #segments: Segment[] = [];
  /** Live requests, oldest first (ids increase along the list). */
  #records: StoredRequest[] = [];
  #segmentOf = new Map<string, Segment>();
  #watermark: string | null = null;
  #queue: QueuedAppend[] = [];
  #commitScheduled = false;
  #lock: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    maxRequests: number,
  ) {
    this.#segmentsDir = path.join(dir, 'segments');
    this.#bodiesDir = path.join(dir, 'bodies');
    this.#maxRequests = maxRequests;
  }

  /** Opens (creating if needed) the log in `dir`, cleaning up whatever a crash left behind. */
  static async open(dir: string, maxRequests: number): Promise<BinLog> {
    const log = new BinLog(dir, maxRequests);
    await log.#load();
    return log;
  }

  get count(): number {
    return this.#records.length;
  }

  /**
   * Stores `record` with its body bytes; resolves once both are durable. The record's id must
   * be newer than every id appended before it (ids come from one monotonic generator).
   */
  append(record: StoredRequest, body: Buffer): Promise<void> {
    const external = body.length > INLINE_BODY_LIMIT;
    const bodyWritten = external ? this.#writeBodyFile(record.id, body) : Promise.resolve();
    bodyWritten.catch(() => undefined); // observed by the commit; avoid an unhandled rejection meanwhile
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ record, bodyWritten, resolve, reject });
      if (!this.#commitScheduled) {
        this.#commitScheduled = true;
        void this.#exclusive(() => this.#commitQueued());
      }
    });
  }

  get(requestId: string): StoredRequest | undefined {
    return this.#segmentOf.has(requestId) ? this.#records[this.#indexOf(requestId)] : undefined;
  }

  /** Newest first, at most `limit`, strictly older than `before` when given. */
  list(limit: number, before?: string): { records: StoredRequest[]; nextBefore: string | null } {
    const end = before === undefined ? this.#records.length : this.#firstIndexAtOrAfter(before);
    const start = Math.max(0, end - limit);
    const records = this.#records.slice(start, end).reverse();
    return { records, nextBefore: start > 0 && records.length > 0 ? records[records.length - 1]!.id : null };
  }

  /** Oldest first, strictly newer than `afterId` (null: from the oldest kept), at most `limit`. */
  after(afterId: string | null, limit: number): StoredRequest[] {
    const start = afterId === null ? 0 : this.#firstIndexAfter(afterId);
    return this.#records.slice(start, start + limit);
  }

  newest(): StoredRequest | undefined {
    return this.#records[this.#records.length - 1];
  }

  async readBody(record: StoredRequest): Promise<Buffer> {
    if (record.body) return Buffer.from(record.body.data, record.body.encoding);
    return readFile(this.#bodyPath(record.id));
  }

  delete(requestId: string): Promise<boolean> {
    return this.#exclusive(async () => {
      const segment = this.#segmentOf.get(requestId);
      if (!segment) return false;
      const data = segment.db.data;
      segment.db.data = { ...data, records: data.records.filter((r) => r.id !== requestId) };
      try {
        await segment.db.write();
      } catch (error) {
        segment.db.data = data;
        throw error;
      }
      const record = this.#records.splice(this.#indexOf(requestId), 1)[0]!;
      this.#segmentOf.delete(requestId);
      await this.#removeBodies([record]);
      return true;
    });
  }

  /** Removes every request; the watermark written into the newest segment makes it atomic. */
  clear(): Promise<number> {
    return this.#exclusive(async () => {
      const newest = this.#segments[this.#segments.length - 1];
      const last = this.newest();
      if (!newest || !last) return 0;
      const data = newest.db.data;
      newest.db.data = { version: 1, evictedThrough: last.id, records: [] };
      try {
        await newest.db.write();
      } catch (error) {
        newest.db.data = data;
        throw error;
      }
      const removed = this.#records.length;
      const older = this.#segments.slice(0, -1);
      this.#segments = [newest];
      this.#records = [];
      this.#segmentOf.clear();
      this.#watermark = last.id;
      await Promise.all(older.map((s) => s.adapter.remove()));
      await rm(this.#bodiesDir, { recursive: true, force: true });
      await mkdir(this.#bodiesDir, { recursive: true });
      return removed;
    });
  }

  /** Resolves once every write requested so far has finished. */
  flush(): Promise<void> {
    return this.#exclusive(async () => undefined);
  }

  /** Waits for pending writes, then deletes the whole log from disk. */
  async destroy(): Promise<void> {
    await this.flush();
    await rm(this.dir, { recursive: true, force: true });
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(task);
    this.#lock = run.catch(() => undefined);
    return run;
  }

  async #commitQueued(): Promise<void> {
    this.#commitScheduled = false;
    const queued = this.#queue;
    this.#queue = [];
    const settled = await Promise.allSettled(queued.map((q) => q.bodyWritten));
    const batch = queued.filter((q, i) => {
      const outcome = settled[i]!;
      if (outcome.status === 'rejected') q.reject(outcome.reason);
      return outcome.status === 'fulfilled';
    });
    if (batch.length === 0) return;
    try {
      await this.#commit(batch.map((q) => q.record));
    } catch (error) {
      await this.#removeBodies(batch.map((q) => q.record)).catch(() => undefined);
      for (const q of batch) q.reject(error);
      return;
    }
    for (const q of batch) q.resolve();
  }

  async #commit(records: StoredRequest[]): Promise<void> {
    const evictCount = Math.max(0, this.#records.length + records.length - this.#maxRequests);
    const all = evictCount > 0 ? [...this.#records, ...records] : null;
    const watermark = all ? all[evictCount - 1]!.id : this.#watermark;

    const touched = this.#placeInSegments(records);
    const newest = touched[touched.length - 1]!;
    newest.segment.db.data = { ...newest.segment.db.data, evictedThrough: watermark };
    try {
      for (const { segment } of touched) await segment.db.write();
    } catch (error) {
      for (const t of touched) t.segment.db.data = t.previous;
      this.#segments = this.#segments.filter((s) => !touched.some((t) => t.created && t.segment === s));
      throw error;
    }

    for (const t of touched) for (const r of t.added) this.#segmentOf.set(r.id, t.segment);
    this.#records.push(...records);
    this.#watermark = watermark;
    if (evictCount > 0) await this.#evictOldest(evictCount);
  }

  /** Appends records to the newest segment, opening new ones as segments fill up. */
  #placeInSegments(records: StoredRequest[]) {
    const touched: { segment: Segment; previous: Segment['db']['data']; added: StoredRequest[]; created: boolean }[] = [];
    let remaining = records;
    while (remaining.length > 0) {
      let segment = this.#segments[this.#segments.length - 1];
      let created = false;
      if (!segment || segment.db.data.records.length >= SEGMENT_SIZE) {
        segment = openSegment(this.#segmentsDir, (segment?.seq ?? 0) + 1);
        this.#segments.push(segment);
        created = true;
      }
      const room = SEGMENT_SIZE - segment.db.data.records.length;
      const added = remaining.slice(0, room);
      remaining = remaining.slice(room);
      const previous = segment.db.data;
      segment.db.data = { ...previous, records: [...previous.records, ...added] };
      touched.push({ segment, previous, added, created });
    }
    return touched;
  }

  /** Drops the oldest `count` live requests (already covered by the durable watermark). */
  async #evictOldest(count: number): Promise<void> {
    const evicted = this.#records.splice(0, count);
    for (const r of evicted) this.#segmentOf.delete(r.id);
    const newest = this.#segments[this.#segments.length - 1];
    const dead = this.#segments.filter((s) => s !== newest && s.db.data.records.every((r) => !this.#segmentOf.has(r.id)));
    this.#segments = this.#segments.filter((s) => !dead.includes(s));
    await Promise.all([...dead.map((s) => s.adapter.remove()), this.#removeBodies(evicted)]);
  }

  async #removeBodies(records: StoredRequest[]): Promise<void> {
    await Promise.all(records.filter((r) => !r.body).map((r) => unlinkIfPresent(this.#bodyPath(r.id))));
  }

  #bodyPath(requestId: string): string {
    if (!isRequestId(requestId)) throw new Error(`refusing a body path for malformed request id ${JSON.stringify(requestId)}`);
    return path.join(this.#bodiesDir, `${requestId}.bin`);
  }

  #writeBodyFile(requestId: string, body: Buffer): Promise<void> {
    const file = this.#bodyPath(requestId);
    return writeAtomically(file, `${file}.tmp`, body);
  }

  #indexOf(requestId: string): number {
    const i = this.#firstIndexAtOrAfter(requestId);
    return this.#records[i]?.id === requestId ? i : -1;
  }

  /** Binary search: the first index whose id is >= `id` (ids increase along the list). */
  #firstIndexAtOrAfter(id: string): number {
    let low = 0;
    let high = this.#records.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#records[mid]!.id < id) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  #firstIndexAfter(id: string): number {
    const i = this.#firstIndexAtOrAfter(id);
    return this.#records[i]?.id === id ? i + 1 : i;
  }

  async #load(): Promise<void> {
    await mkdir(this.#segmentsDir, { recursive: true });
    await mkdir(this.#bodiesDir, { recursive: true });
    const names = await readdir(this.#segmentsDir);
    await Promise.all(names.filter((n) => n.endsWith('.tmp')).map((n) => unlinkIfPresent(path.join(this.#segmentsDir, n))));
    const seqs = names.map(parseSegmentFileName).filter((s): s is number => s !== null).sort((a, b) => a - b);
    for (const seq of seqs) {
      const segment = openSegment(this.#segmentsDir, seq);
      await segment.db.read();
      this.#segments.push(segment);
      const mark = segment.db.data.evictedThrough;
      if (mark !== null && (this.#watermark === null || mark > this.#watermark)) this.#watermark = mark;
    }
    for (const segment of this.#segments) {
      for (const record of segment.db.data.records) {
        if (this.#watermark !== null && record.id <= this.#watermark) continue;
        this.#records.push(record);
        this.#segmentOf.set(record.id, segment);
      }
    }
    // A lowered cap takes effect in memory now and on disk with the next commit's watermark.
    const excess = this.#records.length - this.#maxRequests;
    if (excess > 0) await this.#persistLoweredCap(excess);
    await this.#removeOrphanBodies();
  }

  /** Applies a cap lowered since the last run: moves the watermark durably past the excess. */
  async #persistLoweredCap(excess: number): Promise<void> {
    const newest = this.#segments[this.#segments.length - 1]!;
    this.#watermark = this.#records[excess - 1]!.id;
    newest.db.data = { ...newest.db.data, evictedThrough: this.#watermark };
    await newest.db.write();
    for (const r of this.#records.splice(0, excess)) this.#segmentOf.delete(r.id);
  }

  /** Deletes body files no live request refers to (left by a crash between two steps). */
  async #removeOrphanBodies(): Promise<void> {
    const names = await readdir(this.#bodiesDir);
    const orphans = names.filter((name) => {
      const id = name.endsWith('.bin') ? name.slice(0, -4) : null;
      return !(id !== null && isRequestId(id) && this.#segmentOf.has(id));
    });
    await Promise.all(orphans.map((name) => unlinkIfPresent(path.join(this.#bodiesDir, name))));
  }
}
