/**
 * What the large-body tree's component and its Web Worker (lib/tree-worker.ts) say to each
 * other. Every request but `load` names the window of rows the component shows, and every answer
 * carries those rows and the new total, so one message keeps the view current.
 */
import type { TreeRow } from './json-nodes.js';

// Here rather than in tree-rows.ts: the main thread imports nothing from the worker's modules.
/** Levels open at first, as in the small tree. */
export const OPEN_DEPTH = 4;
/** "Expand all" opens levels above this, as in the small tree. */
export const EXPAND_ALL_DEPTH = 12;

export type TreeRequest =
  | { type: 'load'; bytes: ArrayBuffer; start: number; end: number }
  | { type: 'window'; start: number; end: number }
  | { type: 'toggle'; row: number; start: number; end: number }
  | { type: 'openTo'; depth: number; start: number; end: number }
  /** Opens the tree down to a JSON Pointer; the answer's `target` is that node's row. */
  | { type: 'reveal'; pointer: string; seq: number; start: number; end: number };

export type TreeAnswer =
  { type: 'rows'; total: number; start: number; rows: TreeRow[]; target?: { row: number; seq: number } } | { type: 'failed'; error: string };
