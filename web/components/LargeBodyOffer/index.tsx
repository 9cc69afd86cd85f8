import styles from './style.module.css';

/**
 * What a large-body view (LargeTextView, LargeJsonTree) shows until it is drawn: a button that
 * loads the body (nothing is fetched before it is pressed), "Loading…" while it is read, or
 * `failed`, the reason it could not be shown.
 */
export function LargeBodyOffer({
  loading,
  failed,
  label,
  note,
  onLoad,
}: {
  loading: boolean;
  failed?: string;
  label: string;
  note: string;
  onLoad: () => void;
}) {
  if (failed !== undefined)
    return (
      <p role="alert" class={styles.muted}>
        {failed}
      </p>
    );
  return (
    <p class={styles.offer}>
      <button type="button" onClick={onLoad} disabled={loading} data-testid="load-large">
        {loading ? 'Loading…' : label}
      </button>{' '}
      <span class={styles.muted}>{note}</span>
    </p>
  );
}
