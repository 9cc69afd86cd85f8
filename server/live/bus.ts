import type { LiveMessage } from '../../shared/live-messages.js';

export type LiveListener = (message: LiveMessage) => void;

/**
 * In-process fan-out of a bin's events, in publish order, to whatever listens: WebSocket
 * sessions, long-polling `wait` requests. Publishers call it only after a change is durable.
 */
export class LiveBus {
  #listeners = new Map<string, Set<LiveListener>>();

  /** Returns a function that stops listening. */
  subscribe(binId: string, listener: LiveListener): () => void {
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

  publish(binId: string, message: LiveMessage): void {
    const set = this.#listeners.get(binId);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(message);
      } catch (error) {
        console.error('hookscope: a live listener failed', error);
      }
    }
  }

  subscriberCount(binId: string): number {
    return this.#listeners.get(binId)?.size ?? 0;
  }
}
