import { EMPTY_USAGE, type BinUsage } from '../usage.js';

/** Where a request's newest version is: its line in a segment log. */
export interface LinePosition {
  /** Segment sequence number. */
  seq: number;
  /** Byte offset of the line in the segment file. */
  offset: number;
  /** Byte length of the line, without its newline. */
  length: number;
}

/** What the index keeps of one request: enough for pages, usage, claims and eviction. */
export interface IndexEntry extends LinePosition {
  id: string;
  /** Arrival time, ms since the epoch. */
  time: number;
  /** Body bytes (a body over the inline limit lives in its own file). */
  size: number;
  /** Estimated bytes on disk (usage.ts), summed in the bin's usage. */
  cost: number;
  /** The delivery key (job_id, run_id, webhook-id) the request carries, if any. */
  key: string | undefined;
}

/**
 * Estimated bytes of memory per entry: the id string (~48), six numbers in arrays (6 × 8), the
 * arrays' slack, and a share of the key map. Measured, not exact: it is what the memory budget
 * (--cache-size) counts for an open bin.
 */
export const ENTRY_BYTES = 120;

/**
 * The kept requests of one bin, oldest first, by id (ids sort in arrival order): where each
 * one's line is, what it costs, and its delivery key. Parallel arrays with a moving start, so
 * evicting the oldest is O(1) and a million entries cost ~120 MB rather than a million objects.
 * The requests themselves stay on disk (bin-log.ts reads them by position).
 */
export class RequestIndex {
  #ids: string[] = [];
  #seq: number[] = [];
  #offset: number[] = [];
  #length: number[] = [];
  #time: number[] = [];
  #size: number[] = [];
  #cost: number[] = [];
  /** Only requests that carry a key have one here. */
  #keys = new Map<string, string>();
  /** Entries before this index are gone (evicted): compacted away once they are half the arrays. */
  #start = 0;
  #dataSize = 0;
  /** Live entries per segment: a segment nobody points at can be deleted. */
  #perSegment = new Map<number, number>();

  get length(): number {
    return this.#ids.length - this.#start;
  }

  /** Estimated bytes of memory this index holds. */
  get heldSize(): number {
    return (this.#ids.length + 16) * ENTRY_BYTES;
  }

  usage(): BinUsage {
    const n = this.length;
    return {
      count: n,
      dataSize: this.#dataSize,
      oldestAt: n > 0 ? new Date(this.#time[this.#start]!).toISOString() : null,
      newestAt: n > 0 ? new Date(this.#time[this.#ids.length - 1]!).toISOString() : null,
    };
  }

  /** Sum of the entries' costs. */
  get dataSize(): number {
    return this.#dataSize;
  }

  /** Arrival time of the entry at position `i`. */
  timeAt(i: number): number {
    return this.#time[this.#start + i]!;
  }

  /** The usage once `removed` (kept entries) are gone and `added` (newer than all) are kept. */
  usageAfter(removed: readonly IndexEntry[], added: readonly { time: number; cost: number }[]): BinUsage {
    const count = this.length - removed.length + added.length;
    if (count === 0) return { ...EMPTY_USAGE };
    let dataSize = this.dataSize;
    for (const r of removed) dataSize -= r.cost;
    for (const a of added) dataSize += a.cost;
    const gone = removed.length === 0 ? null : new Set(removed.map((r) => r.id));
    const kept = (i: number) => gone === null || !gone.has(this.idAt(i));
    let oldest = added[0]?.time;
    for (let i = 0; i < this.length; i++) {
      if (!kept(i)) continue;
      oldest = this.timeAt(i);
      break;
    }
    let newest = added[added.length - 1]?.time;
    for (let i = this.length - 1; newest === undefined && i >= 0; i--) if (kept(i)) newest = this.timeAt(i);
    return { count, dataSize, oldestAt: new Date(oldest!).toISOString(), newestAt: new Date(newest!).toISOString() };
  }

  /** Live entries in segment `seq`. */
  liveIn(seq: number): number {
    return this.#perSegment.get(seq) ?? 0;
  }

  at(i: number): IndexEntry {
    const j = this.#start + i;
    return {
      id: this.#ids[j]!,
      seq: this.#seq[j]!,
      offset: this.#offset[j]!,
      length: this.#length[j]!,
      time: this.#time[j]!,
      size: this.#size[j]!,
      cost: this.#cost[j]!,
      key: this.#keys.get(this.#ids[j]!),
    };
  }

  idAt(i: number): string {
    return this.#ids[this.#start + i]!;
  }

  /** Position of `id` in the index, or -1. */
  indexOf(id: string): number {
    const i = this.firstAtOrAfter(id);
    return i < this.length && this.idAt(i) === id ? i : -1;
  }

  get(id: string): IndexEntry | undefined {
    const i = this.indexOf(id);
    return i === -1 ? undefined : this.at(i);
  }

  /** Binary search: the first position whose id is >= `id` (length when none). */
  firstAtOrAfter(id: string): number {
    let low = this.#start;
    let high = this.#ids.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#ids[mid]! < id) low = mid + 1;
      else high = mid;
    }
    return low - this.#start;
  }

  /** Adds an entry, or replaces the one with its id (a newer version of the request). */
  set(entry: IndexEntry): void {
    const i = this.firstAtOrAfter(entry.id);
    const j = this.#start + i;
    if (i < this.length && this.#ids[j] === entry.id) {
      this.#account(j, -1);
      this.#write(j, entry);
    } else if (j === this.#ids.length) {
      this.#ids.push(entry.id);
      this.#seq.push(0);
      this.#offset.push(0);
      this.#length.push(0);
      this.#time.push(0);
      this.#size.push(0);
      this.#cost.push(0);
      this.#write(j, entry);
    } else {
      // Out of order: only when loading a log whose lines moved (rare); O(n) is fine then.
      this.#ids.splice(j, 0, entry.id);
      this.#seq.splice(j, 0, 0);
      this.#offset.splice(j, 0, 0);
      this.#length.splice(j, 0, 0);
      this.#time.splice(j, 0, 0);
      this.#size.splice(j, 0, 0);
      this.#cost.splice(j, 0, 0);
      this.#write(j, entry);
    }
    this.#account(j, 1);
  }

  /** Removes the entry of `id`; returns it, or undefined when there is none. */
  remove(id: string): IndexEntry | undefined {
    const i = this.indexOf(id);
    if (i === -1) return undefined;
    const entry = this.at(i);
    const j = this.#start + i;
    this.#account(j, -1);
    this.#keys.delete(id);
    for (const column of this.#columns()) column.splice(j, 1);
    return entry;
  }

  /** Removes and returns the `count` oldest entries. */
  shift(count: number): IndexEntry[] {
    const removed: IndexEntry[] = [];
    for (let n = 0; n < count && this.length > 0; n++) {
      removed.push(this.at(0));
      this.#account(this.#start, -1);
      this.#keys.delete(this.#ids[this.#start]!);
      this.#start++;
    }
    if (this.#start > 1024 && this.#start * 2 > this.#ids.length) this.#compact();
    return removed;
  }

  /** Removes and returns every entry with an id <= `id`. */
  shiftThrough(id: string): IndexEntry[] {
    let n = this.firstAtOrAfter(id);
    if (n < this.length && this.idAt(n) === id) n++;
    return this.shift(n);
  }

  /** The requests that carry a delivery key, oldest first. */
  *keyHolders(): Generator<{ id: string; key: string }> {
    for (let j = this.#start; j < this.#ids.length; j++) {
      const key = this.#keys.get(this.#ids[j]!);
      if (key !== undefined) yield { id: this.#ids[j]!, key };
    }
  }

  clear(): void {
    this.#ids = [];
    this.#seq = [];
    this.#offset = [];
    this.#length = [];
    this.#time = [];
    this.#size = [];
    this.#cost = [];
    this.#keys.clear();
    this.#perSegment.clear();
    this.#start = 0;
    this.#dataSize = 0;
  }

  #write(j: number, entry: IndexEntry): void {
    this.#ids[j] = entry.id;
    this.#seq[j] = entry.seq;
    this.#offset[j] = entry.offset;
    this.#length[j] = entry.length;
    this.#time[j] = entry.time;
    this.#size[j] = entry.size;
    this.#cost[j] = entry.cost;
    if (entry.key !== undefined) this.#keys.set(entry.id, entry.key);
    else this.#keys.delete(entry.id);
  }

  #account(j: number, sign: 1 | -1): void {
    this.#dataSize += sign * this.#cost[j]!;
    const seq = this.#seq[j]!;
    const live = (this.#perSegment.get(seq) ?? 0) + sign;
    if (live === 0) this.#perSegment.delete(seq);
    else this.#perSegment.set(seq, live);
  }

  #columns(): unknown[][] {
    return [this.#ids, this.#seq, this.#offset, this.#length, this.#time, this.#size, this.#cost];
  }

  #compact(): void {
    const start = this.#start;
    this.#ids = this.#ids.slice(start);
    this.#seq = this.#seq.slice(start);
    this.#offset = this.#offset.slice(start);
    this.#length = this.#length.slice(start);
    this.#time = this.#time.slice(start);
    this.#size = this.#size.slice(start);
    this.#cost = this.#cost.slice(start);
    this.#start = 0;
  }
}
