import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { isBinId } from '../../shared/ids.js';
import { BinLog } from './bin-log.js';
import { DurableJsonFile } from './durable-file.js';
import { FileWriter } from './file-writer.js';
import { OpenLogs, type OpenLogsLimits } from './open-logs.js';
import { SessionEpochFile } from './session-epoch-file.js';
import { BIN_SETTING_DEFAULTS, type RequestPageResult, type Store, type StoredBin, type StoredRequest } from './types.js';
import { EMPTY_USAGE, type BinUsage } from './usage.js';

interface BinsFile {
  version: 1;
  bins: StoredBin[];
}

export interface LowdbStoreOptions {
  maxRequestsPerBin: number;
  /** Memory for the requests of open bins (see OpenLogs); defaults to DEFAULT_LOG_LIMITS. */
  logLimits?: Partial<OpenLogsLimits>;
}

export const DEFAULT_LOG_LIMITS: OpenLogsLimits = Object.freeze({ maxHeldBytes: 256 * 1024 * 1024, maxOpen: 200, minOpenMs: 5000 });

/**
 * The embedded store: the bin list in one lowdb file (`bins.json`), each bin's requests in a
 * BinLog under `bins/<binId>/`. Bin ids are validated before they become directory names.
 * Logs are opened on first use and closed again, least recently used first, past a memory
 * budget (open-logs.ts).
 */
export class LowdbStore implements Store {
  readonly #binsDir: string;
  readonly #maxRequestsPerBin: number;
  readonly #binsDb: Low<BinsFile>;
  readonly #writer = new FileWriter();
  #bins = new Map<string, StoredBin>();
  readonly #logs: OpenLogs;
  /** Usage of bins not opened since the start is read one bin at a time, so a listing stays within the budget. */
  #coldUsage: Promise<unknown> = Promise.resolve();
  /** Scripted-response sequence positions, `${binId} ${ruleId}` → next position. */
  #sequences = new Map<string, number>();
  readonly #sessionEpoch: SessionEpochFile;

  private constructor(dataDir: string, options: LowdbStoreOptions) {
    this.#binsDir = path.join(dataDir, 'bins');
    this.#maxRequestsPerBin = options.maxRequestsPerBin;
    this.#binsDb = new Low<BinsFile>(new DurableJsonFile(path.join(dataDir, 'bins.json'), this.#writer), { version: 1, bins: [] });
    this.#sessionEpoch = new SessionEpochFile(dataDir, this.#writer);
    this.#logs = new OpenLogs((binId) => BinLog.open(this.#binDir(binId), this.#maxRequestsPerBin, this.#writer), { ...DEFAULT_LOG_LIMITS, ...options.logLimits });
  }

  static async open(dataDir: string, options: LowdbStoreOptions): Promise<LowdbStore> {
    const store = new LowdbStore(dataDir, options);
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
    const log = await this.#logs.take(binId);
    if (log) await log.destroy();
    else await rm(this.#binDir(binId), { recursive: true, force: true });
    return true;
  }

  async requestCount(binId: string): Promise<number> {
    return (await this.binUsage(binId)).count;
  }

  binUsage(binId: string): Promise<BinUsage> {
    if (!this.#bins.has(binId)) return Promise.resolve(EMPTY_USAGE);
    const known = this.#logs.knownUsage(binId);
    if (known) return Promise.resolve(known);
    const usage = this.#coldUsage.then(() => this.#withLog(binId, EMPTY_USAGE, (log) => log.usage()));
    this.#coldUsage = usage.catch(() => undefined);
    return usage;
  }

  appendRequest(record: StoredRequest, body: Buffer): Promise<void> {
    return this.#withLog(record.binId, undefined, (log) => log.append(record, body), () => new Error(`bin ${record.binId} does not exist`));
  }

  listRequests(binId: string, options: { limit: number; before?: string }): Promise<RequestPageResult> {
    return this.#withLog(binId, { records: [], nextBefore: null }, (log) => log.list(options.limit, options.before));
  }

  requestsAfter(binId: string, afterId: string | null, limit: number): Promise<StoredRequest[]> {
    return this.#withLog(binId, [], (log) => log.after(afterId, limit));
  }

  getRequest(binId: string, requestId: string): Promise<StoredRequest | undefined> {
    return this.#withLog(binId, undefined, (log) => log.get(requestId));
  }

  readBody(record: StoredRequest): Promise<Buffer> {
    return this.#withLog(record.binId, Buffer.alloc(0), (log) => log.readBody(record), () => new Error(`bin ${record.binId} does not exist`));
  }

  deleteRequest(binId: string, requestId: string): Promise<boolean> {
    return this.#withLog(binId, false, (log) => log.delete(requestId));
  }

  clearRequests(binId: string): Promise<number> {
    return this.#withLog(binId, 0, (log) => log.clear());
  }

  updateRequest(binId: string, requestId: string, update: (current: StoredRequest) => StoredRequest): Promise<StoredRequest | undefined> {
    return this.#withLog(binId, undefined, (log) => log.update(requestId, update));
  }

  claimDelivery(binId: string, key: string, requestId: string): Promise<string | undefined> {
    return this.#withLog(binId, undefined, (log) => log.claimDelivery(key, requestId));
  }

  findDelivery(binId: string, key: string): Promise<string | undefined> {
    return this.#withLog(binId, undefined, (log) => log.findDelivery(key));
  }

  /** Logs in memory now (for /api/status and tests). */
  get openBinCount(): number {
    return this.#logs.openCount;
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

  sessionEpoch(): Promise<string> {
    return this.#sessionEpoch.current();
  }

  bumpSessionEpoch(): Promise<string> {
    return this.#sessionEpoch.bump();
  }

  async close(): Promise<void> {
    await this.#logs.closeAll();
    await this.#writer.close();
  }

  /**
   * Runs `task` on the bin's log (opened if need be). For a bin that does not exist: `missing`,
   * or the error `fail` makes, for writes that cannot be answered with an empty value.
   */
  async #withLog<T>(binId: string, missing: T, task: (log: BinLog) => T | Promise<T>, fail?: () => Error): Promise<T> {
    if (!this.#bins.has(binId)) {
      if (fail) throw fail();
      return missing;
    }
    return this.#logs.use(binId, task);
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
