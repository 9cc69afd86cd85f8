import { useEffect, useRef } from 'preact/hooks';
import styles from './style.module.css';

const KEYS: [string, string][] = [
  ['j / k', 'next (older) / previous (newer) request'],
  ['Enter or o', 'open the highlighted request'],
  ['Esc', 'close the request (or this help, or leave the filter)'],
  ['/', 'focus the filter'],
  ['Delete or #', 'delete the highlighted request'],
  ['x', 'tick the highlighted request (after “Select”, to replay many)'],
  ['?', 'show this help'],
];

const FILTERS: [string, string][] = [
  ['method:POST', 'by method; method:post,put for either'],
  ['token:invalid', 'by token status: none, valid, invalid, missing'],
  ['job_id', 'text in the path, query, headers or body (bodies up to 64 KB)'],
  ['"status": "failed"', 'quotes keep a phrase together'],
];

/** Keyboard shortcuts and filter syntax, in a native modal dialog (Esc closes it). */
export function HelpDialog({ onClose }: { onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} class={styles.dialog} aria-labelledby="help-title" onClose={onClose}>
      <h2 id="help-title">Keyboard shortcuts</h2>
      <Table rows={KEYS} />
      <h3>Filter</h3>
      <p class={styles.muted}>Words separated by spaces; every one must match.</p>
      <Table rows={FILTERS} />
      <form method="dialog">
        <button type="submit" data-variant="primary">
          Close
        </button>
      </form>
    </dialog>
  );
}

function Table({ rows }: { rows: [string, string][] }) {
  return (
    <table class={styles.table}>
      <tbody>
        {rows.map(([key, text]) => (
          <tr key={key}>
            <th scope="row">
              <kbd>{key}</kbd>
            </th>
            <td>{text}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
