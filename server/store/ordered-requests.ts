import type { StoredRequest } from './types.js';
import { estimatedSize, heldSize, type BinUsage } from './usage.js';

/**
 * A bin's visible requests, oldest first. Ids increase along the list (they sort in arrival
 * order), so look-ups by id and cursor pages are binary searches.
 */
export class OrderedRequests {
  #items: StoredRequest[] = [];
  /** Sums kept up to date on every change, so asking costs nothing (see usage.ts). */
  #dataSize = 0;
  #heldSize = 0;

  get length(): number {
    return this.#items.length;
  }

  /** Estimated bytes these requests take in memory. */
  get heldSize(): number {
    return this.#heldSize;
  }

  usage(): BinUsage {
    return { count: this.#items.length, dataSize: this.#dataSize, oldestAt: this.#items[0]?.receivedAt ?? null, newestAt: this.newest()?.receivedAt ?? null };
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
    for (const record of records) this.#count(record, 1);
  }

  /** Removes and returns the `count` oldest. */
  shift(count: number): StoredRequest[] {
    const removed = this.#items.splice(0, count);
    for (const record of removed) this.#count(record, -1);
    return removed;
  }

  remove(requestId: string): StoredRequest | undefined {
    const i = this.indexOf(requestId);
    if (i === -1) return undefined;
    const removed = this.#items.splice(i, 1)[0]!;
    this.#count(removed, -1);
    return removed;
  }

  /** Puts `record` in place of the request with its id (a no-op when there is none). */
  replace(record: StoredRequest): void {
    const i = this.indexOf(record.id);
    if (i === -1) return;
    this.#count(this.#items[i]!, -1);
    this.#items[i] = record;
    this.#count(record, 1);
  }

  clear(): void {
    this.#items = [];
    this.#dataSize = 0;
    this.#heldSize = 0;
  }

  indexOf(requestId: string): number {
    const i = this.#firstAtOrAfter(requestId);
    return this.#items[i]?.id === requestId ? i : -1;
  }

  #count(record: StoredRequest, sign: 1 | -1): void {
    this.#dataSize += sign * estimatedSize(record);
    this.#heldSize += sign * heldSize(record);
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
