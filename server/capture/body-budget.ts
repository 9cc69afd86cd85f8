/**
 * The memory all capture bodies being received and stored at once may hold (--max-body-memory).
 * Without it, memory grows with the number of uploads in flight: 40 concurrent 25 MB uploads
 * held 2.2 GB. A body reserves its bytes before it is read (its Content-Length) or as its chunks
 * arrive (chunked uploads); an upload that does not fit is refused at once with 503 and
 * Retry-After, so the sender retries when the server has room, and nothing is half-kept.
 */
export class BodyBudget {
  #held = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes reserved by bodies in flight now. */
  get held(): number {
    return this.#held;
  }

  /** Reserves `bytes`; false (and nothing reserved) when they do not fit. */
  tryReserve(bytes: number): boolean {
    if (bytes <= 0) return true;
    if (this.#held + bytes > this.maxBytes) return false;
    this.#held += bytes;
    return true;
  }

  /** Gives back bytes reserved with tryReserve. */
  release(bytes: number): void {
    this.#held = Math.max(0, this.#held - bytes);
  }
}

/** Seconds a sender refused for lack of room is asked to wait before retrying. */
export const BODY_BUDGET_RETRY_AFTER_SECONDS = 5;
