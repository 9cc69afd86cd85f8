import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { isBinId } from '../../shared/ids.js';
import { BinLog } from './bin-log.js';
import { DurableJsonFile } from './durable-file.js';
import { FileWriter } from './file-writer.js';
import { BIN_SETTING_DEFAULTS, type RequestPageResult, type Store, type StoredBin, type StoredRequest } from './types.js';

interface BinsFile {
  version: 1;
  bins: StoredBin[];
}

/**
 * The embedded store: the bin list in one lowdb file (`bins.json`), each bin's requests in a
 * BinLog under `bins/<binId>/`. Bin ids are validated before they become directory names.
 * Logs are opened on first use and stay open.
 */
export class LowdbStore implements Store {
  readonly #binsDir: string;
  readonly #maxRequestsPerBin: number;
  readonly #binsDb: Low<BinsFile>;
  readonly #writer = new FileWriter();
  #bins = new Map<string, StoredBin>();
  #logs = new Map<string, Promise<BinLog>>();
  /** Scripted-response sequence positions, `${binId} ${ruleId}` → next position. */
  #sequences = new Map<string, number>();

  private constructor(dataDir: string, maxRequestsPerBin: number) {
    this.#binsDir = path.join(dataDir, 'bins');
    this.#maxRequestsPerBin = maxRequestsPerBin;
    this.#binsDb = new Low<BinsFile>(new DurableJsonFile(path.join(dataDir, 'bins.json'), this.#writer), { version: 1, bins: [] });
  }

  static async open(dataDir: string, options: { maxRequestsPerBin: number }): Promise<LowdbStore> {
    const store = new LowdbStore(dataDir, options.maxRequestsPerBin);
    await mkdir(store.#binsDir, { recursive: true });
    await store.#binsDb.read();
    for (const bin of store.#binsDb.data.bins) store.#bins.set(bin.id, { ...BIN_SETTING_DEFAULTS, ...bin });
    await store.#removeDeletedBinDirs();
    return store;
  }

  listBins(): StoredBin[] {
    return [...this.#bins.values()];
  }

  getBin(binId: string): StoredBin | undefined {
    return this.#bins.get(binId);
  }

  /** Memory is the whole truth here: only this process writes the data dir. */
  async refreshBin(binId: string): Promise<StoredBin | undefined> {
    return this.#bins.get(binId);
  }

  async createBin(bin: StoredBin): Promise<void> {
    assertBinId(bin.id);
    await this.#changeBins(() => {
      this.#bins.set(bin.id, bin);
      return () => this.#bins.delete(bin.id);
    });
  }

  async updateBin(binId: string, patch: Partial<Omit<StoredBin, 'id' | 'createdAt'>>): Promise<StoredBin | undefined> {
    const current = this.#bins.get(binId);
    if (!current) return undefined;
    const updated = { ...current, ...patch };
    await this.#changeBins(() => {
      this.#bins.set(binId, updated);
      return () => this.#bins.set(binId, current);
    });
    return updated;
  }

  async deleteBin(binId: string): Promise<boolean> {
    const current = this.#bins.get(binId);
    if (!current) return false;
    await this.#changeBins(() => {
      this.#bins.delete(binId);
      return () => this.#bins.set(binId, current);
    });
    await this.resetSequences(binId);
    const log = this.#logs.get(binId);
    this.#logs.delete(binId);
    if (log) await (await log).destroy();
    else await rm(this.#binDir(binId), { recursive: true, force: true });
    return true;
  }

  async requestCount(binId: string): Promise<number> {
    return (await this.#log(binId))?.count ?? 0;
  }

  async appendRequest(record: StoredRequest, body: Buffer): Promise<void> {
    const log = await this.#log(record.binId);
    if (!log) throw new Error(`bin ${record.binId} does not exist`);
    await log.append(record, body);
  }

  async listRequests(binId: string, options: { limit: number; before?: string }): Promise<RequestPageResult> {
    const log = await this.#log(binId);
    return log ? log.list(options.limit, options.before) : { records: [], nextBefore: null };
  }

  async requestsAfter(binId: string, afterId: string | null, limit: number): Promise<StoredRequest[]> {
    return (await this.#log(binId))?.after(afterId, limit) ?? [];
  }

  async getRequest(binId: string, requestId: string): Promise<StoredRequest | undefined> {
    return (await this.#log(binId))?.get(requestId);
  }

  async readBody(record: StoredRequest): Promise<Buffer> {
    const log = await this.#log(record.binId);
    if (!log) throw new Error(`bin ${record.binId} does not exist`);
    return log.readBody(record);
  }

  async deleteRequest(binId: string, requestId: string): Promise<boolean> {
    return (await (await this.#log(binId))?.delete(requestId)) ?? false;
  }

  async clearRequests(binId: string): Promise<number> {
    return (await (await this.#log(binId))?.clear()) ?? 0;
  }

  async updateRequest(binId: string, requestId: string, update: (current: StoredRequest) => StoredRequest): Promise<StoredRequest | undefined> {
    return (await this.#log(binId))?.update(requestId, update);
  }

  async claimDelivery(binId: string, key: string, requestId: string): Promise<string | undefined> {
    return (await this.#log(binId))?.claimDelivery(key, requestId);
  }

  async findDelivery(binId: string, key: string): Promise<string | undefined> {
    return (await this.#log(binId))?.findDelivery(key);
  }

  async nextSequencePosition(binId: string, ruleId: string): Promise<number> {
    const key = `${binId} ${ruleId}`;
    const position = this.#sequences.get(key) ?? 0;
    this.#sequences.set(key, position + 1);
    return position;
  }

  async resetSequences(binId: string): Promise<void> {
    for (const key of this.#sequences.keys()) if (key.startsWith(`${binId} `)) this.#sequences.delete(key);
  }

  async close(): Promise<void> {
    const logs = await Promise.allSettled(this.#logs.values());
    await Promise.all(logs.map((l) => (l.status === 'fulfilled' ? l.value.flush() : undefined)));
    await this.#writer.close();
  }

  /** The bin's log, opened on first use; undefined for a bin that does not exist. */
  #log(binId: string): Promise<BinLog | undefined> {
    if (!this.#bins.has(binId)) return Promise.resolve(undefined);
    let log = this.#logs.get(binId);
    if (!log) {
      log = BinLog.open(this.#binDir(binId), this.#maxRequestsPerBin, this.#writer);
      log.catch(() => this.#logs.delete(binId)); // let a later call retry a failed open
      this.#logs.set(binId, log);
    }
    return log;
  }

  #binDir(binId: string): string {
    assertBinId(binId);
    return path.join(this.#binsDir, binId);
  }

  /**
   * Applies a change to the in-memory bin map at once (so concurrent changes build on each
   * other) and makes the whole map durable; `change` returns how to undo it if the write fails.
   */
  async #changeBins(change: () => () => void): Promise<void> {
    const undo = change();
    this.#binsDb.data = { version: 1, bins: [...this.#bins.values()] };
    try {
      await this.#binsDb.write();
    } catch (error) {
      undo();
      this.#binsDb.data = { version: 1, bins: [...this.#bins.values()] };
      throw error;
    }
  }

  /** A crash between saving bins.json and removing a deleted bin's files leaves a stray dir. */
  async #removeDeletedBinDirs(): Promise<void> {
    const names = await readdir(this.#binsDir);
    const stray = names.filter((name) => !this.#bins.has(name));
    await Promise.all(stray.map((name) => rm(path.join(this.#binsDir, name), { recursive: true, force: true })));
  }
}

function assertBinId(binId: string): void {
  if (!isBinId(binId)) throw new Error(`refusing a path for malformed bin id ${JSON.stringify(binId)}`);
}
