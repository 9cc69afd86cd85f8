/**
 * The rows of the large-body tree that are open right now, top to bottom, kept in the worker
 * (lib/tree-worker.ts) so the main thread only ever holds the few rows in view. A row is a node
 * id, or `~id` for the closing brace of an open container. Opening inserts a node's children,
 * closing removes its rows and forgets what was open below it (as the small tree's nodes do when
 * they unmount). Everything is a loop over typed arrays: no depth can overflow the stack.
 */
import { pointerSegments } from '../../shared/checks/pointer.js';
import { JsonNodes, type TreeRow } from './json-nodes.js';
import { OPEN_DEPTH } from './tree-messages.js';

/** Most rows that opening at first or "Expand all" may produce: 25 MB of tiny arrays would be millions. */
export const MAX_AUTO_ROWS = 200_000;
/** Fewer rows are opened at first: the page shows the top of the document. */
const FIRST_ROWS = 20_000;

export class TreeRows {
  #nodes: JsonNodes;
  #rows = new Int32Array(1024);
  #length = 0;
  #open = new Set<number>();

  constructor(root: unknown) {
    this.#nodes = new JsonNodes(root);
    this.openTo(OPEN_DEPTH, FIRST_ROWS);
  }

  get total(): number {
    return this.#length;
  }

  /** The rows from `start` to `end` (clamped to the rows that exist). */
  window(start: number, end: number): TreeRow[] {
    const rows: TreeRow[] = [];
    for (let i = Math.max(0, start); i < Math.min(end, this.#length); i++) {
      const entry = this.#rows[i]!;
      const id = entry < 0 ? ~entry : entry;
      rows.push(this.#nodes.row(id, entry < 0, this.#open.has(id)));
    }
    return rows;
  }

  /** Opens or closes the node drawn at row `index`; a closing-brace row or a leaf is left as it is. */
  toggle(index: number): void {
    const id = this.#rows[index]!;
    if (index < 0 || index >= this.#length || id < 0) return;
    if (this.#open.has(id)) this.#close(index, id);
    else this.#openAt(index, id);
  }

  /**
   * Rebuilds the rows with every container above `depth` open ("Expand all" with
   * EXPAND_ALL_DEPTH, "Collapse all" with 1), level by level while the rows stay within
   * `maxRows`: a level that would pass it stays closed, whole (the root always opens).
   */
  openTo(depth: number, maxRows = MAX_AUTO_ROWS): void {
    this.#open.clear();
    let total = 1;
    let level = [0];
    for (let d = 0; d < depth && level.length > 0; d++) {
      const openable = level.filter((id) => this.#nodes.openable(id));
      const added = openable.reduce((sum, id) => sum + this.#nodes.children(id).count + 1, 0);
      if (d > 0 && total + added > maxRows) break;
      total += added;
      level = [];
      for (const id of openable) {
        this.#open.add(id);
        const { first, count } = this.#nodes.children(id);
        for (let i = first; i < first + count; i++) level.push(i);
      }
    }
    this.#rebuild(total);
  }

  /** Opens the tree down to `pointer` (or the deepest part of it that exists) and returns that node's row. */
  reveal(pointer: string): number {
    let id = 0;
    for (const segment of pointerSegments(pointer)) {
      const child = this.#nodes.child(id, segment);
      if (child === -1) break;
      if (!this.#open.has(id)) this.#openAt(this.#indexOf(id), id);
      id = child;
    }
    return this.#indexOf(id);
  }

  /** Writes the rows of the open nodes, depth first with an explicit stack (children pushed in reverse). */
  #rebuild(total: number): void {
    this.#rows = new Int32Array(Math.max(1024, total));
    this.#length = 0;
    const stack = [0];
    while (stack.length > 0) {
      const entry = stack.pop()!;
      this.#rows[this.#length++] = entry;
      if (entry < 0 || !this.#open.has(entry)) continue;
      const { first, count } = this.#nodes.children(entry);
      stack.push(~entry);
      for (let i = first + count - 1; i >= first; i--) stack.push(i);
    }
  }

  #indexOf(id: number): number {
    return this.#rows.subarray(0, this.#length).indexOf(id);
  }

  #openAt(index: number, id: number): void {
    if (!this.#nodes.openable(id)) return;
    const { first, count } = this.#nodes.children(id);
    const added = new Int32Array(count + 1);
    for (let i = 0; i < count; i++) added[i] = first + i;
    added[count] = ~id;
    this.#insert(index + 1, added);
    this.#open.add(id);
  }

  #close(index: number, id: number): void {
    let end = index + 1;
    while (this.#rows[end] !== ~id) {
      this.#open.delete(this.#rows[end]!);
      end++;
    }
    this.#rows.copyWithin(index + 1, end + 1, this.#length);
    this.#length -= end - index;
    this.#open.delete(id);
  }

  #insert(at: number, entries: ArrayLike<number>): void {
    const needed = this.#length + entries.length;
    if (needed > this.#rows.length) {
      const grown = new Int32Array(Math.max(needed, this.#rows.length * 2));
      grown.set(this.#rows.subarray(0, this.#length));
      this.#rows = grown;
    }
    this.#rows.copyWithin(at + entries.length, at, this.#length);
    this.#rows.set(entries, at);
    this.#length = needed;
  }
}
