import styles from './style.module.css';

interface Props {
  selecting: boolean;
  selectedCount: number;
  shownCount: number;
  onSelecting(on: boolean): void;
  onSelectAll(): void;
  onSelectNone(): void;
  /** Replay the selection (when selecting) or every request shown. */
  onReplay(): void;
}

/** Under the filter: select requests (checkboxes appear on the rows) and replay them, or replay all shown. */
export function ListTools({ selecting, selectedCount, shownCount, onSelecting, onSelectAll, onSelectNone, onReplay }: Props) {
  if (!selecting) {
    return (
      <div class={styles.bar}>
        <button type="button" data-variant="quiet" onClick={() => onSelecting(true)} disabled={shownCount === 0}>
          Select
        </button>
        <button type="button" data-variant="quiet" onClick={onReplay} disabled={shownCount === 0}>
          Replay all shown…
        </button>
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
