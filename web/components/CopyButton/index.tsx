import { useCopy } from '../../lib/use-clipboard.js';

interface Props {
  /** The text, or a function building it on click (for costly ones like curl). */
  text: string | (() => string);
  label?: string;
  /** Accessible name when the visible label is terse. */
  title?: string;
  variant?: 'primary' | 'quiet';
}

/** One-click copy that says whether it worked. */
export function CopyButton({ text, label = 'Copy', title, variant }: Props) {
  const [state, copy] = useCopy();
  return (
    <button type="button" data-variant={variant} title={title} aria-label={title} onClick={() => void copy(text)}>
      <span aria-live="polite">{state === 'copied' ? 'Copied ✓' : state === 'failed' ? 'Copy failed' : label}</span>
    </button>
  );
}
