// The Web Worker behind the large-body tree: it decodes and parses the whole body, keeps the
// node table and the open rows (lib/tree-rows.ts), and answers each request with the rows in
// view, so a 25 MB body never blocks the inspector's main thread.
import type { TreeAnswer, TreeRequest } from './tree-messages.js';
import { TreeRows } from './tree-rows.js';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<TreeRequest>) => void) | null;
  postMessage(message: TreeAnswer): void;
};

let tree: TreeRows | null = null;

scope.onmessage = ({ data: request }) => {
  try {
    if (request.type === 'load') tree = new TreeRows(JSON.parse(new TextDecoder().decode(request.bytes)));
    if (!tree) return;
    let target: { row: number; seq: number } | undefined;
    if (request.type === 'toggle') tree.toggle(request.row);
    else if (request.type === 'openTo') tree.openTo(request.depth);
    else if (request.type === 'reveal') target = { row: tree.reveal(request.pointer), seq: request.seq };
    // A reveal answers with the rows around its target: the component scrolls there.
    const size = request.end - request.start;
    const start = target ? Math.max(0, target.row - Math.floor(size / 2)) : request.start;
    scope.postMessage({ type: 'rows', total: tree.total, start, rows: tree.window(start, start + size), ...(target ? { target } : {}) });
  } catch (error) {
    scope.postMessage({ type: 'failed', error: error instanceof Error ? error.message : String(error) });
  }
};
