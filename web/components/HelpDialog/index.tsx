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

/** The grammar of shared/filter.ts (the API's q= takes the same). */
const FILTERS: [string, string][] = [
  ['method:POST', 'by method; method:post,put for either'],
  ['token:invalid', 'by token status: none, valid, invalid, missing'],
  ['status:failed', 'the Krea job’s or LangGraph Run’s status (completed, failed, error, timeout, …)'],
  ['schema:krea-job', 'checked as: krea-job, langgraph-run, custom, none'],
  ['valid:false', 'invalid requests (valid:true: a clean verdict)'],
  ['has:problems', 'an error or warning (has:errors, has:warnings)'],
  ['duplicate:yes', 'repeated deliveries (duplicate:no: first ones)'],
  ['answered:5xx', 'what the sender was answered: 503, 5xx, 4xx, …'],
  ['path:/webhooks/*', 'the sub-path; * matches anything'],
  ['header:x-github-event=push', 'a header with that value (header:name: present)'],
  ['job_id', 'text in the path, query, headers, body (up to 64 KB), form values, file names'],
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
