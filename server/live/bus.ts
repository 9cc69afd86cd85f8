import type { LiveMessage } from '../../shared/live-messages.js';
import type { StoredRequest } from '../store/types.js';

/**
 * What happened to a bin, as the server sees it. The WebSocket layer turns these into the wire
 * messages of shared/live-messages.ts (once per event, whatever the number of subscribers): a
 * created or updated request from its stored record, every other event as it is.
 */
export type BinEvent =
  | { type: 'request.created'; record: StoredRequest; body: Buffer }
  | { type: 'request.updated'; record: StoredRequest }
  | Exclude<LiveMessage, { type: 'hello' | 'request.created' | 'request.updated' }>;

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
