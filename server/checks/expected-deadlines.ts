/**
 * Lost webhooks. Krea POSTs each job once and LangGraph's JS server once, so a delivery that
 * never comes is gone: the user registers the ids they started with a deadline (`within`), and
 * each id reads as pending, arrived (with the request that brought it) or overdue. An id that
 * becomes overdue is pushed live once (`expected.overdue`), found by a sweep every second.
 *
 * Arrival is the bin's delivery index (the same one duplicates use): a request whose body has
 * that `job_id` or `run_id`. A delivery identified by a `webhook-id` header is indexed by that
 * header instead, so it does not count as the arrival of a body id.
 */
import type { ExpectedId } from '../../shared/api-types.js';
import type { LiveBus } from '../live/bus.js';
import type { Store, StoredBin } from '../store/types.js';

/** The longest deadline: a week (Krea's jobs end within 2 hours; LangGraph runs can be long). */
export const MAX_WITHIN_MS = 7 * 24 * 3600 * 1000;

/** `within` as the API takes it: "90s", "10m", "2h", "1d", or a number of ms; null when it is none of those. */
export function parseWithin(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 && value <= MAX_WITHIN_MS ? value : null;
  if (typeof value !== 'string') return null;
  const m = /^(\d{1,9})(ms|s|m|h|d)$/.exec(value.trim());
  if (!m) return null;
  const ms = Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return ms > 0 && ms <= MAX_WITHIN_MS ? ms : null;
}

/** Each expected id of a bin with its state at `now` (ms); ids without a deadline are pending until they arrive. */
export async function expectedStates(store: Store, bin: StoredBin, now: number): Promise<ExpectedId[]> {
  const due = new Map((bin.expectedDeadlines ?? []).map((d) => [d.id, d.due]));
  return Promise.all(
    bin.expectedIds.map(async (id): Promise<ExpectedId> => {
      const requestId = (await store.findDelivery(bin.id, `job_id:${id}`)) ?? (await store.findDelivery(bin.id, `run_id:${id}`));
      const deadline = due.get(id);
      const base = { id, ...(deadline !== undefined ? { due: deadline } : {}) };
      if (requestId !== undefined) return { ...base, state: 'arrived', requestId };
      return { ...base, state: deadline !== undefined && Date.parse(deadline) <= now ? 'overdue' : 'pending' };
    }),
  );
}

/**
 * Sweeps the bins with deadlines every `intervalMs` and pushes each id that became overdue once.
 * `now` is the server's clock (tests move it).
 */
export class DeadlineWatch {
  readonly #notified = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<void> | undefined;

  readonly #deps: { store: Store; bus: LiveBus };
  readonly #now: () => number;
  readonly #intervalMs: number;

  constructor(deps: { store: Store; bus: LiveBus }, now: () => number, intervalMs = 1000) {
    this.#deps = deps;
    this.#now = now;
    this.#intervalMs = intervalMs;
  }

  start(): void {
    this.#timer = setInterval(() => void this.sweep(), this.#intervalMs);
    this.#timer.unref();
  }

  /** One pass over the bins with deadlines; resolves when it is done (a pass in progress is joined). Never rejects. */
  sweep(): Promise<void> {
    this.#sweeping ??= this.#pass().finally(() => (this.#sweeping = undefined));
    return this.#sweeping;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#sweeping;
  }

  async #pass(): Promise<void> {
    const now = this.#now();
    for (const bin of this.#deps.store.listBins()) {
      if (!bin.expectedDeadlines?.some((d) => Date.parse(d.due) <= now && !this.#notified.has(`${bin.id}\u0000${d.id}`))) continue;
      try {
        const overdue = (await expectedStates(this.#deps.store, bin, now)).filter(
          (e) => e.state === 'overdue' && !this.#notified.has(`${bin.id}\u0000${e.id}`),
        );
        if (overdue.length === 0) continue;
        for (const e of overdue) this.#notified.add(`${bin.id}\u0000${e.id}`);
        this.#deps.bus.publish(bin.id, { type: 'expected.overdue', binId: bin.id, expected: overdue });
      } catch (error) {
        console.error('hookscope: the expected-ids sweep failed for a bin', error); // the next pass tries again
      }
    }
  }
}
