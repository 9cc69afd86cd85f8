// Over 300 lines: one bin's log is one object whose parts (the group commit, eviction, the index,
// claims and cache kept in step with every line written) share its private state; split, each
// part would need all of it.

import path from 'node:path';
import { BodyFiles } from './body-files.js';
import { DeliveryClaims } from './delivery-claims.js';
import { appendOutcomes } from './append-outcomes.js';
import { GroupCommit, type Queued } from './group-commit.js';
import { RecordReader, type ReadOptions } from './record-reader.js';
import type { FileWriter } from '../files/file-writer.js';
import type { RecordCache } from './record-cache.js';
import { RequestIndex, type IndexEntry } from './request-index.js';
import { SegmentChain } from './segment-chain.js';
import { deleteLine, requestLineParts, watermarkLine } from './segment-lines.js';
import { INLINE_BODY_LIMIT, type Appended, type StoredRequest } from '../types.js';
import { EMPTY_USAGE, type BinUsage } from '../usage.js';
import { InFlight } from '../../in-flight.js';

export { SEGMENT_SIZE } from './segment-chain.js';

interface PendingAppend {
  record: StoredRequest;
  /** Settles when the body file (a large body) is durable; null when the body is inline, in the request's line. */
  bodyWritten: Promise<void> | null;
}

/**
 * The requests of one bin: on disk, a chain of append-only segment logs plus a file per large
 * body; in memory, only an index (where each request's line is, its time, cost and delivery
 * key) — the requests themselves are read from disk when asked for, through a record cache
 * shared by every bin (record-cache.ts), so memory follows --cache-size, not what is stored.
 *
 * Writes are serialised per bin and appends group-committed (group-commit.ts). A request becomes visible, and its append resolves, only
 * once its line is durable. Eviction past the cap is a watermark written in the same append;
 * old segments and bodies are deleted once nothing live is in them. Every write's last line
 * carries the bin's usage, so a listing can read it without opening the bin (segment-lines.ts).
 */
export class BinLog {
  readonly #chain: SegmentChain;
  readonly #bodies: BodyFiles;
  readonly #maxRequests: number;
  readonly #cache: RecordCache;
  readonly #index = new RequestIndex();
  readonly #claims = new DeliveryClaims();
  #watermark: string | null = null;
  readonly #reader: RecordReader;
  readonly #writes = new GroupCommit<PendingAppend, Appended>((batch) => this.#commitAppends(batch));
  /** Requests a lowered cap evicted when the log was opened, reported with the next append (Appended.evicted). */
  #evictedAtOpen = 0;
  /** Deletions of evicted files, waited for by flush(). */
  readonly #background = new InFlight();

  private constructor(dir: string, maxRequests: number, writer: FileWriter, cache: RecordCache) {
    this.#chain = new SegmentChain(path.join(dir, 'segments'), writer);
    this.#bodies = new BodyFiles(path.join(dir, 'bodies'), writer);
    this.#maxRequests = maxRequests;
    this.#cache = cache;
    this.#reader = new RecordReader(this.#chain, cache);
  }

  /** Opens (creating if needed) the log in `dir`, cleaning up whatever a crash left behind. */
  static async open(dir: string, maxRequests: number, writer: FileWriter, cache: RecordCache): Promise<BinLog> {
    const log = new BinLog(dir, maxRequests, writer, cache);
    await log.#load();
    return log;
  }

  get count(): number {
    return this.#index.length;
  }

  usage(): BinUsage {
    return this.#index.usage();
  }

  /** Estimated bytes the log holds in memory (the store's memory budget adds these up). */
  get heldSize(): number {
    return this.#index.heldSize + this.#writes.queued * 1024;
  }

  /**
   * Stores `record` with its body bytes; resolves once both are durable, with what it evicted.
   * The record's id must be newer than every id appended before it (ids come from one monotonic generator).
   */
  append(record: StoredRequest, body: Buffer): Promise<Appended> {
    if (body.length <= INLINE_BODY_LIMIT) return this.#writes.enqueue({ record, bodyWritten: null });
    const bodyWritten = this.#bodies.write(record.id, body);
    bodyWritten.catch(() => undefined); // observed by the commit; avoid an unhandled rejection meanwhile
    return this.#writes.enqueue({ record, bodyWritten });
  }

  async get(requestId: string): Promise<StoredRequest | undefined> {
    const entry = this.#index.get(requestId);
    return entry ? ((await this.#reader.read([entry]))[0] ?? undefined) : undefined;
  }

  /**
   * Newest first, at most `limit`, strictly older than `before` when given. For a search: `keep:
   * false` reads without keeping what was read in the cache, and requests whose line fails
   * `mayMatch` are left out unparsed (see Store.listRequests).
   */
  async list(limit: number, before?: string, { keep = true, mayMatch }: ReadOptions = {}): Promise<{ records: StoredRequest[]; nextBefore: string | null }> {
    const end = before === undefined ? this.#index.length : this.#index.firstAtOrAfter(before);
    const start = Math.max(0, end - limit);
    const entries: IndexEntry[] = [];
    for (let i = end - 1; i >= start; i--) entries.push(this.#index.at(i));
    const records = (await this.#reader.read(entries, { keep, mayMatch })).filter((r): r is StoredRequest => r !== null);
    return { records, nextBefore: start > 0 && entries.length > 0 ? entries[entries.length - 1]!.id : null };
  }

  /** Oldest first, strictly newer than `afterId` (null: from the oldest kept), at most `limit`. */
  async after(afterId: string | null, limit: number): Promise<StoredRequest[]> {
    let start = 0;
    if (afterId !== null) {
      start = this.#index.firstAtOrAfter(afterId);
      if (start < this.#index.length && this.#index.idAt(start) === afterId) start++;
    }
    const entries: IndexEntry[] = [];
    for (let i = start; i < Math.min(this.#index.length, start + limit); i++) entries.push(this.#index.at(i));
    return (await this.#reader.read(entries)).filter((r): r is StoredRequest => r !== null);
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
    return this.#writes.exclusive(async () => {
      const entry = this.#index.get(requestId);
      const current = entry ? (await this.#reader.read([entry]))[0] : null;
      if (!entry || !current) return undefined;
      const next = { ...update(current), id: current.id };
      const { cost, line } = requestLineParts(next, 'u');
      const usage = this.#index.usage();
      usage.dataSize += cost - entry.cost;
      const [position] = await this.#chain.append([line(usage)], () => this.#opening());
      const { seq, offset, length } = position!; // not its bytes: the index keeps no buffers
      this.#index.set({ ...entry, seq, offset, length, size: next.size, cost, key: next.checks?.deliveryKey });
      this.#cache.set(next, position!.length);
      this.#removeDead([]);
      return next;
    });
  }

  delete(requestId: string): Promise<boolean> {
    return this.#writes.exclusive(async () => {
      const entry = this.#index.get(requestId);
      if (!entry) return false;
      await this.#chain.append([deleteLine(requestId, this.#index.usageAfter([entry], []))], () => this.#opening());
      this.#index.remove(requestId);
      this.#claims.release([entry]);
      this.#cache.delete(requestId);
      await this.#bodies.removeIds(externalIds([entry]));
      this.#removeDead([]);
      return true;
    });
  }

  /** Removes every request; one watermark line makes it atomic. */
  clear(): Promise<number> {
    return this.#writes.exclusive(async () => {
      const count = this.#index.length;
      if (count === 0) return 0;
      const last = this.#index.idAt(count - 1);
      await this.#chain.append([watermarkLine(last, EMPTY_USAGE)], () => []);
      const removed = this.#index.shift(count);
      this.#watermark = last;
      this.#forget(removed);
      this.#removeDead(removed);
      return count;
    });
  }

  /** Resolves once every append and write requested so far has finished. */
  async flush(): Promise<void> {
    await this.#writes.flush();
    await this.#background.settled();
  }

  /** Waits for pending writes and removals, then lets go of the writer's descriptors; the log is not used again. */
  async close(): Promise<void> {
    await this.flush();
    await this.#chain.close();
  }

  /** A group commit: the appends whose body files are durable are written together. */
  async #commitAppends(queued: Queued<PendingAppend, Appended>[]): Promise<void> {
    // Inline bodies only (the common case): nothing to wait for, so no extra turns before the write.
    if (queued.every((q) => q.item.bodyWritten === null)) {
      await this.#commit(queued);
      return;
    }
    const bodies = await Promise.allSettled(queued.map((q) => q.item.bodyWritten ?? Promise.resolve()));
    const batch = queued.filter((q, i) => {
      const outcome = bodies[i]!;
      if (outcome.status === 'rejected') q.reject(outcome.reason);
      return outcome.status === 'fulfilled';
    });
    if (batch.length > 0) await this.#commit(batch);
  }

  async #commit(batch: Queued<PendingAppend, Appended>[]): Promise<void> {
    const records = batch.map((q) => q.item.record);
    const before = this.#index.length;
    const idAt = (k: number) => (k < before ? this.#index.idAt(k) : records[k - before]!.id);
    const outcomes = appendOutcomes(before, records.length, this.#maxRequests, idAt, this.#evictedAtOpen);
    // Past the cap, the oldest go: kept ones first, then (a batch larger than the cap) the batch's own.
    const evictCount = Math.max(0, this.#index.length + records.length - this.#maxRequests);
    const fromIndex = Math.min(evictCount, this.#index.length);
    const evictedNow = records.slice(0, evictCount - fromIndex);
    const kept = records.slice(evictedNow.length);
    const watermark = evictedNow.length > 0 ? evictedNow[evictedNow.length - 1]!.id : fromIndex > 0 ? this.#index.idAt(fromIndex - 1) : this.#watermark;

    const parts = records.map((r) => requestLineParts(r, 'r'));
    const added = kept.map((r, i) => {
      const { time, cost } = parts[evictedNow.length + i]!; // what the request's line head says
      return { id: r.id, time, size: r.size, cost, key: r.checks?.deliveryKey };
    });
    const evictedEntries: IndexEntry[] = [];
    for (let i = 0; i < fromIndex; i++) evictedEntries.push(this.#index.at(i));
    const usage = this.#index.usageAfter(evictedEntries, added);
    // The last line of the write carries the usage: the watermark's, or the last request's.
    const lines = parts.map((p, i) => p.line(i === parts.length - 1 && watermark === this.#watermark ? usage : undefined));
    if (watermark !== this.#watermark) lines.push(watermarkLine(watermark, usage));

    let positions;
    try {
      positions = await this.#chain.append(lines, () => this.#opening());
    } catch (error) {
      this.#claims.release(records.map((r) => ({ id: r.id, key: r.checks?.deliveryKey })));
      void this.#bodies.removeIds(records.filter((r) => !r.body).map((r) => r.id)).catch(() => undefined);
      for (const q of batch) q.reject(error);
      return;
    }
    const evicted = this.#index.shift(fromIndex);
    this.#watermark = watermark;
    this.#forget(evicted);
    this.#claims.release(evictedNow.map((r) => ({ id: r.id, key: r.checks?.deliveryKey })));
    added.forEach((entry, i) => {
      const position = positions[evictedNow.length + i]!;
      this.#index.set({
        id: entry.id,
        time: entry.time,
        size: entry.size,
        cost: entry.cost,
        key: entry.key,
        seq: position.seq,
        offset: position.offset,
        length: position.length,
      });
      this.#cache.setLine(entry.id, position.bytes);
    });
    this.#evictedAtOpen = 0;
    batch.forEach((q, i) => q.resolve(outcomes[i]!));
    this.#removeDead([...evicted, ...evictedNow.map((r) => ({ id: r.id, size: r.size }))]);
  }

  /** Lines a new segment starts with: the watermark, so the newest segment always knows it. */
  #opening(): string[] {
    return this.#watermark === null ? [] : [watermarkLine(this.#watermark)];
  }

  /** Requests that are gone from the index: their claims and cached copies go too. */
  #forget(entries: readonly IndexEntry[]): void {
    this.#claims.release(entries);
    for (const entry of entries) this.#cache.delete(entry.id);
  }

  /** In the background (flush() waits for it): deletes the bodies of `gone`, and segments nothing live is in. */
  #removeDead(gone: readonly { id: string; size: number }[]): void {
    const bodies = externalIds(gone);
    const isLive = (seq: number) => seq === this.#chain.newestSeq || this.#index.liveIn(seq) > 0;
    if (bodies.length === 0 && !this.#chain.hasDead(isLive)) return; // most commits: nothing to delete, no background work
    const work = Promise.all([this.#bodies.removeIds(bodies), this.#chain.removeDead(isLive)])
      .then(() => undefined)
      .catch((error: unknown) => console.error('hookscope: could not delete evicted files (they will be cleaned up at the next start)', error));
    this.#background.track(work);
  }

  async #load(): Promise<void> {
    let watermark: string | null = null;
    await this.#chain.load((seq, { offset, length, head }) => {
      if (head === null) return;
      if (head.kind === 'r' || head.kind === 'u')
        this.#index.set({ id: head.id, seq, offset, length, time: head.time, size: head.size, cost: head.cost, key: head.key });
      else if (head.kind === 'd') this.#index.remove(head.id);
      else if (head.id !== null && (watermark === null || head.id > watermark)) watermark = head.id;
    });
    this.#watermark = watermark;
    if (watermark !== null) this.#index.shiftThrough(watermark);
    // A lowered cap takes effect now, durably, so raising it again brings nothing back.
    const excess = this.#index.length - this.#maxRequests;
    if (excess > 0) {
      const mark = this.#index.idAt(excess - 1);
      const gone: IndexEntry[] = [];
      for (let i = 0; i < excess; i++) gone.push(this.#index.at(i));
      await this.#chain.append([watermarkLine(mark, this.#index.usageAfter(gone, []))], () => []);
      this.#index.shift(excess);
      this.#watermark = mark;
      this.#evictedAtOpen = excess;
    }
    this.#claims.rebuild(this.#index.keyHolders());
    await this.#bodies.removeOrphans((id) => this.#index.indexOf(id) !== -1);
    await this.#chain.removeDead((seq) => seq === this.#chain.newestSeq || this.#index.liveIn(seq) > 0);
  }
}

/** The ids of those requests whose body lives in its own file. */
function externalIds(entries: readonly { id: string; size: number }[]): string[] {
  return entries.filter((e) => e.size > INLINE_BODY_LIMIT).map((e) => e.id);
}
