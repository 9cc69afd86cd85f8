import { formatBytes, maskQuery, mediaType, relativeTime } from '../../lib/format.js';
import { rowBadges } from '../../lib/row-badges.js';
import type { RequestItem } from '../../lib/types.js';
import { binHref } from '../../lib/use-route.js';
import { MethodBadge } from '../Badge/index.js';
import { Link } from '../Link/index.js';
import { RowBadges } from '../RowBadges/index.js';
import styles from './style.module.css';

/** Rows have this fixed height (px) so the list can render only the visible ones. */
export const ROW_HEIGHT = 56;

interface Props {
  item: RequestItem;
  top: number;
  now: number;
  selected: boolean;
  cursor: boolean;
  /** The one row reached with Tab (roving tab stop); the others are reached with j/k. */
  tabStop: boolean;
  unread: boolean;
  /** Shown while selecting requests (for a replay of many): whether this one is ticked. */
  checked?: boolean | undefined;
  onCheck?: ((id: string) => void) | undefined;
}

export function RequestRow({ item, top, now, selected, cursor, tabStop, unread, checked, onCheck }: Props) {
  const query = maskQuery(item.queryString);
  const target = `${item.path || '/'}${query ? `?${query}` : ''}`;
  const rawTarget = `${item.path || '/'}${item.queryString ? `?${item.queryString}` : ''}`;
  return (
    <div role="listitem" class={styles.row} style={{ transform: `translateY(${top}px)`, height: `${ROW_HEIGHT}px` }}>
      {onCheck && (
        <label class={styles.check}>
          <input type="checkbox" checked={checked} aria-label={`Select ${item.method} ${target}`} data-select-id={item.id} onChange={() => onCheck(item.id)} />
        </label>
      )}
      <Link
        href={binHref(item.binId, item.id)}
        class={styles.link}
        data-request-row=""
        data-id={item.id}
        data-cursor={cursor ? '' : undefined}
        aria-current={selected ? 'true' : undefined}
        tabIndex={tabStop ? 0 : -1}
      >
        <span class={styles.line}>
          <span class={styles.unread} data-unread={unread ? '' : undefined} aria-label={unread ? 'unread' : undefined} />
          <MethodBadge method={item.method} />
          <span class={styles.path} title={target} data-path={rawTarget}>
            {item.path || '/'}
            {query && <span class={styles.query}>?{query}</span>}
          </span>
          <RowBadges badges={rowBadges(item)} />
        </span>
        <span class={styles.meta}>
          <time dateTime={item.receivedAt} title={item.receivedAt}>
            {relativeTime(item.receivedMs, now)}
          </time>
          <span>{formatBytes(item.size)}</span>
          <span class={styles.type}>{mediaType(item.contentType) || 'no content type'}</span>
        </span>
      </Link>
    </div>
  );
}
