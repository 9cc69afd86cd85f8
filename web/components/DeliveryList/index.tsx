import { formatDuration, statusLine } from '../../lib/http-status.js';
import type { Delivery } from '../../lib/types.js';
import { Badge } from '../Badge/index.js';
import styles from './style.module.css';

const TRIGGERS: Record<Delivery['trigger'], string> = { replay: 'replay', forward: 'auto-forward', 'pass-through': 'pass-through', simulated: 'send' };

interface Props {
  /** In the order to show them. */
  deliveries: readonly Delivery[];
  label: string;
  selectedId?: string | null;
  /** When given, each row is a button that selects its delivery. */
  onSelect?(id: string): void;
}

/** Deliveries to targets, one line each: trigger, outcome, duration, time, target, try and next try. */
export function DeliveryList({ deliveries, label, selectedId, onSelect }: Props) {
  return (
    <ol class={styles.list} aria-label={label}>
      {deliveries.map((d) => {
        const ok = d.status !== null && d.status >= 200 && d.status < 300;
        const content = (
          <>
            <Badge tone={ok ? 'ok' : 'danger'}>{d.status === null ? 'no response' : statusLine(d.status)}</Badge>
            <span class={styles.trigger}>
              {TRIGGERS[d.trigger]}
              {d.try !== undefined && ` · try ${d.try}`}
            </span>
            <span class={styles.duration}>{formatDuration(d.durationMs)}</span>
            <time class={styles.time} dateTime={d.at} title={d.at}>
              {new Date(d.at).toLocaleTimeString()}
            </time>
            <span class={styles.target} title={d.target}>
              {d.method} {d.target}
              {d.modified && <span class={styles.modified}> (modified: {d.modified.join(', ')})</span>}
            </span>
            {d.error && <span class={styles.error}>{d.error}</span>}
            {d.nextTryInMs !== undefined && <span class={styles.next}>next try in {formatDuration(d.nextTryInMs)}</span>}
          </>
        );
        return (
          <li key={d.id} data-delivery-id={d.id} data-trigger={d.trigger} data-status={d.status ?? 'none'}>
            {onSelect ? (
              <button type="button" class={styles.row} aria-pressed={d.id === selectedId} onClick={() => onSelect(d.id)}>
                {content}
              </button>
            ) : (
              <div class={styles.row}>{content}</div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
