import type { Bin, ExpectedId, ReplayAttempt } from '../../shared/api-types.js';
import type { StoredRequest } from '../store/types.js';

/**
 * What happened to a bin, as the server sees it. The WebSocket layer turns these into the wire
 * messages of shared/live-messages.ts (once per event, whatever the number of subscribers).
 */
export type BinEvent =
  | { type: 'request.created'; record: StoredRequest; body: Buffer }
  | { type: 'request.updated'; record: StoredRequest }
  | { type: 'request.replayed'; binId: string; requestId: string; attempt: ReplayAttempt }
  | { type: 'request.deleted'; binId: string; requestId: string }
  | { type: 'requests.cleared'; binId: string }
  /** The bin is at its request limit: every request older than `oldestKept` is gone (evicted). */
  | { type: 'requests.evicted'; binId: string; oldestKept: string; limit: number }
  | { type: 'bin.updated'; bin: Bin }
  | { type: 'bin.deleted'; binId: string }
  /** Expected ids whose deadline passed without their webhook (server/checks/expected-deadlines.ts). */
  | { type: 'expected.overdue'; binId: string; expected: ExpectedId[] }
  /** The store became unreachable or reachable again (only a store shared over the network, Redis, sends it). */
  | { type: 'server.status'; store: 'ok' | 'unavailable' };

export type BinListener = (event: BinEvent) => void;

/**
 * In-process fan-out of a bin's events, in publish order, to whatever listens: the WebSocket
 * hub, long-polling `wait` requests. Publishers call it only after a change is durable.
 */
export class LiveBus {
  #listeners = new Map<string, Set<BinListener>>();

  /** Returns a function that stops listening. */
  subscribe(binId: string, listener: BinListener): () => void {
    let set = this.#listeners.get(binId);
    if (!set) {
      set = new Set();
      this.#listeners.set(binId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#listeners.get(binId) === set) this.#listeners.delete(binId);
    };
  }

  /**
   * Resolves once events of the bin published from now on will reach its subscribers: at once
   * here; a bus shared across processes (Redis) waits for its subscription. Subscribe, await
   * this, then read the store, and nothing falls between the read and the first event.
   */
  ready(_binId: string): Promise<void> {
    return Promise.resolve();
  }

  publish(binId: string, event: BinEvent): void {
    const set = this.#listeners.get(binId);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch (error) {
        console.error('hookscope: a live listener failed', error);
      }
    }
  }
}
