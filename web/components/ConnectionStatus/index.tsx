import type { LiveStatus } from '../../lib/live-connection.js';
import { useNow } from '../../lib/use-now.js';
import styles from './style.module.css';

function label(status: LiveStatus): string {
  switch (status.state) {
    case 'connecting':
      return 'Connecting…';
    case 'connected':
      return 'Live';
    case 'reconnecting':
      return `Reconnecting (attempt ${status.attempt})`;
    case 'offline':
      return `Offline (attempt ${status.attempt})`;
    case 'gone':
      return 'Bin deleted';
    case 'store-unavailable':
      return 'Storage unavailable';
  }
}

/** The truth about the live stream, with the next retry counting down and a way to retry now. */
export function ConnectionStatus({ status, onRetry }: { status: LiveStatus; onRetry(): void }) {
  const now = useNow(1000);
  const waiting = status.state === 'reconnecting' || status.state === 'offline' || status.state === 'store-unavailable';
  const countdown = waiting ? (status.retryAt === null ? 'trying now…' : `next try in ${Math.max(0, Math.ceil((status.retryAt - now) / 1000))} s`) : '';
  const title =
    status.state === 'connected'
      ? `Receiving requests live since ${new Date(status.since).toLocaleTimeString()}`
      : status.state === 'store-unavailable'
        ? 'The server lost its storage (Redis): captures are refused with 503 and Retry-After, so senders retry. This page reconnects and catches up once storage is back.'
        : waiting
          ? 'The live connection dropped. Requests are still captured by the server and appear here once it is back.'
          : undefined;
  return (
    <div class={styles.status} data-testid="connection" data-state={status.state} title={title}>
      <span class={styles.dot} aria-hidden="true" />
      <span role="status" class={styles.label}>
        {label(status)}
      </span>
      {waiting && <span class={styles.countdown}>{countdown}</span>}
      {waiting && (
        <button type="button" data-variant="quiet" class={styles.retry} onClick={onRetry}>
          Retry now
        </button>
      )}
    </div>
  );
}
