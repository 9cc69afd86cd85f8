import { ErrorReply } from '@redis/client';
import { BinGoneError } from '../errors.js';
import {
  INLINE_BODY_LIMIT,
  type Appended,
  type ListOptions,
  type RequestPageResult,
  type Store,
  type StoredBin,
  type StoredRequest,
  type SummaryPage,
} from '../types.js';
import type { BinUsage } from '../usage.js';
import { BinRegistry } from './bin-registry.js';
import type { RedisConnection } from './connection.js';
import { newSessionEpoch } from '../session-epoch.js';
import { binKeys, scriptKeys, SESSION_EPOCH_KEY } from './keys.js';
import { binUsage, headOf } from './bin-usage.js';
import { APPEND, CLAIM, CLEAR, DELETE, FIND, READ, READ_SUMMARIES, UPDATE, type Script } from './scripts.js';
import { keptSummary, summaryPage } from './summaries.js';

/**
 * A delivery claim whose request is not stored (yet) counts for this long after the claim's id
 * was made: long enough for a capture to go from claiming to storing, short enough that a
 * capture that failed after claiming (Redis lost mid-way) does not brand the sender's retry,
 * which comes after Retry-After, as a duplicate of a request that was never stored.
 */
const PENDING_CLAIM_MS = 4000;
/** Times an update is retried when another instance changed the request in between. */
const UPDATE_ATTEMPTS = 5;

/**
 * The Store on Redis, shared by any number of hookscope instances (key layout in keys.ts). Every
 * change of a bin is one Lua script on that bin's keys, so it is atomic and publishes its live
 * event in the same step. A promise resolves once Redis acknowledged the write: with
 * `appendonly yes` and `appendfsync always`, that is once it is on disk.
 *
 * Ids: where the embedded store relies on one process making every id, here several do, so
 * appendRequest stores a request under an id newer than every id the bin ever had: its own
 * when it is (the usual case), else the successor of the newest, and `record.id` is updated.
 * Ids thus always increase in storing order, which paging, resync and live order rely on.
 */
export class RedisStore implements Store {
  readonly #bins: BinRegistry;
  readonly #redis: RedisConnection;
  readonly #maxRequestsPerBin: number;

  private constructor(redis: RedisConnection, maxRequestsPerBin: number) {
    this.#redis = redis;
    this.#maxRequestsPerBin = maxRequestsPerBin;
    this.#bins = new BinRegistry(redis);
  }

  /** Loads the bins; the store then owns the connection (close() closes it). */
  static async open(redis: RedisConnection, options: { maxRequestsPerBin: number }): Promise<RedisStore> {
    const store = new RedisStore(redis, options.maxRequestsPerBin);
    await store.#bins.open();
    return store;
  }

  listBins(): StoredBin[] {
    return this.#bins.list();
  }

  getBin(binId: string): StoredBin | undefined {
    return this.#bins.get(binId);
  }

  refreshBin(binId: string): Promise<StoredBin | undefined> {
    return this.#bins.refresh(binId);
  }

  createBin(bin: StoredBin): Promise<void> {
    return this.#bins.create(bin);
  }

  updateBin(binId: string, patch: Partial<Omit<StoredBin, 'id' | 'createdAt'>>): Promise<StoredBin | undefined> {
    return this.#bins.update(binId, patch);
  }

  async deleteBin(binId: string): Promise<boolean> {
    const deleted = await this.#bins.delete(binId);
    if (deleted) await this.resetSequences(binId);
    return deleted;
  }

  /** HINCRBY is atomic: every instance walks the same sequence. */
  async nextSequencePosition(binId: string, ruleId: string): Promise<number> {
    return (await this.#redis.command<number>(['HINCRBY', binKeys(binId).seq, ruleId, '1'])) - 1;
  }

  /**
   * One key for every instance, so a logout on one ends the session everywhere. SET NX makes the
   * first epoch once, whoever asks first; GET then reads the winner's.
   */
  async sessionEpoch(): Promise<string> {
    const current = await this.#redis.command<string | null>(['GET', SESSION_EPOCH_KEY]);
    if (current !== null) return current;
    await this.#redis.command(['SET', SESSION_EPOCH_KEY, newSessionEpoch(), 'NX']);
    return (await this.#redis.command<string | null>(['GET', SESSION_EPOCH_KEY]))!;
  }

  async bumpSessionEpoch(): Promise<string> {
    const epoch = newSessionEpoch();
    await this.#redis.command(['SET', SESSION_EPOCH_KEY, epoch]);
    return epoch;
  }

  async resetSequences(binId: string): Promise<void> {
    await this.#redis.command(['UNLINK', binKeys(binId).seq]);
  }

  requestCount(binId: string): Promise<number> {
    return this.#redis.command<number>(['ZCARD', binKeys(binId).ids]);
  }

  /** From the bin's heads and running size, without reading a record (bin-usage.ts). */
  binUsage(binId: string): Promise<BinUsage> {
    return binUsage({
      redis: this.#redis,
      binId,
      run: (script, args) => this.#run(script, binId, args),
      toRecord: (id, json) => fromJson(binId, id, json),
      requestsAfter: (after, limit) => this.requestsAfter(binId, after, limit),
    });
  }

  async appendRequest(record: StoredRequest, body: Buffer): Promise<Appended> {
    const external = body.length > INLINE_BODY_LIMIT;
    const duplicateOf = record.checks?.duplicateOf ?? '';
    const json = toJson(record);
    const args = [
      record.id,
      json,
      external ? '1' : '0',
      external ? body : '',
      String(this.#maxRequestsPerBin),
      record.checks?.deliveryKey ?? '',
      duplicateOf,
      headOf(record),
      keptSummary(record, json),
    ];
    try {
      const [id, storedDuplicateOf, evicted, oldestKept] = await this.#run<[string, string, number, string]>(APPEND, record.binId, args);
      record.id = id;
      // The original was stored under another id than it claimed with: the duplicate follows it.
      if (record.checks && storedDuplicateOf !== duplicateOf) record.checks = { ...record.checks, duplicateOf: storedDuplicateOf };
      return { evicted, atCap: oldestKept === '' ? null : { oldestKept, limit: this.#maxRequestsPerBin } };
    } catch (error) {
      if (!(error instanceof ErrorReply) || !error.message.includes('HOOKSCOPE_NO_BIN')) throw error;
      // Deleted, likely through another instance whose notice has not arrived yet.
      await this.#bins.refresh(record.binId).catch(() => undefined);
      throw new BinGoneError(record.binId);
    }
  }

  /** Records whose stored JSON fails `mayMatch` are left out before they are parsed. */
  async listRequests(binId: string, options: ListOptions): Promise<RequestPageResult> {
    const bound = options.before === undefined ? '+' : `(${options.before}`;
    const found = await this.#readStored(binId, 'newest', bound, options.limit + 1);
    const looked = found.slice(0, options.limit);
    const kept = options.mayMatch ? looked.filter(([, json]) => options.mayMatch!(json)) : looked;
    return {
      records: kept.map(([id, json]) => fromJson(binId, id, json)),
      nextBefore: found.length > options.limit && looked.length > 0 ? looked[looked.length - 1]![0] : null,
    };
  }

  /** From the summaries kept beside large records (and small records themselves): a page reads no large body. */
  async listSummaries(binId: string, options: { limit: number; before?: string }): Promise<SummaryPage> {
    if (options.limit <= 0) return { summaries: [], nextBefore: null };
    const flat = await this.#run<(string | null)[]>(READ_SUMMARIES, binId, [
      options.before === undefined ? '+' : `(${options.before}`,
      String(options.limit + 1),
    ]);
    return summaryPage(binId, flat, options.limit, (id, json) => fromJson(binId, id, json));
  }

  async requestsAfter(binId: string, afterId: string | null, limit: number): Promise<StoredRequest[]> {
    return (await this.#readStored(binId, 'oldest', afterId === null ? '-' : `(${afterId}`, limit)).map(([id, json]) => fromJson(binId, id, json));
  }

  async getRequest(binId: string, requestId: string): Promise<StoredRequest | undefined> {
    const json = await this.#redis.command<string | null>(['HGET', binKeys(binId).req, requestId]);
    return json === null ? undefined : fromJson(binId, requestId, json);
  }

  async readBody(record: StoredRequest): Promise<Buffer> {
    if (record.body) return Buffer.from(record.body.data, record.body.encoding);
    const bytes = await this.#redis.command<Buffer | null>(['GET', `${binKeys(record.binId).bodyPrefix}${record.id}`], { buffers: true });
    if (bytes === null) throw new Error(`the body of request ${record.id} is gone (deleted or evicted)`);
    return bytes;
  }

  async deleteRequest(binId: string, requestId: string): Promise<boolean> {
    return (await this.#run<number>(DELETE, binId, [requestId])) === 1;
  }

  clearRequests(binId: string): Promise<number> {
    return this.#run<number>(CLEAR, binId, []);
  }

  async updateRequest(binId: string, requestId: string, update: (current: StoredRequest) => StoredRequest): Promise<StoredRequest | undefined> {
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const json = await this.#redis.command<string | null>(['HGET', binKeys(binId).req, requestId]);
      if (json === null) return undefined;
      const next = { ...update(fromJson(binId, requestId, json)), id: requestId, binId };
      const nextJson = toJson(next);
      const outcome = await this.#run<number>(UPDATE, binId, [requestId, json, nextJson, headOf(next), keptSummary(next, nextJson)]);
      if (outcome === 0) return undefined;
      if (outcome === 1) return next;
    }
    throw new Error(`request ${requestId} kept changing; its update was not applied`);
  }

  async claimDelivery(binId: string, key: string, requestId: string): Promise<string | undefined> {
    return (await this.#run<string | null>(CLAIM, binId, [key, requestId, staleClaimCutoff()])) ?? undefined;
  }

  async findDelivery(binId: string, key: string): Promise<string | undefined> {
    return (await this.#run<string | null>(FIND, binId, [key, staleClaimCutoff()])) ?? undefined;
  }

  /** Replies in flight are awaited (each write is a single script: none is left half done). */
  close(): Promise<void> {
    return this.#redis.close();
  }

  #run<T>(script: Script, binId: string, args: (string | Buffer)[]): Promise<T> {
    const keys = binKeys(binId);
    return this.#redis.script<T>(script, scriptKeys(keys), [keys.bodyPrefix, keys.events, ...args]);
  }

  /** [id, stored JSON] pairs, read in one atomic step. */
  async #readStored(binId: string, order: 'newest' | 'oldest', bound: string, limit: number): Promise<[string, string][]> {
    const count = limit >= Number.MAX_SAFE_INTEGER ? -1 : limit;
    if (count === 0) return [];
    const flat = await this.#run<(string | null)[]>(READ, binId, [order, bound, String(count)]);
    const found: [string, string][] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) if (flat[i + 1] !== null) found.push([flat[i]!, flat[i + 1]!]);
    return found;
  }
}

/**
 * The stored form: the record without id and binId, which the keys already carry (so an id can
 * change). It is also the stored text a search's `mayMatch` is given.
 */
export function toJson(record: StoredRequest): string {
  const { id: _id, binId: _binId, ...rest } = record;
  return JSON.stringify(rest);
}

function fromJson(binId: string, id: string, json: string): StoredRequest {
  return toRecord(binId, id, JSON.parse(json));
}

/** A record from its stored form (parsed) and the id and bin its keys name. */
export function toRecord(binId: string, id: string, stored: unknown): StoredRequest {
  return { id, binId, ...(stored as Omit<StoredRequest, 'id' | 'binId'>) };
}

/** The smallest ULID made PENDING_CLAIM_MS ago: pending claims with a smaller id are stale. */
function staleClaimCutoff(): string {
  const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let time = Math.max(0, Date.now() - PENDING_CLAIM_MS);
  let prefix = '';
  for (let i = 0; i < 10; i++) {
    prefix = CROCKFORD[time % 32]! + prefix;
    time = Math.floor(time / 32);
  }
  return prefix.padEnd(26, '0');
}
