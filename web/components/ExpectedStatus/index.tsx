import type { ExpectedId } from '../../../shared/api-types.js';
import type { ExpectedStates } from '../../lib/expected-ids.js';
import { relativeTime } from '../../lib/format.js';
import { formatDuration } from '../../lib/payload-fields.js';
import { useNow } from '../../lib/use-now.js';
import { binHref } from '../../lib/use-route.js';
import { Badge, type Tone } from '../Badge/index.js';
import { Link } from '../Link/index.js';
import styles from './style.module.css';

/** Shown at most; the rest is counted (GET …/expected lists them all). */
const MAX_SHOWN = 100;
const ORDER: Record<ExpectedId['state'], number> = { overdue: 0, pending: 1, arrived: 2 };
const TONES: Record<ExpectedId['state'], Tone> = { overdue: 'danger', pending: 'warn', arrived: 'ok' };

/**
 * The bin's expected ids at a glance: how many are overdue, pending and arrived, and each id with
 * its state (overdue first): pending with the time left, arrived with a link to the request that
 * brought it, overdue since its deadline. The states are the server's, moved along live.
 */
export function ExpectedStatus({ binId, expected }: { binId: string; expected: ExpectedStates }) {
  const now = useNow(1000);
  const count = (state: ExpectedId['state']) => expected.filter((e) => e.state === state).length;
  const overdue = count('overdue');
  const shown = [...expected].sort((a, b) => ORDER[a.state] - ORDER[b.state]).slice(0, MAX_SHOWN);
  return (
    <details class={styles.panel} data-testid="expected-status" data-overdue={overdue > 0 ? '' : undefined} open>
      <summary class={styles.summary}>
        Expected ids:{' '}
        <span data-testid="expected-summary">{[`${overdue} overdue`, `${count('pending')} pending`, `${count('arrived')} arrived`].join(' · ')}</span>
      </summary>
      <ul class={styles.list}>
        {shown.map((e) => (
          <li key={e.id} data-expected-id={e.id} data-state={e.state}>
            <Badge tone={TONES[e.state]}>{e.state}</Badge> <code class={styles.id}>{e.id}</code> <StateDetail binId={binId} entry={e} now={now} />
          </li>
        ))}
      </ul>
      {expected.length > MAX_SHOWN && (
        <p class={styles.more}>
          and {expected.length - MAX_SHOWN} more (GET /api/bins/{binId}/expected lists them all)
        </p>
      )}
    </details>
  );
}

function StateDetail({ binId, entry, now }: { binId: string; entry: ExpectedId; now: number }) {
  const due = entry.due === undefined ? null : Date.parse(entry.due);
  if (entry.state === 'arrived') {
    if (entry.requestId === undefined) return <span class={styles.detail}>arrived</span>;
    return (
      <Link href={binHref(binId, entry.requestId)} class={styles.detail} data-testid="expected-request">
        arrived in request {entry.requestId}
      </Link>
    );
  }
  if (entry.state === 'overdue') {
    return (
      <time class={styles.detail} dateTime={entry.due} title={entry.due}>
        overdue since {due === null ? 'its deadline' : `${new Date(due).toLocaleTimeString()} (${relativeTime(due, now)})`}
      </time>
    );
  }
  if (due === null) return <span class={styles.detail}>no deadline</span>;
  // Until the server says overdue (its sweep runs every second), a passed deadline reads as due now.
  return (
    <time class={styles.detail} dateTime={entry.due} title={entry.due} data-testid="expected-time-left">
      {due > now ? `${formatDuration(due - now)} left` : 'due now'}
    </time>
  );
}
