import type { StoredRequest } from './types.js';

/**
 * Which live request first carried each delivery key (job_id, run_id, webhook-id) of a bin.
 * Synchronous, so within one process a claim is atomic: of two deliveries of one key exactly
 * one is first. A key is freed when the request holding it goes (deleted, evicted, cleared).
 */
export class DeliveryClaims {
  #holders = new Map<string, string>();

  /** Records the claim; returns the earlier holder's id when there is one. */
  claim(key: string, requestId: string): string | undefined {
    const first = this.#holders.get(key);
    if (first !== undefined) return first;
    this.#holders.set(key, requestId);
    return undefined;
  }

  find(key: string): string | undefined {
    return this.#holders.get(key);
  }

  /** Frees the keys these requests held. */
  release(records: readonly StoredRequest[]): void {
    for (const r of records) {
      const key = r.checks?.deliveryKey;
      if (key !== undefined && this.#holders.get(key) === r.id) this.#holders.delete(key);
    }
  }

  /** Rebuilds the claims from stored requests, oldest first (after a restart). */
  rebuild(records: readonly StoredRequest[]): void {
    for (const record of records) {
      const key = record.checks?.deliveryKey;
      if (key !== undefined && !this.#holders.has(key)) this.#holders.set(key, record.id);
    }
  }

  clear(): void {
    this.#holders.clear();
  }
}
