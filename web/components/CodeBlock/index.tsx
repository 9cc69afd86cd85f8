import { CopyButton } from '../CopyButton/index.js';
import styles from './style.module.css';

/** Code shown as text, with a copy button; `label` names it for screen readers. */
export function CodeBlock({ code, label }: { code: string; label: string }) {
  return (
    <div class={styles.block}>
      <pre class={styles.pre} aria-label={label} tabIndex={0}>
        <code>{code}</code>
      </pre>
      <div class={styles.copy}>
        <CopyButton text={code} title={`Copy ${label}`} />
      </div>
    </div>
  );
}
