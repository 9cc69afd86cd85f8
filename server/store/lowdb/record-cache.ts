import type { StoredRequest } from '../types.js';

/**
 * Parsed requests recently read or stored, for every bin of the store, least recently used
 * first out, within a byte budget. A request's cost is its line's length times
 * PARSED_OVERHEAD: parsed JSON takes about that much more memory than its text.
 * Requests are immutable (a change is a new object), so a cached one is never stale: the log
 * replaces or drops it when it changes.
 */
export class RecordCache {
  /** Least recently used first (a Map keeps insertion order; a hit moves the entry to the end). */
  readonly #entries = new Map<string, { record: StoredRequest; bytes: number }>();
  #held = 0;

  constructor(readonly maxBytes: number) {}

  get heldSize(): number {
    return this.#held;
  }

  get(id: string): StoredRequest | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    return entry.record;
  }

  /** Keeps `record` (replacing an older version); `lineBytes` is the length of its stored line. */
  set(record: StoredRequest, lineBytes: number): void {
    this.delete(record.id);
    const bytes = lineBytes * PARSED_OVERHEAD + 200;
    if (bytes > this.maxBytes / 4) return; // one huge request must not flush everything else
    this.#entries.set(record.id, { record, bytes });
    this.#held += bytes;
    for (const [id, entry] of this.#entries) {
      if (this.#held <= this.maxBytes) break;
      this.#entries.delete(id);
      this.#held -= entry.bytes;
    }
  }

  delete(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    this.#entries.delete(id);
    this.#held -= entry.bytes;
  }
}

/** Memory of a parsed request per byte of its JSON text (measured on captured webhooks: ~2–3). */
export const PARSED_OVERHEAD = 3;
