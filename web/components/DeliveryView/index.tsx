import { formatBytes } from '../../lib/format.js';
import { formatDuration, statusLine } from '../../lib/http-status.js';
import type { Delivery } from '../../lib/types.js';
import { KeyValueTable } from '../KeyValueTable/index.js';
import styles from './style.module.css';

/** What a target answered to one delivery: status, headers and body, all shown as text (never HTML). */
export function DeliveryView({ delivery }: { delivery: Delivery }) {
  const { status, body } = delivery;
  // A compressed answer (Content-Encoding) is shown decoded; the bytes as sent stay in `body`.
  const shown = delivery.decodedBody ?? body;
  return (
    <div class={styles.view} data-testid="delivery-view">
      <p class={styles.status} data-ok={status !== null && status < 400 ? '' : undefined}>
        {status === null ? 'No response' : statusLine(status)} <span class={styles.muted}>in {formatDuration(delivery.durationMs)}</span>
      </p>
      <p class={styles.muted}>
        {delivery.method} <code>{delivery.target}</code>
      </p>
      {delivery.error && (
        <p class={styles.error} role="status">
          {delivery.error}
        </p>
      )}
      {delivery.warning && <p class={styles.warn}>{delivery.warning}</p>}
      {status !== null && (
        <>
          <KeyValueTable rows={delivery.headers} label="Response headers" empty="No headers." />
          {!body || !shown || delivery.size === 0 ? (
            <p class={styles.muted}>Empty body.</p>
          ) : (
            <>
              {shown === body && body.truncated && <p class={styles.muted}>The first part of {formatBytes(delivery.size)}:</p>}
              {shown !== body && (
                <p class={styles.muted}>
                  Decoded from {contentEncoding(delivery)} ({formatBytes(delivery.size)} as sent){shown.truncated ? ', the first part' : ''}:
                </p>
              )}
              <pre class={styles.body} data-testid="delivery-body">
                {shown.encoding === 'utf8' ? shown.data : `(binary, ${formatBytes(delivery.size)}; base64)\n${shown.data}`}
              </pre>
            </>
          )}
        </>
      )}
    </div>
  );
}

function contentEncoding(delivery: Delivery): string {
  return delivery.headers.find(([name]) => name.toLowerCase() === 'content-encoding')?.[1] ?? 'its content encoding';
}
