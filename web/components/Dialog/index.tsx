import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import styles from './style.module.css';

interface Props {
  title: string;
  /** Kept for tests and styles (data-testid). */
  testId: string;
  wide?: boolean;
  onClose(): void;
  children: ComponentChildren;
}

/**
 * A native modal <dialog>: focus is trapped and returned, Esc closes, the page behind is inert.
 * Mounted when shown, so its forms start from the current settings each time.
 */
export function Dialog({ title, testId, wide, onClose, children }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const id = `${testId}-title`;
  return (
    <dialog ref={dialog} class={styles.dialog} data-wide={wide ? '' : undefined} aria-labelledby={id} data-testid={testId} onClose={onClose}>
      <header class={styles.head}>
        <h2 id={id}>{title}</h2>
        <button type="button" data-variant="quiet" aria-label="Close" onClick={() => dialog.current?.close()}>
          ✕
        </button>
      </header>
      <div class={styles.body}>{children}</div>
    </dialog>
  );
}
