import path from 'node:path';
import { BodyFiles } from './body-files.js';
import { DeliveryClaims } from './delivery-claims.js';
import type { FileWriter } from './file-writer.js';
import { OrderedRequests } from './ordered-requests.js';
import { forgetCachedText, loadSegments, openSegment, type Segment } from './segment.js';
import type { StoredRequest } from './types.js';
import type { BinUsage } from './usage.js';

/**
 * Requests per segment file. Appends cost the same whatever the size; the size bounds what a
 * compaction rewrites and how much evicted data waits on disk until its whole segment goes.
 */
export const SEGMENT_SIZE = 256;
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
 * Commits posted to the writer and not yet durable; more appends wait and join the next one.
 * Measured (npm run bench, 50 connections): 1 gives the largest batches and the least CPU per
 * request; 2 or more made commits smaller and cost more than the overlap gained. The code keeps
 * the pipeline general so a faster disk or a multi-writer store can raise it.
 */
const MAX_COMMITS_IN_FLIGHT = 1;

/**
 * The requests of one bin, on disk as a chain of lowdb segment files plus a file per large
 * body, and in memory as an ordered list.
 *
 * Appends are group-committed: appends that arrive while commits are in flight share the next
 * commit, which appends only to the newest segment. Commits can be pipelined (see
 * MAX_COMMITS_IN_FLIGHT): the writer thread runs jobs in order, so a later write always lands
 * after an earlier one. A request becomes visible, and its
 * append resolves, only once its commit is durable. Eviction past the cap is recorded as a
 * watermark inside the same write; old segments and bodies are deleted once that is durable.
 * Preparing commits, deletes and clears run under one per-bin lock, in call order.
 */
export class BinLog {
  readonly #segmentsDir: string;
  readonly #bodies: BodyFiles;
  readonly #maxRequests: number;
  #segments: Segment[] = [];
  /** Visible requests: durable and not evicted. */
  readonly #records = new OrderedRequests();
  /** Requests in commits not yet durable, oldest first; they follow #records. */
  #unconfirmed: StoredRequest[] = [];
  #segmentOf = new Map<string, Segment>();
  #watermark: string | null = null;
  readonly #claims = new DeliveryClaims();
  #queue: QueuedAppend[] = [];
  #commitScheduled = false;
  #commitsInFlight = 0;
  #writesInFlight = new Set<Promise<unknown>>();
  #lock: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    maxRequests: number,
    private readonly writer: FileWriter,
  ) {
    this.#segmentsDir = path.join(dir, 'segments');
    this.#bodies = new BodyFiles(path.join(dir, 'bodies'), writer);
    this.#maxRequests = maxRequests;
  }

  /** Opens (creating if needed) the log in `dir`, cleaning up whatever a crash left behind. */
  static async open(dir: string, maxRequests: number, writer: FileWriter): Promise<BinLog> {
    const log = new BinLog(dir, maxRequests, writer);
    await log.#load();
    return log;
  }

  get count(): number {
    return this.#records.length;
  }

  usage(): BinUsage {
    return this.#records.usage();
  }

  /** Estimated bytes the log holds in memory (the store's memory budget adds these up). */
  get heldSize(): number {
    return this.#records.heldSize + this.#unconfirmed.length * 1024;
  }

  /**
   * Stores `record` with its body bytes; resolves once both are durable. The record's id must
   * be newer than every id appended before it (ids come from one monotonic generator).
   */
  append(record: StoredRequest, body: Buffer): Promise<void> {
    const external = body.length > INLINE_BODY_LIMIT;
    const bodyWritten = external ? this.#bodies.write(record.id, body) : Promise.resolve();
    bodyWritten.catch(() => undefined); // observed by the commit; avoid an unhandled rejection meanwhile
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ record, bodyWritten, resolve, reject });
      this.#scheduleCommit();
    });
  }

  get(requestId: string): StoredRequest | undefined {
    return this.#records.get(requestId);
  }

  /** Newest first, at most `limit`, strictly older than `before` when given. */
  list(limit: number, before?: string): { records: StoredRequest[]; nextBefore: string | null } {
    return this.#records.page(limit, before);
  }

  /** Oldest first, strictly newer than `afterId` (null: from the oldest kept), at most `limit`. */
  after(afterId: string | null, limit: number): StoredRequest[] {
    return this.#records.after(afterId, limit);
  }

  newest(): StoredRequest | undefined {
    return this.#records.newest();
  }

  /** See Store.claimDelivery: synchronous here, so claims are atomic within the process. */
  claimDelivery(key: string, requestId: string): string | undefined {
    return this.#claims.claim(key, requestId);
  }

  findDelivery(key: string): string | undefined {
    return this.#claims.find(key);
  }

  readBody(record: StoredRequest): Promise<Buffer> {
    return this.#bodies.read(record);
  }

  /** Replaces a visible request with `update(current)`; undefined when it is not there. */
  update(requestId: string, update: (current: StoredRequest) => StoredRequest): Promise<StoredRequest | undefined> {
    return this.#exclusive(async () => {
      const current = this.#records.get(requestId);
      const segment = this.#segmentOf.get(requestId);
      if (!current || !segment) return undefined;
      const next = { ...update(current), id: current.id };
      await this.#rewrite(segment, (records) => records.map((r) => (r.id === requestId ? next : r)));
      this.#records.replace(next);
      return next;
    });
  }

  delete(requestId: string): Promise<boolean> {
    return this.#exclusive(async () => {
      const segment = this.#segmentOf.get(requestId);
      if (!segment || this.#records.indexOf(requestId) === -1) return false; // unknown, or not yet visible
      await this.#rewrite(segment, (records) => records.filter((r) => r.id !== requestId));
      const record = this.#records.remove(requestId)!;
      this.#segmentOf.delete(requestId);
      this.#claims.release([record]);
      await this.#bodies.remove([record]);
      return true;
    });
  }

  /** Removes every request; the watermark written into the newest segment makes it atomic. */
  clear(): Promise<number> {
    return this.#exclusive(async () => {
      const newest = this.#segments[this.#segments.length - 1];
      const last = this.#unconfirmed[this.#unconfirmed.length - 1] ?? this.#records.newest();
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
      this.#records.clear();
      this.#unconfirmed = []; // commits in flight were received before the clear: cleared too
      this.#claims.clear();
      this.#segmentOf.clear();
      this.#watermark = last.id;
      await Promise.all(older.map((s) => s.adapter.remove()));
      await this.#bodies.removeAll();
      return removed;
    });
  }

  /** Resolves once every append and write requested so far has finished. */
  async flush(): Promise<void> {
    while (this.#queue.length > 0 || this.#commitScheduled || this.#commitsInFlight > 0) {
      await this.#lock;
      await Promise.allSettled([...this.#writesInFlight]);
      if (this.#queue.length > 0 && !this.#commitScheduled && this.#commitsInFlight === 0) this.#scheduleCommit();
    }
    await this.#lock;
    await Promise.allSettled([...this.#writesInFlight]); // removals of evicted files
  }

  /** Waits for pending writes and removals, then lets go of the writer's descriptors; the log is not used again. */
  async close(): Promise<void> {
    await this.flush();
    await Promise.all(this.#segments.map((s) => s.adapter.close()));
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(task);
    this.#lock = run.catch(() => undefined);
    return run;
  }

  /** Rewrites one segment's records durably (an update or a delete); memory is restored if it fails. */
  async #rewrite(segment: Segment, change: (records: StoredRequest[]) => StoredRequest[]): Promise<void> {
    const data = segment.db.data;
    segment.db.data = { ...data, records: change(data.records) };
    try {
      await segment.db.write();
    } catch (error) {
      segment.db.data = data;
      throw error;
    }
  }

  #scheduleCommit(): void {
    if (this.#commitScheduled || this.#queue.length === 0 || this.#commitsInFlight >= MAX_COMMITS_IN_FLIGHT) return;
    this.#commitScheduled = true;
    void this.#exclusive(() => this.#commitQueued());
  }

  /** Takes every queued append into one commit and posts its writes; does not wait for them. */
  async #commitQueued(): Promise<void> {
    this.#commitScheduled = false;
    const queued = this.#queue;
    this.#queue = [];
    const bodies = await Promise.allSettled(queued.map((q) => q.bodyWritten));
    const batch = queued.filter((q, i) => {
      const outcome = bodies[i]!;
      if (outcome.status === 'rejected') q.reject(outcome.reason);
      return outcome.status === 'fulfilled';
    });
    if (batch.length === 0) return this.#scheduleCommit();
    const records = batch.map((q) => q.record);
    const { written, evicted, deadSegments } = this.#prepareCommit(records);
    this.#commitsInFlight++;
    const done = written
      .then(
        () => {
          this.#confirm(records);
          for (const q of batch) q.resolve();
          this.#track(this.#removeEvicted(evicted, deadSegments));
        },
        (error: unknown) => {
          this.#forget(records);
          void this.#bodies.remove(records).catch(() => undefined);
          for (const q of batch) q.reject(error);
        },
      )
      .finally(() => {
        this.#commitsInFlight--;
        this.#writesInFlight.delete(done);
        this.#scheduleCommit();
      });
    this.#writesInFlight.add(done);
  }

  /** Makes flush() (and so close()) wait for `work`, which must not reject. */
  #track(work: Promise<void>): void {
    this.#writesInFlight.add(work);
    void work.finally(() => this.#writesInFlight.delete(work));
  }

  /**
   * Places `records` in segments, evicts past the cap (in memory now, on disk by the watermark
   * written with them), and posts the writes. Synchronous from start to posting, so commits
   * are posted in the order they were prepared.
   */
  #prepareCommit(records: StoredRequest[]) {
    const evictCount = Math.max(0, this.#records.length + this.#unconfirmed.length + records.length - this.#maxRequests);
    const fromVisible = this.#records.shift(evictCount);
    const fromUnconfirmed = this.#unconfirmed.splice(0, evictCount - fromVisible.length);
    const fromBatch = records.slice(0, evictCount - fromVisible.length - fromUnconfirmed.length);
    const evicted = [...fromVisible, ...fromUnconfirmed, ...fromBatch];
    if (evicted.length > 0) this.#watermark = evicted[evicted.length - 1]!.id;
    for (const r of evicted) this.#segmentOf.delete(r.id);
    this.#claims.release(evicted);

    const touched = this.#placeInSegments(records);
    const newest = touched[touched.length - 1]!;
    newest.segment.db.data = { ...newest.segment.db.data, evictedThrough: this.#watermark };
    for (const t of touched) for (const r of t.added) if (!fromBatch.includes(r)) this.#segmentOf.set(r.id, t.segment);
    this.#unconfirmed.push(...records.slice(fromBatch.length));

    const deadSegments = evicted.length === 0 ? [] : this.#segments.filter((s) => s !== newest.segment && s.db.data.records.every((r) => !this.#segmentOf.has(r.id)));
    this.#segments = this.#segments.filter((s) => !deadSegments.includes(s));
    const written = Promise.all(touched.map(({ segment }) => segment.db.write()));
    return { written, evicted, deadSegments };
  }

  /** A commit is durable: its requests (those not evicted meanwhile) become visible. */
  #confirm(records: StoredRequest[]): void {
    const ids = new Set(records.map((r) => r.id));
    let n = 0;
    while (n < this.#unconfirmed.length && ids.has(this.#unconfirmed[n]!.id)) n++;
    this.#records.push(...this.#unconfirmed.splice(0, n));
  }

  /** A commit failed: its requests are dropped from memory (a later write may still hold them). */
  #forget(records: StoredRequest[]): void {
    const ids = new Set(records.map((r) => r.id));
    this.#unconfirmed = this.#unconfirmed.filter((r) => !ids.has(r.id));
    for (const r of records) this.#segmentOf.delete(r.id);
    this.#claims.release(records);
    for (const segment of this.#segments) {
      if (segment.db.data.records.some((r) => ids.has(r.id))) {
        segment.db.data = { ...segment.db.data, records: segment.db.data.records.filter((r) => !ids.has(r.id)) };
      }
    }
  }

  /** After the watermark is durable: delete what it covers. */
  async #removeEvicted(evicted: StoredRequest[], deadSegments: Segment[]): Promise<void> {
    try {
      await Promise.all([...deadSegments.map((s) => s.adapter.remove()), this.#bodies.remove(evicted)]);
    } catch (error) {
      console.error('hookscope: could not delete evicted files (they will be cleaned up at the next start)', error);
    }
  }

  /** Appends records to the newest segment, opening new ones as segments fill up. */
  #placeInSegments(records: StoredRequest[]) {
    const touched: { segment: Segment; added: StoredRequest[] }[] = [];
    let remaining = records;
    while (remaining.length > 0) {
      let segment = this.#segments[this.#segments.length - 1];
      if (!segment || segment.db.data.records.length >= SEGMENT_SIZE) {
        if (segment) forgetCachedText(segment);
        segment = openSegment(this.#segmentsDir, (segment?.seq ?? 0) + 1, this.writer);
        this.#segments.push(segment);
      }
      const room = SEGMENT_SIZE - segment.db.data.records.length;
      const added = remaining.slice(0, room);
      remaining = remaining.slice(room);
      segment.db.data = { ...segment.db.data, records: [...segment.db.data.records, ...added] };
      touched.push({ segment, added });
    }
    return touched;
  }

  async #load(): Promise<void> {
    const { segments, watermark } = await loadSegments(this.#segmentsDir, this.writer);
    this.#segments = segments;
    this.#watermark = watermark;
    for (const segment of segments) {
      for (const record of segment.db.data.records) {
        if (watermark !== null && record.id <= watermark) continue;
        this.#records.push(record);
        this.#segmentOf.set(record.id, segment);
      }
    }
    // A lowered cap takes effect in memory now and on disk with the next commit's watermark.
    const excess = this.#records.length - this.#maxRequests;
    if (excess > 0) await this.#persistLoweredCap(excess);
    this.#claims.rebuild(this.#records.all());
    await this.#bodies.removeOrphans((id) => this.#segmentOf.has(id));
  }

  /** Applies a cap lowered since the last run: moves the watermark durably past the excess. */
  async #persistLoweredCap(excess: number): Promise<void> {
    const newest = this.#segments[this.#segments.length - 1]!;
    this.#watermark = this.#records.all()[excess - 1]!.id;
    newest.db.data = { ...newest.db.data, evictedThrough: this.#watermark };
    await newest.db.write();
    for (const r of this.#records.shift(excess)) this.#segmentOf.delete(r.id);
  }
}
