/**
 * A parsed JSON value seen as numbered nodes, for the large-body tree (lib/tree-worker.ts). Pure,
 * so it runs in a Web Worker. Lazy: a container's children get ids only when it is first opened,
 * all at once and contiguous, so "the children of n" is a range. Nothing here recurses: any depth
 * is walked with loops, and containers deeper than MAX_JSON_DEPTH are marked instead of opened,
 * as the small tree does. Member names stay strings in an array; no key ever becomes a property.
 */
import { toPointer } from '../../shared/checks/pointer.js';
import { MAX_JSON_DEPTH, tooDeepNote } from '../../shared/json-depth.js';

export type NodeKind = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'deep';

/** One row of the tree as the main thread draws it. */
export interface TreeRow {
  /** The node's id; a closing-brace row carries its container's id. */
  id: number;
  /** The row that closes an open container (`]` or `}`). */
  close: boolean;
  depth: number;
  /** The member name, the array index, or null for the root. */
  label: string | number | null;
  kind: NodeKind;
  /** A primitive's JSON text (a string's first PREVIEW characters, without the closing quote when cut), a too-deep container's note, or ''. */
  text: string;
  /** Characters of a string left out of `text`. */
  cut: number;
  /** Items or keys of a container, 0 for the rest. */
  count: number;
  open: boolean;
  /** Last of its siblings: drawn without a trailing comma. */
  last: boolean;
  /** The node's JSON Pointer. */
  pointer: string;
}

/** A long string shows its start: a base64 image can be megabytes, and a row is one line. */
export const PREVIEW = 300;

export class JsonNodes {
  #values: unknown[];
  #labels: (string | number | null)[] = [null];
  // Typed columns: 25 MB of `0,` is 12 million nodes, once its array is opened.
  #parents = new IntColumn(-1);
  #depths = new IntColumn(0);
  /** First child's id, -1 until the node is opened. */
  #firsts = new IntColumn(-1);
  #counts: IntColumn;

  constructor(root: unknown) {
    this.#values = [root];
    this.#counts = new IntColumn(countOf(root));
  }

  /** Nodes given an id so far. */
  get size(): number {
    return this.#values.length;
  }

  kind(id: number): NodeKind {
    return kindOf(this.#values[id], this.#depths.get(id));
  }

  depth(id: number): number {
    return this.#depths.get(id);
  }

  /** True for an array or object that can be opened (not empty, not too deep). */
  openable(id: number): boolean {
    const kind = this.kind(id);
    return (kind === 'array' || kind === 'object') && this.#counts.get(id) > 0;
  }

  /** The id of the first child and how many there are, giving them ids on first call. Only for `openable` nodes. */
  children(id: number): { first: number; count: number } {
    if (this.#firsts.get(id) === -1) this.#allocate(id);
    return { first: this.#firsts.get(id), count: this.#counts.get(id) };
  }

  /** The child of `id` named by a pointer segment, or -1 when there is none. */
  child(id: number, segment: string): number {
    if (!this.openable(id)) return -1;
    const { first, count } = this.children(id);
    if (this.kind(id) === 'array') {
      const index = /^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : -1;
      return index >= 0 && index < count ? first + index : -1;
    }
    for (let i = first; i < first + count; i++) if (this.#labels[i] === segment) return i;
    return -1;
  }

  /** The row describing node `id` (or its closing brace when `close`). */
  row(id: number, close: boolean, open: boolean): TreeRow {
    const value = this.#values[id];
    const kind = this.kind(id);
    const parent = this.#parents.get(id);
    const { text, cut } = kind === 'deep' ? { text: `${Array.isArray(value) ? '[…]' : '{…}'} ${tooDeepNote()}`, cut: 0 } : primitiveText(value);
    return {
      id,
      close,
      depth: this.#depths.get(id),
      label: this.#labels[id]!,
      kind,
      text,
      cut,
      count: kind === 'array' || kind === 'object' ? this.#counts.get(id) : 0,
      open,
      last: parent === -1 || id - this.#firsts.get(parent) === this.#counts.get(parent) - 1,
      pointer: this.pointer(id),
    };
  }

  /** The JSON Pointer of node `id`. */
  pointer(id: number): string {
    const segments: (string | number)[] = [];
    for (let at = id; this.#parents.get(at) !== -1; at = this.#parents.get(at)) segments.push(this.#labels[at]!);
    return toPointer(segments.reverse());
  }

  #allocate(id: number): void {
    const value = this.#values[id];
    const depth = this.#depths.get(id) + 1;
    this.#firsts.set(id, this.#values.length);
    const add = (label: string | number, child: unknown) => {
      this.#values.push(child);
      this.#labels.push(label);
      this.#parents.push(id);
      this.#depths.push(depth);
      this.#firsts.push(-1);
      this.#counts.push(countOf(child));
    };
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) add(i, value[i]);
    // Object.entries reads own members only: a "__proto__" member parsed by JSON.parse is an own property.
    else for (const [key, child] of Object.entries(value as object)) add(key, child);
  }
}

function kindOf(value: unknown, depth: number): NodeKind {
  if (value === null) return 'null';
  if (typeof value === 'object') return depth >= MAX_JSON_DEPTH ? 'deep' : Array.isArray(value) ? 'array' : 'object';
  return typeof value as 'boolean' | 'number' | 'string';
}

function countOf(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  return value !== null && typeof value === 'object' ? Object.keys(value).length : 0;
}

function primitiveText(value: unknown): { text: string; cut: number } {
  if (value !== null && typeof value === 'object') return { text: '', cut: 0 };
  // Cut before quoting: a row never copies a megabyte string whole.
  if (typeof value === 'string' && value.length > PREVIEW) return { text: JSON.stringify(value.slice(0, PREVIEW)).slice(0, -1), cut: value.length - PREVIEW };
  return { text: JSON.stringify(value), cut: 0 };
}

/** A growable column of 32-bit integers, one per node. */
class IntColumn {
  #data = new Int32Array(256);
  #length = 1;

  constructor(first: number) {
    this.#data[0] = first;
  }

  get(index: number): number {
    return this.#data[index]!;
  }

  set(index: number, value: number): void {
    this.#data[index] = value;
  }

  push(value: number): void {
    if (this.#length === this.#data.length) {
      const grown = new Int32Array(this.#data.length * 2);
      grown.set(this.#data);
      this.#data = grown;
    }
    this.#data[this.#length++] = value;
  }
}
