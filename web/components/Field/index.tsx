import type { ComponentChildren } from 'preact';
import styles from './style.module.css';

/** A labelled control: the <label> wraps it, so its text (and hint) names the control. */
export function Field({ label, hint, grow, children }: { label: string; hint?: ComponentChildren; grow?: boolean; children: ComponentChildren }) {
  return (
    <label class={styles.field} data-grow={grow ? '' : undefined}>
      <span class={styles.label}>
        {label}
        {hint && <span class={styles.hint}> {hint}</span>}
      </span>
      {children}
    </label>
  );
}

/** A checkbox with its sentence. */
export function Toggle({
  checked,
  onChange,
  disabled,
  children,
}: {
  checked: boolean;
  onChange(checked: boolean): void;
  disabled?: boolean;
  children: ComponentChildren;
}) {
  return (
    <label class={styles.toggle}>
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.currentTarget.checked)} />
      <span>{children}</span>
    </label>
  );
}

/** One of a radio group, with an optional explanation under it. */
export function Choice({ name, checked, onSelect, label, hint }: { name: string; checked: boolean; onSelect(): void; label: string; hint?: string }) {
  return (
    <label class={styles.toggle}>
      <input type="radio" name={name} checked={checked} onChange={onSelect} />
      <span>
        {label}
        {hint && <span class={styles.hint}> {hint}</span>}
      </span>
    </label>
  );
}

/** A row of fields side by side (wrapping on narrow screens). */
export function Row({ children }: { children: ComponentChildren }) {
  return <div class={styles.row}>{children}</div>;
}

/** The submit button and the outcome of the last try: the server's message (as text) or a success note. */
export function FormFooter({
  busy,
  error,
  done,
  label,
  busyLabel,
}: {
  busy: boolean;
  error: string | null;
  done?: string | null;
  label: string;
  busyLabel: string;
}) {
  return (
    <div class={styles.footer}>
      <button type="submit" data-variant="primary" disabled={busy}>
        {busy ? busyLabel : label}
      </button>
      {error && (
        <p role="alert" class={styles.error} data-testid="form-error">
          {error}
        </p>
      )}
      {!error && done && (
        <p role="status" class={styles.done}>
          {done}
        </p>
      )}
    </div>
  );
}

/**
 * A one-line input for a code-like value (a token, a secret, a header name): monospace, and
 * neither spell-checked nor auto-filled, since a browser's suggestion would be a wrong secret.
 */
export function CodeInput({
  value,
  onValue,
  maxLength,
  placeholder,
  ...aria
}: {
  value: string;
  onValue(value: string): void;
  maxLength?: number;
  placeholder?: string;
  id?: string;
  'aria-label'?: string;
}) {
  return (
    <input
      type="text"
      class={styles.code}
      value={value}
      maxLength={maxLength}
      placeholder={placeholder}
      spellcheck={false}
      autocomplete="off"
      {...aria}
      onInput={(e) => onValue(e.currentTarget.value)}
    />
  );
}

/** Where hookscope sends something (replay, forward, the simulator): a URL, not spell-checked. */
export function TargetUrlInput({ value, onValue, required = true, id }: { value: string; onValue(value: string): void; required?: boolean; id?: string }) {
  return (
    <input
      id={id}
      type="url"
      required={required}
      value={value}
      placeholder="http://localhost:3000/webhook"
      spellcheck={false}
      onInput={(e) => onValue(e.currentTarget.value)}
    />
  );
}
