import type { StoredRequest } from './types.js';

/**
 * A bin's visible requests, oldest first. Ids increase along the list (they sort in arrival
 * order), so look-ups by id and cursor pages are binary searches.
 */
export class OrderedRequests {
  #items: StoredRequest[] = [];

  get length(): number {
    return this.#items.length;
  }

  get(requestId: string): StoredRequest | undefined {
    const i = this.indexOf(requestId);
    return i === -1 ? undefined : this.#items[i];
  }

  /** Newest first, at most `limit`, strictly older than `before` when given. */
  page(limit: number, before?: string): { records: StoredRequest[]; nextBefore: string | null } {
    const end = before === undefined ? this.#items.length : this.#firstAtOrAfter(before);
    const start = Math.max(0, end - limit);
    const records = this.#items.slice(start, end).reverse();
    return { records, nextBefore: start > 0 && records.length > 0 ? records[records.length - 1]!.id : null };
  }

  /** Oldest first, strictly newer than `afterId` (null: from the oldest), at most `limit`. */
  after(afterId: string | null, limit: number): StoredRequest[] {
    let start = 0;
    if (afterId !== null) {
      start = this.#firstAtOrAfter(afterId);
      if (this.#items[start]?.id === afterId) start++;
    }
    return this.#items.slice(start, start + limit);
  }

  newest(): StoredRequest | undefined {
    return this.#items[this.#items.length - 1];
  }

  all(): readonly StoredRequest[] {
    return this.#items;
  }

  /** Adds requests newer than every one held. */
  push(...records: StoredRequest[]): void {
    this.#items.push(...records);
  }

  /** Removes and returns the `count` oldest. */
  shift(count: number): StoredRequest[] {
    return this.#items.splice(0, count);
  }

  remove(requestId: string): StoredRequest | undefined {
    const i = this.indexOf(requestId);
    return i === -1 ? undefined : this.#items.splice(i, 1)[0];
  }

  /** Puts `record` in place of the request with its id (a no-op when there is none). */
  replace(record: StoredRequest): void {
    const i = this.indexOf(record.id);
    if (i !== -1) this.#items[i] = record;
  }

  clear(): void {
    this.#items = [];
  }

  indexOf(requestId: string): number {
    const i = this.#firstAtOrAfter(requestId);
    return this.#items[i]?.id === requestId ? i : -1;
  }

  /** Binary search: the first index whose id is >= `id`. */
  #firstAtOrAfter(id: string): number {
    let low = 0;
    let high = this.#items.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#items[mid]!.id < id) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
