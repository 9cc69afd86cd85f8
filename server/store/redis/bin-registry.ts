import { BIN_SETTING_DEFAULTS, type StoredBin } from '../types.js';
import type { RedisConnection } from './connection.js';
import { BINS_CHANGED_CHANNEL, BINS_INDEX_KEY, binKeys, scriptKeys } from './keys.js';
import { DELETE_BIN, PATCH_BIN } from './scripts.js';

type Settings = Partial<Omit<StoredBin, 'id'>>;

/**
 * The bins, in Redis and in an in-memory copy that keeps `getBin`/`listBins` synchronous like
 * the embedded store's. The copy is loaded at start and kept current across instances: every
 * change publishes the bin id on `hookscope:bins:changed`, and each instance re-reads that bin
 * (a notice, not the data, so notices arriving out of order still converge on Redis' state).
 * After an outage the whole copy is reloaded, since notices sent meanwhile were lost.
 * A bin exists iff its settings hash does; the `hookscope:bins` set only indexes them (in
 * Cluster the two live on different shards, so creation adds to the index first and deletion
 * removes from it last: an interrupted change leaves a stale index entry, which is skipped).
 */
export class BinRegistry {
  #bins = new Map<string, StoredBin>();
  readonly #redis: RedisConnection;

  constructor(redis: RedisConnection) {
    this.#redis = redis;
  }

  /** Loads every bin and starts following other instances' changes. */
  async open(): Promise<void> {
    await this.#redis.subscriber.subscribe(BINS_CHANGED_CHANNEL, (binId) => void this.refresh(binId).catch(() => undefined));
    await this.reload();
    this.#redis.on('status', (available: boolean) => {
      if (available) this.reload().catch((error) => console.error('hookscope: could not reload bins from Redis', error));
    });
  }

  list(): StoredBin[] {
    return [...this.#bins.values()];
  }

  get(binId: string): StoredBin | undefined {
    return this.#bins.get(binId);
  }

  /** Reads one bin from Redis into the copy (undefined, and dropped from the copy, when it does not exist). */
  async refresh(binId: string): Promise<StoredBin | undefined> {
    const fields = await this.#redis.command<Record<string, string>>(['HGETALL', binKeys(binId).bin]);
    return this.#apply(binId, Object.entries(fields));
  }

  async create(bin: StoredBin): Promise<void> {
    const { id, ...settings } = bin;
    await this.#redis.command(['SADD', BINS_INDEX_KEY, id]);
    await this.#redis.command(['HSET', binKeys(id).bin, ...encode(settings)]);
    this.#bins.set(id, bin);
    this.#announce(id);
  }

  async update(binId: string, patch: Settings): Promise<StoredBin | undefined> {
    const keys = binKeys(binId);
    const flat = await this.#redis.script<string[] | null>(PATCH_BIN, scriptKeys(keys), [keys.bodyPrefix, keys.events, ...encode(patch)]);
    const bin = this.#apply(binId, pairs(flat ?? []));
    if (bin) this.#announce(binId);
    return bin;
  }

  async delete(binId: string): Promise<boolean> {
    const keys = binKeys(binId);
    const deleted = (await this.#redis.script<number>(DELETE_BIN, scriptKeys(keys), [keys.bodyPrefix, keys.events])) === 1;
    this.#bins.delete(binId);
    await this.#redis.command(['SREM', BINS_INDEX_KEY, binId]);
    if (deleted) this.#announce(binId);
    return deleted;
  }

  /** Replaces the copy with what Redis holds now. */
  async reload(): Promise<void> {
    const ids = await this.#redis.command<string[]>(['SMEMBERS', BINS_INDEX_KEY]);
    const all = await Promise.all(ids.map(async (id) => [id, await this.#redis.command<Record<string, string>>(['HGETALL', binKeys(id).bin])] as const));
    const next = new Map<string, StoredBin>();
    for (const [id, fields] of all) {
      const bin = decode(id, Object.entries(fields));
      if (bin) next.set(id, bin);
    }
    this.#bins = next;
  }

  #apply(binId: string, entries: [string, string][]): StoredBin | undefined {
    const bin = decode(binId, entries);
    if (bin) this.#bins.set(binId, bin);
    else this.#bins.delete(binId);
    return bin;
  }

  /** Tells the other instances; a lost notice only delays them until their next look-up or reload. */
  #announce(binId: string): void {
    this.#redis.command(['PUBLISH', BINS_CHANGED_CHANNEL, binId]).catch(() => undefined);
  }
}

/** Settings as hash fields, each value JSON (so null, booleans, arrays and schema objects round-trip). */
function encode(settings: Settings): string[] {
  return Object.entries(settings).flatMap(([field, value]) => (value === undefined ? [] : [field, JSON.stringify(value)]));
}

function decode(id: string, entries: [string, string][]): StoredBin | undefined {
  if (entries.length === 0) return undefined;
  const settings = Object.fromEntries(entries.map(([field, json]) => [field, JSON.parse(json) as unknown]));
  return { ...BIN_SETTING_DEFAULTS, ...settings, id } as StoredBin;
}

function pairs(flat: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}
