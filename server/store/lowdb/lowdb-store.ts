import path from 'node:path';
import { isBinId } from '../../../shared/ids.js';
import { BinLog } from './bin-log.js';
import { createBinFolder, removeBinFolder } from './bin-folders.js';
import { writeBinSettings } from './bin-settings.js';
import { asDataDirError, prepareDataDir } from './data-dir.js';
import { HttpError } from '../../http-error.js';
import { diskFullOr } from '../errors.js';
import { FileWriter } from '../files/file-writer.js';
import { loadBins } from './load-bins.js';
import { OpenLogs, type OpenLogsLimits } from './open-logs.js';
import { RecordCache } from './record-cache.js';
import { readUsageAtEnd } from './segment-files.js';
import { takeUsageSnapshot, writeUsageSnapshot } from './usage-snapshot.js';
import { SessionEpochFile } from './session-epoch-file.js';
import type { Appended, ListOptions, RequestPageResult, Store, StoredBin, StoredRequest } from '../types.js';
import { EMPTY_USAGE, type BinUsage } from '../usage.js';

export interface LowdbStoreOptions {
  maxRequestsPerBin: number;
  /** Memory for the requests of open bins (see OpenLogs); defaults to DEFAULT_LOG_LIMITS. */
  logLimits?: Partial<OpenLogsLimits>;
  /** The writer thread to use (tests pass one to inject faults); a new one by default. */
  writer?: FileWriter;
}

export const DEFAULT_LOG_LIMITS: OpenLogsLimits = Object.freeze({ maxHeldBytes: 256 * 1024 * 1024, maxOpen: 200, minOpenMs: 5000 });

/**
 * The embedded store: one folder per bin, `bins/<binId>/`, holding the bin's settings
 * (`bin.json`, bin-settings.ts) and its requests (a BinLog). The bin list is rebuilt from the
 * folders at start (load-bins.ts); a bin's folder is only ever removed because the bin was
 * deleted (bin-folders.ts). Bin ids are validated before they become directory names. Logs are
 * opened on first use and closed again, least recently used first, past a memory budget
 * (open-logs.ts).
 */
export class LowdbStore implements Store {
  readonly #dataDir: string;
  #closed = false;
  readonly #binsDir: string;
  readonly #maxRequestsPerBin: number;
  readonly #writer: FileWriter;
  #bins = new Map<string, StoredBin>();
  readonly #logs: OpenLogs;
  /** Usage of bins not opened since the start, read from their newest segment's end. */
  readonly #coldUsage = new Map<string, BinUsage>();
  readonly #coldReads = new Map<string, Promise<BinUsage>>();
  /** Parsed requests recently read or stored, for every bin: a quarter of the memory budget. */
  readonly #cache: RecordCache;
  /** Scripted-response sequence positions, `${binId} ${ruleId}` → next position. */
  #sequences = new Map<string, number>();
  readonly #sessionEpoch: SessionEpochFile;

  private constructor(dataDir: string, options: LowdbStoreOptions) {
    this.#dataDir = dataDir;
    this.#binsDir = path.join(dataDir, 'bins');
    this.#maxRequestsPerBin = options.maxRequestsPerBin;
    this.#writer = options.writer ?? new FileWriter();
    this.#sessionEpoch = new SessionEpochFile(dataDir, this.#writer);
    // --cache-size is shared: a quarter for parsed requests, the rest for the indexes of open bins.
    const limits = { ...DEFAULT_LOG_LIMITS, ...options.logLimits };
    this.#cache = new RecordCache(Math.floor(limits.maxHeldBytes / 4));
    this.#logs = new OpenLogs((binId) => BinLog.open(this.#binDir(binId), this.#maxRequestsPerBin, this.#writer, this.#cache), {
      ...limits,
      maxHeldBytes: limits.maxHeldBytes - this.#cache.maxBytes,
    });
  }

  /**
   * Opens the store in `dataDir` (creating it). Throws DataDirError (a one-line message naming
   * the file and what to do) when the data dir cannot be read or written, or holds an older
   * version's bins.json that cannot be read; nothing has been changed then.
   */
  static async open(dataDir: string, options: LowdbStoreOptions): Promise<LowdbStore> {
    const store = new LowdbStore(dataDir, options);
    try {
      await prepareDataDir(dataDir, store.#binsDir);
      store.#bins = await loadBins(dataDir, store.#binsDir, store.#writer);
      for (const [binId, usage] of await takeUsageSnapshot(dataDir, store.#writer)) if (store.#bins.has(binId)) store.#coldUsage.set(binId, usage);
    } catch (error) {
      await store.#writer.close();
      throw asDataDirError(dataDir, error);
    }
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

  /** The bin is listed once its folder and settings are durable (a capture can then open its log). */
  async createBin(bin: StoredBin): Promise<void> {
    assertBinId(bin.id);
    try {
      await createBinFolder(this.#binsDir, bin, this.#writer);
    } catch (error) {
      throw diskFullOr(error); // mkdir on a full disk fails before the writer is asked
    }
    this.#bins.set(bin.id, bin);
  }

  /** Applied in memory at once (so concurrent changes build on each other), undone if the write fails. */
  async updateBin(binId: string, patch: Partial<Omit<StoredBin, 'id' | 'createdAt'>>): Promise<StoredBin | undefined> {
    const current = this.#bins.get(binId);
    if (!current) return undefined;
    const updated = { ...current, ...patch };
    this.#bins.set(binId, updated);
    try {
      await writeBinSettings(this.#binDir(binId), updated, this.#writer);
    } catch (error) {
      if (this.#bins.get(binId) === updated) this.#bins.set(binId, current);
      throw error;
    }
    return updated;
  }

  /**
   * Unlisted at once (captures stop), then its log is closed and its folder renamed to a durable
   * tombstone before its files are removed: once this resolves the bin stays deleted, even if
   * the process dies before the files are gone. If the tombstone cannot be written the bin is
   * listed again and the error thrown.
   */
  async deleteBin(binId: string): Promise<boolean> {
    const current = this.#bins.get(binId);
    if (!current) return false;
    this.#bins.delete(binId);
    this.#coldUsage.delete(binId);
    try {
      const log = await this.#logs.take(binId);
      await log?.close();
      await removeBinFolder(this.#binsDir, binId, this.#writer);
    } catch (error) {
      if (!this.#bins.has(binId)) this.#bins.set(binId, current);
      throw error;
    }
    await this.resetSequences(binId);
    return true;
  }

  async requestCount(binId: string): Promise<number> {
    return (await this.binUsage(binId)).count;
  }

  /**
   * From the open log, or what it was when the log closed; for a bin not opened since the start,
   * from the end of its newest segment (segment-lines.ts), and only when that cannot tell (an
   * older version's log), by opening the bin.
   */
  binUsage(binId: string): Promise<BinUsage> {
    if (!this.#bins.has(binId)) return Promise.resolve(EMPTY_USAGE);
    const known = this.#logs.knownUsage(binId) ?? this.#coldUsage.get(binId);
    if (known) return Promise.resolve(known);
    let reading = this.#coldReads.get(binId);
    if (!reading) {
      reading = readUsageAtEnd(path.join(this.#binDir(binId), 'segments'))
        .catch(() => null)
        .then((usage) => usage ?? this.#withLog(binId, EMPTY_USAGE, (log) => log.usage()))
        .then((usage) => {
          if (!this.#logs.knownUsage(binId)) this.#coldUsage.set(binId, usage);
          return usage;
        })
        .finally(() => this.#coldReads.delete(binId));
      this.#coldReads.set(binId, reading);
    }
    return reading;
  }

  appendRequest(record: StoredRequest, body: Buffer): Promise<Appended> {
    return this.#withLog<Appended>(
      record.binId,
      { evicted: 0, atCap: null }, // never returned: `fail` throws for a missing bin
      (log) => log.append(record, body),
      () => new Error(`bin ${record.binId} does not exist`),
    );
  }

  listRequests(binId: string, options: ListOptions): Promise<RequestPageResult> {
    return this.#withLog(binId, { records: [], nextBefore: null }, (log) =>
      log.list(options.limit, options.before, { keep: !options.scan, mayMatch: options.mayMatch }),
    );
  }

  requestsAfter(binId: string, afterId: string | null, limit: number): Promise<StoredRequest[]> {
    return this.#withLog(binId, [], (log) => log.after(afterId, limit));
  }

  getRequest(binId: string, requestId: string): Promise<StoredRequest | undefined> {
    return this.#withLog(binId, undefined, (log) => log.get(requestId));
  }

  readBody(record: StoredRequest): Promise<Buffer> {
    return this.#withLog(
      record.binId,
      Buffer.alloc(0),
      (log) => log.readBody(record),
      () => new Error(`bin ${record.binId} does not exist`),
    );
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

  /** Closes the logs, then leaves every bin's usage for the next start (usage-snapshot.ts). */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#logs.closeAll();
    const usages = new Map<string, BinUsage>();
    for (const binId of this.#bins.keys()) {
      const usage = this.#logs.knownUsage(binId) ?? this.#coldUsage.get(binId);
      if (usage) usages.set(binId, usage);
    }
    await writeUsageSnapshot(this.#dataDir, usages, this.#writer).catch((error: unknown) =>
      console.error("hookscope: could not keep the bins' usage for the next start (it will be read from the logs)", error),
    );
    await this.#writer.close();
  }

  /**
   * Runs `task` on the bin's log (opened if need be). For a bin that does not exist: `missing`,
   * or the error `fail` makes, for writes that cannot be answered with an empty value.
   */
  async #withLog<T>(binId: string, missing: T, task: (log: BinLog) => T | Promise<T>, fail?: () => Error): Promise<T> {
    // A log opened after close() would write behind the usage snapshot (and the writer's back).
    if (this.#closed)
      throw new HttpError(503, 'stopping', 'hookscope is stopping; nothing was recorded or changed. Retry in a few seconds.', { 'retry-after': '5' });
    if (!this.#bins.has(binId)) {
      if (fail) throw fail();
      return missing;
    }
    try {
      return await this.#logs.use(binId, task);
    } catch (error) {
      throw diskFullOr(error); // opening a log can need space too (directories, a lowered cap)
    }
  }

  #binDir(binId: string): string {
    assertBinId(binId);
    return path.join(this.#binsDir, binId);
  }
}

function assertBinId(binId: string): void {
  if (!isBinId(binId)) throw new Error(`refusing a path for malformed bin id ${JSON.stringify(binId)}`);
}
