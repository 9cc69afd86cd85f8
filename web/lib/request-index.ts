import type { RequestItem } from './types.js';

/**
 * Requests newest first, each id once. Ids are ULIDs, so string order is arrival order and a
 * request from any source (first page, older page, live push, resync) lands in its place.
 */
export class RequestIndex {
  #items: RequestItem[] = [];
  readonly #ids = new Set<string>();

  get size(): number {
    return this.#items.length;
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** A copy, newest first. */
  toArray(): RequestItem[] {
    return this.#items.slice();
  }

  /** Adds in id order; false when the id was already there. */
  insert(item: RequestItem): boolean {
    if (this.#ids.has(item.id)) return false;
    this.#ids.add(item.id);
    let low = 0;
    let high = this.#items.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.#items[mid]!.id > item.id) low = mid + 1;
      else high = mid;
    }
    this.#items.splice(low, 0, item);
    return true;
  }

  /** Swaps in a newer version of an item already held; false when its id is not there. */
  replace(item: RequestItem): boolean {
    if (!this.#ids.has(item.id)) return false;
    this.#items = this.#items.map((old) => (old.id === item.id ? item : old));
    return true;
  }

  /** The item with this id, if held. */
  get(id: string): RequestItem | undefined {
    return this.#ids.has(id) ? this.#items.find((item) => item.id === id) : undefined;
  }

  /** False when the id was not there. */
  remove(id: string): boolean {
    if (!this.#ids.delete(id)) return false;
    this.#items = this.#items.filter((item) => item.id !== id);
    return true;
  }

  /** Removes every item with an id older than `id` (evicted by the server); returns their ids. */
  dropOlderThan(id: string): string[] {
    let keep = this.#items.length;
    while (keep > 0 && this.#items[keep - 1]!.id < id) keep--;
    const dropped = this.#items.splice(keep).map((item) => item.id);
    for (const old of dropped) this.#ids.delete(old);
    return dropped;
  }

  clear(): void {
    this.#items = [];
    this.#ids.clear();
  }
}
