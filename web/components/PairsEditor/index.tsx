import styles from './style.module.css';

interface Props {
  /** Names the group and its inputs ("Header" → "Header name 1", "Header value of X-Id"). */
  label: string;
  pairs: [string, string][];
  onChange(pairs: [string, string][]): void;
  disabled?: boolean;
}

/** Editable [name, value] rows in order (headers may repeat), with add and remove. */
export function PairsEditor({ label, pairs, onChange, disabled }: Props) {
  const set = (index: number, column: 0 | 1, text: string) =>
    onChange(pairs.map((pair, i) => (i === index ? (column === 0 ? [text, pair[1]] : [pair[0], text]) : pair)));
  return (
    <div class={styles.pairs} role="group" aria-label={`${label}s`}>
      {pairs.map(([name, value], i) => (
        <div class={styles.row} key={i}>
          <input
            type="text"
            class={styles.name}
            value={name}
            aria-label={`${label} name ${i + 1}`}
            spellcheck={false}
            disabled={disabled}
            onInput={(e) => set(i, 0, e.currentTarget.value)}
          />
          <input
            type="text"
            class={styles.value}
            value={value}
            aria-label={`${label} value of ${name || `row ${i + 1}`}`}
            spellcheck={false}
            disabled={disabled}
            onInput={(e) => set(i, 1, e.currentTarget.value)}
          />
          <button
            type="button"
            data-variant="quiet"
            aria-label={`Remove ${name || `row ${i + 1}`}`}
            title="Remove"
            disabled={disabled}
            onClick={() => onChange(pairs.filter((_, j) => j !== i))}
          >
            ✕
          </button>
        </div>
      ))}
      <div>
        <button type="button" disabled={disabled} onClick={() => onChange([...pairs, ['', '']])}>
          + {label}
        </button>
      </div>
    </div>
  );
}
