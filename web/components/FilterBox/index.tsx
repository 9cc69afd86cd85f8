import type { RefObject } from 'preact';
import styles from './style.module.css';

interface Props {
  value: string;
  onInput(value: string): void;
  inputRef: RefObject<HTMLInputElement | null>;
  count: number;
  more: boolean;
  loading: boolean;
}

/** The request filter (syntax of shared/filter.ts), applied on the server and to live arrivals. */
export function FilterBox({ value, onInput, inputRef, count, more, loading }: Props) {
  return (
    <div class={styles.box}>
      <label for="request-filter" class="visually-hidden">
        Filter requests
      </label>
      <input
        id="request-filter"
        ref={inputRef}
        type="search"
        value={value}
        placeholder='Filter, e.g. method:post job_id  ( / )'
        spellcheck={false}
        autocomplete="off"
        aria-describedby="request-filter-count"
        onInput={(e) => onInput(e.currentTarget.value)}
        onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.blur()}
      />
      <span id="request-filter-count" class={styles.count} aria-live="polite">
        {loading ? 'Searching…' : `${count}${more ? '+' : ''} ${value.trim() ? 'matching' : 'shown'}`}
      </span>
    </div>
  );
}
