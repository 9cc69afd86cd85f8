import { fullUrl, formatBytes, relativeTime } from '../../lib/format.js';
import type { BinInfo, RequestDetail } from '../../lib/types.js';
import { useNow } from '../../lib/use-now.js';
import { MethodBadge, TokenBadge } from '../Badge/index.js';
import { CopyButton } from '../CopyButton/index.js';
import styles from './style.module.css';

const TOKEN_TEXT = { none: 'the bin has no token', valid: 'matched', invalid: 'did not match', missing: 'not sent' } as const;

/** The facts of one request at a glance. */
export function Overview({ detail, bin }: { detail: RequestDetail; bin: BinInfo }) {
  const now = useNow(10_000);
  const url = fullUrl(bin.url, detail.path, detail.queryString);
  return (
    <dl class={styles.grid}>
      <dt>Method</dt>
      <dd>
        <MethodBadge method={detail.method} />
      </dd>
      <dt>URL</dt>
      <dd class={styles.url}>
        <code data-testid="full-url">{url}</code> <CopyButton text={url} title="Copy URL" />
      </dd>
      <dt>Received</dt>
      <dd>
        <time dateTime={detail.receivedAt}>{detail.receivedAt}</time> <span class={styles.muted}>({relativeTime(detail.receivedMs, now)})</span>
      </dd>
      <dt>From</dt>
      <dd>
        <code>{detail.remoteAddress ?? 'unknown'}</code>
      </dd>
      <dt>Size</dt>
      <dd>
        {formatBytes(detail.size)} {detail.size >= 1024 && <span class={styles.muted}>({detail.size.toLocaleString()} bytes)</span>}
      </dd>
      <dt>Content type</dt>
      <dd>
        <code>{detail.contentType ?? '(none)'}</code>
      </dd>
      <dt>Token</dt>
      <dd>
        <TokenBadge token={detail.token} /> {TOKEN_TEXT[detail.token]}
      </dd>
      <dt>Answered</dt>
      <dd>
        {detail.rejection ? (
          <span class={styles.danger}>
            {detail.rejection.status} {detail.rejection.code}: {detail.rejection.message}
          </span>
        ) : (
          '200 OK'
        )}
      </dd>
      <dt>Request id</dt>
      <dd>
        <code>{detail.id}</code>
      </dd>
    </dl>
  );
}
