import { useEffect, useRef, useState } from 'preact/hooks';
import { formatBytes } from '../../lib/format.js';
import type { TreeRow } from '../../lib/json-nodes.js';
import { EXPAND_ALL_DEPTH } from '../../lib/tree-messages.js';
import { useLargeTree } from '../../lib/use-large-tree.js';
import type { TreeFocus } from '../JsonTree/index.js';
import colours from '../JsonTree/style.module.css';
import { LargeBodyOffer } from '../LargeBodyOffer/index.js';
import scrolling from '../LargeTextView/style.module.css';
import styles from './style.module.css';

const ROW_HEIGHT = 20;
const VIEW_HEIGHT = 560;
/** Rows drawn beyond each edge of the view, and (twice that) held beyond it, so scrolling rarely waits for the worker. */
const OVERSCAN = 15;
const INDENT = 16;

/**
 * The JSON tree of a body too large for the detail's inline copy (over 1 MB, up to the 25 MB
 * limit): fetched whole only when asked (or when `focus` asks to reveal a node), parsed in a Web
 * Worker that builds a node's children only when it is opened, and drawn as a virtualised list
 * (only the rows in view exist). It opens, closes, expands all and reveals like the small tree.
 */
export function LargeJsonTree({ binId, requestId, size, focus = null }: { binId: string; requestId: string; size: number; focus?: TreeFocus | null }) {
  const { state, load, ask, view } = useLargeTree(binId, requestId);
  const [scrollTop, setScrollTop] = useState(0);
  const [marked, setMarked] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const revealed = useRef(0);
  const visible = Math.ceil(VIEW_HEIGHT / ROW_HEIGHT);
  const initial = visible + 2 * OVERSCAN;

  useEffect(() => {
    if (!focus) return;
    const reveal = { type: 'reveal', pointer: focus.pointer, seq: focus.seq } as const;
    if (state.kind === 'ready') ask(reveal);
    else if (state.kind === 'idle') void load(0, initial, reveal);
  }, [focus]);
  useEffect(() => {
    // A reveal's answer: scroll to its row, mark it and give its button the focus.
    if (state.kind !== 'ready' || !state.target || state.target.seq === revealed.current) return;
    revealed.current = state.target.seq;
    const row = state.rows[state.target.row - state.start];
    const el = scroller.current;
    if (!row || !el) return;
    el.closest('details')?.setAttribute('open', '');
    el.scrollIntoView({ block: 'nearest' });
    el.scrollTop = Math.max(0, state.target.row * ROW_HEIGHT - VIEW_HEIGHT / 2);
    setScrollTop(el.scrollTop);
    setMarked(row.pointer);
  }, [state]);
  useEffect(() => {
    scroller.current?.querySelector<HTMLElement>('[data-highlighted] button')?.focus({ preventScroll: true });
  }, [marked]);

  if (state.kind !== 'ready')
    return (
      <LargeBodyOffer
        loading={state.kind === 'loading'}
        failed={state.kind === 'failed' ? state.message : undefined}
        label={`Show all ${formatBytes(size)} as a JSON tree`}
        note="Read in the background; a node’s children are built when it is opened, and only the rows in view are drawn."
        onLoad={() => void load(0, initial)}
      />
    );

  const { total, start, rows } = state;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(total, Math.floor(scrollTop / ROW_HEIGHT) + visible + OVERSCAN);
  const onScroll = (top: number) => {
    setScrollTop(top);
    const from = Math.max(0, Math.floor(top / ROW_HEIGHT) - 2 * OVERSCAN);
    const to = Math.floor(top / ROW_HEIGHT) + visible + 2 * OVERSCAN;
    view(from, to, Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN) < start || Math.min(total, to - OVERSCAN) > start + rows.length);
  };
  const drawn = [];
  for (let i = first; i < last; i++) {
    const row = rows[i - start];
    if (row) drawn.push(<Row key={i} index={i} row={row} marked={!row.close && row.pointer === marked} onToggle={() => ask({ type: 'toggle', row: i })} />);
  }
  return (
    <div class={styles.tree} data-testid="large-tree">
      <div class={styles.toolbar}>
        <button type="button" data-variant="quiet" onClick={() => ask({ type: 'openTo', depth: EXPAND_ALL_DEPTH })}>
          Expand all
        </button>
        <button type="button" data-variant="quiet" onClick={() => ask({ type: 'openTo', depth: 1 })}>
          Collapse all
        </button>
      </div>
      <div
        ref={scroller}
        class={scrolling.scroller}
        style={{ height: `${VIEW_HEIGHT}px` }}
        onScroll={(e) => onScroll(e.currentTarget.scrollTop)}
        data-rows={total}
        tabIndex={0}
      >
        <div class={scrolling.canvas} style={{ height: `${total * ROW_HEIGHT}px` }}>
          {drawn}
        </div>
      </div>
    </div>
  );
}

function Row({ index, row, marked, onToggle }: { index: number; row: TreeRow; marked: boolean; onToggle: () => void }) {
  const comma = row.last ? '' : ',';
  const isArray = row.kind === 'array';
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  const place = { class: styles.row, style: { top: `${index * ROW_HEIGHT}px`, paddingLeft: `${row.depth * INDENT + 6}px` } };
  if (row.close)
    return (
      <div {...place}>
        <span class={colours.brace}>{close + comma}</span>
      </div>
    );
  const label =
    row.label === null ? null : typeof row.label === 'number' ? (
      <span class={colours.index}>{row.label}: </span>
    ) : (
      <span class={colours.key}>{JSON.stringify(row.label)}: </span>
    );
  const mark = { 'data-pointer': row.pointer, 'data-highlighted': marked ? '' : undefined };
  if ((isArray || row.kind === 'object') && row.count > 0) {
    const noun = isArray ? (row.count === 1 ? 'item' : 'items') : row.count === 1 ? 'key' : 'keys';
    return (
      <div {...place} {...mark}>
        <button type="button" class={colours.toggle} aria-expanded={row.open} onClick={onToggle}>
          <span class={colours.arrow} aria-hidden="true">
            {row.open ? '▾' : '▸'}
          </span>
          {label}
          <span class={colours.brace}>{open}</span>
          {!row.open && <span class={colours.summary}> {`${row.count.toLocaleString()} ${noun}`} </span>}
          {!row.open && <span class={colours.brace}>{close + comma}</span>}
        </button>
      </div>
    );
  }
  return (
    <div {...place} {...mark}>
      <span class={colours.arrow} />
      {label}
      <Value row={row} />
      {comma}
    </div>
  );
}

function Value({ row }: { row: TreeRow }) {
  if (row.kind === 'array' || row.kind === 'object') return <span class={colours.brace}>{row.kind === 'array' ? '[]' : '{}'}</span>;
  if (row.kind === 'deep') return <span class={colours.summary}>{row.text}</span>;
  return (
    <>
      <span class={colours[row.kind]}>{row.text}</span>
      {row.cut > 0 && <span class={colours.summary}> … {row.cut.toLocaleString()} more characters (see Pretty or Raw)</span>}
    </>
  );
}
