import { api } from '../../lib/api.js';
import styles from './style.module.css';

interface Props {
  binId: string;
  /** The list's filter: an export holds what the list shows. */
  filter: string;
  selecting: boolean;
  selectedCount: number;
  shownCount: number;
  onSelecting(on: boolean): void;
  onSelectAll(): void;
  onSelectNone(): void;
  /** Replay the selection (when selecting) or every request shown. */
  onReplay(): void;
}

/** Under the filter: select requests (checkboxes appear on the rows) and replay them, replay all shown, or export them. */
export function ListTools({ binId, filter, selecting, selectedCount, shownCount, onSelecting, onSelectAll, onSelectNone, onReplay }: Props) {
  if (!selecting) {
    const filtered = filter.trim() !== '';
    return (
      <div class={styles.bar}>
        <button type="button" data-variant="quiet" onClick={() => onSelecting(true)} disabled={shownCount === 0}>
          Select
        </button>
        <button type="button" data-variant="quiet" onClick={onReplay} disabled={shownCount === 0}>
          Replay all shown…
        </button>
        {shownCount > 0 && (
          <span class={styles.export}>
            Export{filtered ? ' shown' : ''}:
            <a href={api.exportPath(binId, 'har', filter)} download title="An HTTP Archive: opens in browser devtools, Postman or Insomnia">
              HAR
            </a>
            <a href={api.exportPath(binId, 'ndjson', filter)} download title="JSON Lines, one request per line as the API returns it, with the exact bodies">
              JSON Lines
            </a>
          </span>
        )}
      </div>
    );
  }
  return (
    <div class={styles.bar} data-selecting="">
      <span class={styles.count} aria-live="polite">
        {selectedCount} selected
      </span>
      <button type="button" data-variant="quiet" onClick={selectedCount === shownCount ? onSelectNone : onSelectAll}>
        {selectedCount === shownCount ? 'None' : 'All shown'}
      </button>
      <button type="button" data-variant="primary" onClick={onReplay} disabled={selectedCount === 0}>
        Replay {selectedCount || ''}…
      </button>
      <button type="button" data-variant="quiet" onClick={() => onSelecting(false)}>
        Done
      </button>
    </div>
  );
}
