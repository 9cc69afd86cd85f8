import type { BinLog } from './bin-log.js';
import type { BinUsage } from '../usage.js';

export interface OpenLogsLimits {
  /** Estimated bytes of requests held in memory by open logs; past it, the least recently used close. */
  maxHeldBytes: number;
  /** Open logs at most, whatever their size. */
  maxOpen: number;
  /**
   * A log stays open this long after its last use, over the budget if need be: a capture uses
   * its bin's log several times (claim a delivery, then store), and the claim lives in memory.
   */
  minOpenMs: number;
}

interface Entry {
  log: Promise<BinLog>;
  /** The log once open. */
  opened: BinLog | null;
  /** Tasks using the log now: it is not closed under them. */
  users: number;
  lastUsed: number;
}

/**
 * The bins' request logs that are in memory. A log is opened on first use and closed again when
 * the open logs hold more than the budget, least recently used first, so memory follows the
 * bins in use rather than every bin ever stored. A closed log's usage is remembered (nothing
 * changes it while it is closed), so listing bins does not open them again.
 */
export class OpenLogs {
  /** Least recently used first (a Map keeps insertion order; a use moves the entry to the end). */
  readonly #entries = new Map<string, Entry>();
  /** Closes in progress: a bin is opened again only after its close finished. */
  readonly #closing = new Map<string, Promise<void>>();
  readonly #closedUsage = new Map<string, BinUsage>();
  #sweep: NodeJS.Timeout | null = null;
  readonly #limits: OpenLogsLimits;
  readonly #openLog: (binId: string) => Promise<BinLog>;
  readonly #now: () => number;

  constructor(openLog: (binId: string) => Promise<BinLog>, limits: OpenLogsLimits, now: () => number = Date.now) {
    this.#openLog = openLog;
    this.#now = now;
    this.#limits = limits;
  }

  get openCount(): number {
    return this.#entries.size;
  }

  /** Runs `task` with the bin's log, opening it first if need be; rejects when the log cannot be opened. */
  async use<T>(binId: string, task: (log: BinLog) => T | Promise<T>): Promise<T> {
    const entry = this.#enter(binId);
    try {
      return await task(entry.opened ?? (await entry.log)); // an open log without a turn of waiting
    } finally {
      entry.users--;
      entry.lastUsed = this.#now();
      this.#closeOverBudget();
    }
  }

  /** The bin's usage if known without opening its log: it is open, or was closed since the start. */
  knownUsage(binId: string): BinUsage | undefined {
    return this.#entries.get(binId)?.opened?.usage() ?? this.#closedUsage.get(binId);
  }

  /** Forgets the bin (it is being deleted): the open log, if any, is returned for the caller to destroy. */
  async take(binId: string): Promise<BinLog | undefined> {
    const entry = this.#entries.get(binId);
    this.#entries.delete(binId);
    this.#closedUsage.delete(binId);
    await this.#closing.get(binId);
    return entry?.log.catch(() => undefined);
  }

  /** Closes every log (waiting for their pending writes); their final usage stays known. */
  async closeAll(): Promise<void> {
    if (this.#sweep) clearTimeout(this.#sweep);
    const entries = [...this.#entries];
    this.#entries.clear();
    await Promise.all(
      entries.map(async ([binId, entry]) => {
        const log = await entry.log.catch(() => null);
        if (!log) return;
        await log.close();
        this.#closedUsage.set(binId, log.usage());
      }),
    );
    await Promise.all(this.#closing.values());
  }

  #enter(binId: string): Entry {
    let entry = this.#entries.get(binId);
    if (entry) {
      this.#entries.delete(binId); // re-inserted below as the most recently used
    } else {
      const opened = (this.#closing.get(binId) ?? Promise.resolve()).then(() => this.#openLog(binId));
      const created: Entry = { log: opened, opened: null, users: 0, lastUsed: this.#now() };
      opened.then(
        (log) => {
          created.opened = log;
          this.#closedUsage.delete(binId);
        },
        () => {
          if (this.#entries.get(binId) === created) this.#entries.delete(binId); // a later use retries
        },
      );
      entry = created;
    }
    this.#entries.set(binId, entry);
    entry.users++;
    return entry;
  }

  /** Closes idle logs, least recently used first, until the open ones fit the limits. */
  #closeOverBudget(): void {
    const { maxHeldBytes, maxOpen, minOpenMs } = this.#limits;
    let open = this.#entries.size;
    if (open <= 1) return;
    let held = 0;
    for (const entry of this.#entries.values()) held += entry.opened?.heldSize ?? 0;
    const recent = this.#now() - minOpenMs;
    let waitingForIdle = false;
    for (const [binId, entry] of this.#entries) {
      if (open <= maxOpen && held <= maxHeldBytes) return;
      if (open === 1) return; // the one in use stays, however large
      if (entry.users > 0 || !entry.opened) continue;
      if (entry.lastUsed > recent) {
        waitingForIdle = true;
        continue;
      }
      this.#entries.delete(binId);
      open--;
      held -= entry.opened.heldSize;
      this.#close(binId, entry.opened);
    }
    if (waitingForIdle) this.#sweepLater();
  }

  #close(binId: string, log: BinLog): void {
    this.#closedUsage.set(binId, log.usage());
    const closed: Promise<void> = log
      .close()
      .catch((error: unknown) => console.error(`hookscope: closing the log of bin ${binId} failed`, error))
      .finally(() => {
        if (this.#closing.get(binId) === closed) this.#closing.delete(binId);
      });
    this.#closing.set(binId, closed);
  }

  /** Over budget only because of recently used logs: look again once they may be idle. */
  #sweepLater(): void {
    if (this.#sweep) return;
    this.#sweep = setTimeout(() => {
      this.#sweep = null;
      this.#closeOverBudget();
    }, this.#limits.minOpenMs + 10);
    this.#sweep.unref();
  }
}
