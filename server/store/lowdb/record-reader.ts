import type { RecordCache } from './record-cache.js';
import type { IndexEntry } from './request-index.js';
import type { SegmentChain } from './segment-chain.js';
import { parseRequestLine } from './segment-lines.js';
import type { StoredRequest } from '../types.js';

export interface ReadOptions {
  /** Keep what was read from disk in the record cache (not for a search scanning a bin). */
  keep?: boolean;
  /** Leave out, unparsed, requests whose line fails this (see Store.listRequests). */
  mayMatch?: ((text: string) => boolean) | undefined;
}

/** Reads a bin's requests by their index entries: from the record cache, or their segment lines. */
export class RecordReader {
  readonly #chain: SegmentChain;
  readonly #cache: RecordCache;

  constructor(chain: SegmentChain, cache: RecordCache) {
    this.#chain = chain;
    this.#cache = cache;
  }

  /**
   * The requests at `entries`, in order; null for one whose line cannot be read (a damaged disk,
   * reported and skipped, not fatal), or is gone (its segment was deleted meanwhile), or was read
   * from disk and fails `mayMatch`.
   */
  async read(entries: readonly IndexEntry[], { keep = true, mayMatch }: ReadOptions = {}): Promise<(StoredRequest | null)[]> {
    const records: (StoredRequest | null)[] = entries.map((e) => this.#cache.get(e.id) ?? null);
    const missing = entries.filter((_, i) => records[i] === null);
    if (missing.length === 0) return records;
    const texts = await this.#chain.read(missing);
    let m = 0;
    entries.forEach((entry, i) => {
      if (records[i] !== null) return;
      const text = texts[m++]!;
      if (mayMatch && text !== '' && !mayMatch(text)) return;
      const record = parseRequestLine(text);
      if (record !== null && record.id === entry.id) {
        records[i] = record;
        if (keep) this.#cache.set(record, entry.length);
      } else if (text !== '')
        console.warn(`hookscope: request ${entry.id} could not be read from segment ${entry.seq} at byte ${entry.offset}; it is left out`);
    });
    return records;
  }
}
