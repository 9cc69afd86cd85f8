import type { RefObject } from 'preact';
import { useMemo } from 'preact/hooks';
import { FILTER_OPERATORS, parseFilter } from '../../../shared/filter.js';
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
  const hint = useMemo(() => filterHint(value), [value]);
  return (
    <>
      <div class={styles.box}>
        <label for="request-filter" class="visually-hidden">
          Filter requests
        </label>
        <input
          id="request-filter"
          ref={inputRef}
          type="search"
          value={value}
          placeholder="Filter, e.g. method:post job_id  ( / )"
          spellcheck={false}
          autocomplete="off"
          aria-describedby={hint ? 'request-filter-count request-filter-hint' : 'request-filter-count'}
          onInput={(e) => onInput(e.currentTarget.value)}
          onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.blur()}
        />
        <span id="request-filter-count" class={styles.count} aria-live="polite">
          {loading ? 'Searching…' : `${count}${more ? '+' : ''} ${value.trim() ? 'matching' : 'shown'}`}
        </span>
      </div>
      {hint && (
        <p id="request-filter-hint" class={styles.hint} role="status" data-testid="filter-hint">
          {hint}
        </p>
      )}
    </>
  );
}

/** What the filter cannot do as written: an operator it does not know, or a value it does not take. */
function filterHint(value: string): string | null {
  const filter = parseFilter(value);
  if (filter.invalid.length > 0) return `“${filter.invalid[0]}” is not a value this filter takes: it matches nothing. Press ? for the syntax.`;
  if (filter.unknown.length > 0) {
    return `“${filter.unknown[0]}:” is not a filter, so it is searched as text. Filters: ${FILTER_OPERATORS.map((op) => `${op}:`).join(' ')}; put text with a colon in quotes.`;
  }
  return null;
}
