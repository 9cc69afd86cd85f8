/** A request and the delivery key it carries, as the claims need them. */
export interface KeyHolder {
  id: string;
  key: string | undefined;
}

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
  release(holders: Iterable<KeyHolder>): void {
    for (const { id, key } of holders) if (key !== undefined && this.#holders.get(key) === id) this.#holders.delete(key);
  }

  /** Rebuilds the claims from stored requests, oldest first (after a restart). */
  rebuild(holders: Iterable<KeyHolder>): void {
    for (const { id, key } of holders) if (key !== undefined && !this.#holders.has(key)) this.#holders.set(key, id);
  }

  clear(): void {
    this.#holders.clear();
  }
}
