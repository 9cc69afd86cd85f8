import { fullUrl, formatBytes, relativeTime } from '../../lib/format.js';
import { formatDuration, statusLine } from '../../lib/http-status.js';
import type { BinInfo, RequestDetail } from '../../lib/types.js';
import { useNow } from '../../lib/use-now.js';
import { MethodBadge, SecretHeaderBadge, TokenBadge } from '../Badge/index.js';
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
      {detail.secretHeader && (
        <>
          <dt>Secret header</dt>
          <dd data-testid="secret-header-verdict">
            <SecretHeaderBadge status={detail.secretHeader} /> {bin.secretHeader ? <code>{bin.secretHeader.name}</code> : 'the header'}{' '}
            {TOKEN_TEXT[detail.secretHeader]}
          </dd>
        </>
      )}
      <dt>Answered</dt>
      <dd data-testid="answered">
        <Answered detail={detail} bin={bin} />
      </dd>
      <dt>Request id</dt>
      <dd>
        <code>{detail.id}</code>
      </dd>
    </dl>
  );
}

/** What the sender got back: a rejection, the scripted answer (which rule, step, delay), or the target's in pass-through. */
function Answered({ detail, bin }: { detail: RequestDetail; bin: BinInfo }) {
  const { rejection, response } = detail;
  if (rejection) {
    return (
      <span class={styles.danger}>
        {rejection.status} {rejection.code}: {rejection.message}
      </span>
    );
  }
  if (!response) {
    const passed = detail.deliveries.find((d) => d.trigger === 'pass-through');
    if (passed)
      return (
        <span>
          {passed.status === null ? `502 (the forward target failed: ${passed.error ?? 'no answer'})` : statusLine(passed.status)} from the forward target
          (pass-through)
        </span>
      );
    return <span>200 OK</span>;
  }
  const rule =
    response.ruleId === 'path-status'
      ? 'from the status in the path'
      : response.ruleId
        ? `by rule “${response.ruleName ?? bin.responses.rules.find((r) => r.id === response.ruleId)?.name ?? response.ruleId}”`
        : null;
  return (
    <span>
      <span class={response.status >= 400 ? styles.danger : undefined}>{statusLine(response.status)}</span>
      {rule && ` ${rule}`}
      {response.step !== undefined && `, step ${response.step + 1}`}
      {response.delayMs > 0 && `, after a ${formatDuration(response.delayMs)} delay`}
      {!rule && <span class={styles.muted}> (the bin’s default answer)</span>}
      {response.redacted?.length ? (
        <span class={styles.muted}> (without its Set-Cookie of hookscope’s own session cookie, which capture answers may not set)</span>
      ) : null}
    </span>
  );
}
