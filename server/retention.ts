import type { Config } from './config.js';
import type { LiveBus } from './live/bus.js';
import type { Store } from './store/types.js';
import { estimatedSize } from './store/usage.js';

export interface RetentionReport {
  removedByAge: number;
  removedForSize: number;
  binsExpired: number;
  /** Estimated bytes of stored requests after the run. */
  dataSize: number;
}

const SCAN = 500;

/**
 * Keeps storage bounded beyond the per-bin count: removes requests older than --retention,
 * deletes bins idle longer than --bin-expiry, and past --max-data-size removes the oldest
 * requests across all bins. Runs every minute (and on demand); the clock is injectable so tests
 * need not wait. Works through the Store interface, so it applies to every store.
 */
export class Retention {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<RetentionReport> | null = null;
  /** Set when the size limit forced removals in the last run; shown by the inspector. */
  warning: string | null = null;
  lastReport: RetentionReport | null = null;
  readonly #deps: { store: Store; bus: LiveBus; config: Pick<Config, 'retentionMs' | 'binExpiryMs' | 'maxDataSize'> };
  readonly #now: () => number;

  constructor(deps: { store: Store; bus: LiveBus; config: Pick<Config, 'retentionMs' | 'binExpiryMs' | 'maxDataSize'> }, now: () => number = Date.now) {
    this.#deps = deps;
    this.#now = now;
  }

  get enabled(): boolean {
    const { retentionMs, binExpiryMs, maxDataSize } = this.#deps.config;
    return retentionMs !== null || binExpiryMs !== null || maxDataSize !== null;
  }

  start(intervalMs = 60_000): void {
    if (!this.enabled || this.#timer) return;
    this.#timer = setInterval(() => void this.runOnce().catch((error) => console.error('hookscope: retention run failed', error)), intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => undefined);
  }

  /** One pass over every bin; concurrent calls share the run in progress. */
  runOnce(): Promise<RetentionReport> {
    this.#running ??= this.#run().finally(() => (this.#running = null));
    return this.#running;
  }

  async #run(): Promise<RetentionReport> {
    const { retentionMs, binExpiryMs, maxDataSize } = this.#deps.config;
    const report: RetentionReport = { removedByAge: 0, removedForSize: 0, binsExpired: 0, dataSize: 0 };
    const now = this.#now();
    const cutoff = retentionMs === null ? null : new Date(now - retentionMs).toISOString();
    for (const bin of this.#deps.store.listBins()) {
      // The usage comes without reading the bin's requests when its log is closed (lowdb).
      const usage = await this.#deps.store.binUsage(bin.id);
      if (binExpiryMs !== null && Date.parse(usage.newestAt ?? bin.createdAt) < now - binExpiryMs) {
        await this.#deps.store.deleteBin(bin.id);
        this.#deps.bus.publish(bin.id, { type: 'bin.deleted', binId: bin.id });
        report.binsExpired++;
        continue;
      }
      if (cutoff !== null && usage.oldestAt !== null && usage.oldestAt < cutoff) report.removedByAge += await this.#removeOlderThan(bin.id, cutoff);
    }
    report.dataSize = await this.#totalSize();
    if (maxDataSize !== null) report.removedForSize = await this.#fitSize(maxDataSize, report);
    this.lastReport = report;
    return report;
  }

  async #removeOlderThan(binId: string, cutoff: string): Promise<number> {
    let removed = 0;
    for (;;) {
      const oldest = (await this.#deps.store.requestsAfter(binId, null, SCAN)).filter((r) => r.receivedAt < cutoff);
      for (const record of oldest) await this.#remove(record);
      removed += oldest.length;
      if (oldest.length < SCAN) return removed;
    }
  }

  /** Removes the oldest requests across bins until the estimate (report.dataSize) is within `max`. */
  async #fitSize(max: number, report: RetentionReport): Promise<number> {
    const before = report.dataSize;
    if (before <= max) {
      this.warning = null;
      return 0;
    }
    const all = await this.#everyRequestBriefly();
    all.sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : 0));
    let removed = 0;
    for (const request of all) {
      if (report.dataSize <= max) break;
      await this.#remove(request);
      report.dataSize -= request.size;
      removed++;
    }
    this.warning =
      removed > 0
        ? `Stored requests reached ${formatMb(before)} of the ${formatMb(max)} allowed by --max-data-size; the ${removed} oldest were removed.`
        : null;
    if (this.warning) console.warn(`hookscope: ${this.warning}`);
    return removed;
  }

  /** Id, time and estimated size of every stored request, read page by page: not the requests themselves. */
  async #everyRequestBriefly(): Promise<BriefRequest[]> {
    const all: BriefRequest[] = [];
    for (const bin of this.#deps.store.listBins()) {
      for (let after: string | null = null; ;) {
        const page = await this.#deps.store.requestsAfter(bin.id, after, SCAN);
        for (const r of page) all.push({ binId: r.binId, id: r.id, receivedAt: r.receivedAt, size: estimatedSize(r) });
        if (page.length < SCAN) break;
        after = page[page.length - 1]!.id;
      }
    }
    return all;
  }

  async #totalSize(): Promise<number> {
    let total = 0;
    for (const bin of this.#deps.store.listBins()) total += (await this.#deps.store.binUsage(bin.id)).dataSize;
    return total;
  }

  async #remove(record: { binId: string; id: string }): Promise<void> {
    if (await this.#deps.store.deleteRequest(record.binId, record.id)) {
      this.#deps.bus.publish(record.binId, { type: 'request.deleted', binId: record.binId, requestId: record.id });
    }
  }
}

interface BriefRequest {
  binId: string;
  id: string;
  receivedAt: string;
  size: number;
}

function formatMb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
