import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.js';
import type { TreeRow } from './json-nodes.js';
import type { TreeAnswer, TreeRequest } from './tree-messages.js';

/** Where the large tree stands: `rows` start at row `start`; `target` is the row a reveal asked for. */
export type LargeTree =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'ready'; total: number; start: number; rows: TreeRow[]; target?: { row: number; seq: number } }
  | { kind: 'failed'; message: string };

/** A request without its window: the hook adds the rows the view asked for last. */
type Ask = { type: 'toggle'; row: number } | { type: 'openTo'; depth: number } | { type: 'reveal'; pointer: string; seq: number } | { type: 'window' };

/**
 * The large-body tree's state, kept in a Web Worker (lib/tree-worker.ts): `load()` fetches the
 * whole body and hands its bytes to the worker; `ask` sends a request for the window set with
 * `view(start, end)`. The main thread holds only the rows in that window.
 */
export function useLargeTree(binId: string, requestId: string) {
  const [state, setState] = useState<LargeTree>({ kind: 'idle' });
  const worker = useRef<Worker | null>(null);
  const range = useRef({ start: 0, end: 0 });
  useEffect(() => () => worker.current?.terminate(), []);

  const load = async (start: number, end: number, then?: Ask) => {
    setState({ kind: 'loading' });
    range.current = { start, end };
    try {
      const bytes = await api.bodyBytes(binId, requestId);
      const w = new Worker(new URL('./tree-worker.ts', import.meta.url), { type: 'module' });
      worker.current = w;
      w.onmessage = ({ data }: MessageEvent<TreeAnswer>) =>
        setState(data.type === 'rows' ? { kind: 'ready', ...data } : { kind: 'failed', message: `It does not parse as JSON: ${data.error}` });
      w.onerror = () => setState({ kind: 'failed', message: 'The body could not be read.' });
      post({ type: 'load', bytes, start, end }, [bytes]);
      if (then) ask(then);
    } catch (error) {
      setState({ kind: 'failed', message: `Could not load the body: ${(error as Error).message}` });
    }
  };
  const post = (request: TreeRequest, transfer: Transferable[] = []) => worker.current?.postMessage(request, transfer);
  const ask = (request: Ask) => post({ ...request, ...range.current });
  /** Sets the window of rows to keep current, and fetches it when `fetch` (it is not all held yet). */
  const view = (start: number, end: number, fetch: boolean) => {
    range.current = { start, end };
    if (fetch) ask({ type: 'window' });
  };
  return { state, load, ask, view };
}
