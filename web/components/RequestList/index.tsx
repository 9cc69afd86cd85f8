import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { RequestItem } from '../../lib/types.js';
import { useNow } from '../../lib/use-now.js';
import { RequestRow, ROW_HEIGHT } from '../RequestRow/index.js';
import styles from './style.module.css';

interface Props {
  items: readonly RequestItem[];
  selectedId: string | null;
  cursorId: string | null;
  /** Changes when the keyboard moved the cursor: the cursor row is scrolled to and focused. */
  focusTick: number;
  unread: ReadonlySet<string>;
  loading: boolean;
  hasMore: boolean;
  loadingOlder: boolean;
  onLoadOlder(): void;
  filtered: boolean;
  /** The filter text: when it changes (cleared, say), the list goes back to its top. */
  filter?: string;
  /** While selecting: the ticked ids and how to toggle one; null otherwise. */
  selection: { ids: ReadonlySet<string>; toggle(id: string): void } | null;
}

/** Rows drawn beyond the visible ones, above and below, so fast scrolling shows no gaps. */
const OVERSCAN = 6;
const FOOTER_HEIGHT = 56;

/**
 * The request list, newest first. Only the rows in view (plus a few) exist in the DOM: rows
 * have a fixed height and sit at `index × height`, so a thousand requests cost as much as
 * twenty. Scrolling near the end loads older pages.
 */
export function RequestList(props: Props) {
  const { items, selectedId, cursorId, focusTick, unread, loading, hasMore, loadingOlder, onLoadOlder, filtered, filter, selection } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const now = useNow(10_000);
  const firstId = useRef<string | null>(null);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    setHeight(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  // New requests arrive at the top: when the reader has scrolled down, keep their rows still.
  useLayoutEffect(() => {
    const el = scroller.current;
    const previous = firstId.current;
    firstId.current = items[0]?.id ?? null;
    if (!el || !previous || el.scrollTop === 0) return;
    const shift = items.findIndex((item) => item.id === previous);
    if (shift > 0) {
      el.scrollTop += shift * ROW_HEIGHT;
      setScrollTop(el.scrollTop);
    }
  }, [items]);

  const lastFilter = useRef(filter);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (lastFilter.current === filter || !el) return;
    lastFilter.current = filter;
    el.scrollTop = 0;
    setScrollTop(0);
  }, [filter]);

  // Keyboard moves: bring the cursor row into view, then focus it in the commit that renders it.
  const pendingFocus = useRef<string | null>(null);
  useLayoutEffect(() => {
    const el = scroller.current;
    const index = items.findIndex((item) => item.id === cursorId);
    if (!el || index < 0 || focusTick === 0) return;
    const top = index * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
    setScrollTop(el.scrollTop);
    pendingFocus.current = cursorId;
  }, [focusTick]);
  useLayoutEffect(() => {
    const id = pendingFocus.current;
    const row = id ? scroller.current?.querySelector<HTMLElement>(`[data-id="${id}"]`) : null;
    if (!row) return;
    row.focus({ preventScroll: true });
    pendingFocus.current = null;
  });

  const total = items.length * ROW_HEIGHT;
  useEffect(() => {
    if (hasMore && !loadingOlder && !loading && scrollTop + height > total - ROW_HEIGHT * 10) onLoadOlder();
  }, [scrollTop, height, total, hasMore, loadingOlder, loading]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const visible = items.slice(first, last);
  const cursorShown = visible.some((item) => item.id === cursorId);

  return (
    <div ref={scroller} class={styles.scroller} data-testid="request-list" onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} tabIndex={-1}>
      <div role="list" aria-label="Requests" class={styles.canvas} style={{ height: `${total + FOOTER_HEIGHT}px` }}>
        {visible.map((item, i) => (
          <RequestRow
            key={item.id}
            item={item}
            top={(first + i) * ROW_HEIGHT}
            now={now}
            selected={item.id === selectedId}
            cursor={item.id === cursorId}
            // Without the cursor in the DOM, the first rendered row takes the tab stop.
            tabStop={cursorShown ? item.id === cursorId : i === 0}
            unread={unread.has(item.id)}
            checked={selection?.ids.has(item.id)}
            onCheck={selection?.toggle}
          />
        ))}
      </div>
      <div class={styles.footer} style={{ top: `${total}px` }}>
        {loading && items.length === 0 ? (
          <span>Loading…</span>
        ) : items.length === 0 ? (
          <span>{filtered ? 'No request matches this filter.' : 'No requests yet.'}</span>
        ) : hasMore ? (
          <button type="button" onClick={onLoadOlder} disabled={loadingOlder}>
            {loadingOlder ? 'Loading older…' : 'Load older'}
          </button>
        ) : (
          <span>
            {items.length} request{items.length === 1 ? '' : 's'}, oldest shown
          </span>
        )}
      </div>
    </div>
  );
}
