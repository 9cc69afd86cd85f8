import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../lib/api.js';
import { formatBytes } from '../../lib/format.js';
import { WRAP, type LinesResult } from '../../lib/text-lines.js';
import { LargeBodyOffer } from '../LargeBodyOffer/index.js';
import styles from './style.module.css';

const ROW_HEIGHT = 18;
const VIEW_HEIGHT = 560;
const OVERSCAN = 20;

type State = { kind: 'idle' } | { kind: 'loading' } | { kind: 'ready'; text: string; starts: Uint32Array } | { kind: 'failed'; message: string };

/**
 * A body too large for the detail's inline copy (over 1 MB, up to the 25 MB limit): fetched
 * whole only when asked, decoded, parsed and split into rows in a Web Worker, then shown as a
 * virtualised list (only the rows in view exist), as raw text or pretty-printed JSON.
 */
export function LargeTextView({ binId, requestId, size, mode }: { binId: string; requestId: string; size: number; mode: 'raw' | 'pretty' }) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [scrollTop, setScrollTop] = useState(0);
  const worker = useRef<Worker | null>(null);
  useEffect(() => () => worker.current?.terminate(), []);

  const load = async () => {
    setState({ kind: 'loading' });
    try {
      const bytes = await api.bodyBytes(binId, requestId);
      const w = new Worker(new URL('../../lib/text-worker.ts', import.meta.url), { type: 'module' });
      worker.current = w;
      w.onmessage = (event: MessageEvent<LinesResult>) => {
        const result = event.data;
        setState(
          result.ok ? { kind: 'ready', text: result.text, starts: result.starts } : { kind: 'failed', message: `It does not parse as JSON: ${result.error}` },
        );
        w.terminate();
      };
      w.onerror = () => setState({ kind: 'failed', message: 'The body could not be read.' });
      w.postMessage({ bytes, mode }, [bytes]);
    } catch (error) {
      setState({ kind: 'failed', message: `Could not load the body: ${(error as Error).message}` });
    }
  };

  if (state.kind !== 'ready')
    return (
      <LargeBodyOffer
        loading={state.kind === 'loading'}
        failed={state.kind === 'failed' ? state.message : undefined}
        label={`Show all ${formatBytes(size)} ${mode === 'pretty' ? 'pretty-printed' : 'as text'}`}
        note="Read in the background; only the lines in view are drawn."
        onLoad={() => void load()}
      />
    );

  const { text, starts } = state;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(starts.length, Math.ceil((scrollTop + VIEW_HEIGHT) / ROW_HEIGHT) + OVERSCAN);
  const rows = [];
  for (let i = first; i < last; i++) {
    const start = starts[i]!;
    const next = i + 1 < starts.length ? starts[i + 1]! : text.length;
    // A row ends at the next row's start, or at its line's end (the newline is not drawn).
    const end = Math.min(next, start + WRAP, text.indexOf('\n', start) < 0 ? text.length : text.indexOf('\n', start));
    rows.push(
      <div key={i} class={styles.row} style={{ top: `${i * ROW_HEIGHT}px` }}>
        {text.slice(start, end)}
      </div>,
    );
  }
  return (
    <div
      class={styles.scroller}
      style={{ height: `${VIEW_HEIGHT}px` }}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      data-testid="large-text"
      data-rows={starts.length}
      tabIndex={0}
    >
      <div class={styles.canvas} style={{ height: `${starts.length * ROW_HEIGHT}px` }}>
        {rows}
      </div>
    </div>
  );
}
