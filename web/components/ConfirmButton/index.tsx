import { useEffect, useRef, useState } from 'preact/hooks';
import styles from './style.module.css';

interface Props {
  label: string;
  question: string;
  confirmLabel: string;
  disabled?: boolean;
  onConfirm(): unknown;
}

/** A destructive action in two steps, inline (no blocking window.confirm): ask, then do. */
export function ConfirmButton({ label, question, confirmLabel, disabled, onConfirm }: Props) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span class={styles.confirm} role="group" aria-label={question}>
      <span class={styles.question}>{question}</span>
      <button
        type="button"
        data-variant="danger"
        ref={confirmRef}
        onClick={() => {
          setAsking(false);
          void onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" onClick={() => setAsking(false)} onKeyDown={(e) => e.key === 'Escape' && setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
