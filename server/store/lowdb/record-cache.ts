import type { StoredRequest } from '../types.js';
import { parseRequestLine } from './segment-lines.js';

/** A cached request: parsed (read by someone), or the line just stored, parsed when first read. */
type Cached = { record: StoredRequest; line?: undefined; bytes: number } | { record?: undefined; line: Buffer; bytes: number };

/**
 * Requests recently read or stored, for every bin of the store, least recently used first out,
 * within a byte budget. A request read is kept parsed, at its line's length times
 * PARSED_OVERHEAD (parsed JSON takes about that much more memory than its text). A request
 * stored is kept as the bytes of its line (the very buffer written, outside the JavaScript
 * heap), parsed when it is first read: most captures are never read one by one, and holding
 * thousands of them on the heap, parsed or as text, made the garbage collector copy and mark
 * them all: a fifth of a busy server's main thread (BENCH.md).
 * Requests are immutable (a change is a new object), so a cached one is never stale: the log
 * replaces or drops it when it changes.
 */
export class RecordCache {
  /** Least recently used first (a Map keeps insertion order; a hit moves the entry to the end). */
  readonly #entries = new Map<string, Cached>();
  #held = 0;

  constructor(readonly maxBytes: number) {}

  get heldSize(): number {
    return this.#held;
  }

  get(id: string): StoredRequest | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    this.#entries.delete(id);
    if (entry.line === undefined) {
      this.#entries.set(id, entry);
      return entry.record;
    }
    this.#held -= entry.bytes;
    const record = parseRequestLine(entry.line.toString('utf8'));
    if (record === null || record.id !== id) return undefined; // not expected: it is read from disk instead
    this.set(record, entry.line.length); // read once, likely again: kept parsed
    return record;
  }

  /** Keeps `record` (replacing an older version); `lineBytes` is the length of its stored line. */
  set(record: StoredRequest, lineBytes: number): void {
    this.#keep(record.id, { record, bytes: lineBytes * PARSED_OVERHEAD + 200 });
  }

  /** Keeps the line of request `id` just stored, as its bytes, unparsed (replacing an older version). */
  setLine(id: string, line: Buffer): void {
    this.#keep(id, { line, bytes: line.length + 200 });
  }

  #keep(id: string, cached: Cached): void {
    this.delete(id);
    const { bytes } = cached;
    if (bytes > this.maxBytes / 4) return; // one huge request must not flush everything else
    this.#entries.set(id, cached);
    this.#held += bytes;
    for (const [oldest, entry] of this.#entries) {
      if (this.#held <= this.maxBytes) break;
      this.#entries.delete(oldest);
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
