import { useMemo } from 'preact/hooks';
import { toCurl } from '../../../shared/curl.js';
import { api } from '../../lib/api.js';
import type { BinSession } from '../../lib/bin-session.js';
import { fullUrl } from '../../lib/format.js';
import type { BinInfo, RequestDetail } from '../../lib/types.js';
import { useRequestDetail } from '../../lib/use-request-detail.js';
import { MethodBadge } from '../Badge/index.js';
import { BodyView } from '../BodyView/index.js';
import { CodeBlock } from '../CodeBlock/index.js';
import { CopyButton } from '../CopyButton/index.js';
import { KeyValueTable } from '../KeyValueTable/index.js';
import { Overview } from '../Overview/index.js';
import { Verdicts } from '../Verdicts/index.js';
import styles from './style.module.css';

interface Props {
  session: BinSession;
  bin: BinInfo;
  requestId: string;
  /** Shown on the back button (narrow screens), where the list is out of sight. */
  unreadCount: number;
  onBack(): void;
  onDelete(): void;
}

export function RequestDetailView({ session, bin, requestId, unreadCount, onBack, onDelete }: Props) {
  const { detail, error, loading } = useRequestDetail(session, requestId);
  return (
    <article class={styles.detail} aria-labelledby="detail-title" data-testid="request-detail">
      <button type="button" class={styles.back} onClick={onBack}>
        ← Requests{unreadCount > 0 && ` (${unreadCount} new)`}
      </button>
      {loading && <p class={styles.muted}>Loading…</p>}
      {error && (
        <p role="alert" class={styles.muted}>
          {error.message}
        </p>
      )}
      {detail && <Loaded detail={detail} bin={bin} onDelete={onDelete} />}
    </article>
  );
}

function Loaded({ detail, bin, onDelete }: { detail: RequestDetail; bin: BinInfo; onDelete(): void }) {
  const curl = useMemo(
    () =>
      toCurl({
        method: detail.method,
        url: fullUrl(bin.url, detail.path, detail.queryString),
        rawHeaders: detail.rawHeaders,
        body: detail.body,
        size: detail.size,
        bodyUrl: new URL(api.bodyPath(detail.binId, detail.id), location.href).href,
      }),
    [detail, bin.url],
  );
  return (
    <>
      <header class={styles.header}>
        <h2 id="detail-title" class={styles.title}>
          <MethodBadge method={detail.method} />
          <span class={styles.path}>
            {detail.path || '/'}
            {detail.queryString && <span class={styles.query}>?{detail.queryString}</span>}
          </span>
        </h2>
        <Verdicts verdicts={detail.verdicts} replays={detail.replays} />
        <div class={styles.actions}>
          <CopyButton text={curl} label="Copy as curl" />
          <a class="button" href={api.bodyPath(detail.binId, detail.id, true)} download>
            Download body
          </a>
          <button type="button" onClick={onDelete}>
            Delete
          </button>
        </div>
      </header>
      <Section title="Overview">
        <Overview detail={detail} bin={bin} />
      </Section>
      <Section title="Body">
        <BodyView key={detail.id} detail={detail} />
      </Section>
      <Section title={`Query (${detail.query.length})`}>
        <KeyValueTable rows={detail.query} label="Query parameters" nameHeader="Key" empty="No query string." />
      </Section>
      <Section title={`Headers (${detail.rawHeaders.length})`}>
        <KeyValueTable rows={detail.rawHeaders} label="Headers" empty="No headers." />
      </Section>
      <Section title="As curl" open={false}>
        <p class={styles.muted}>Re-sends this request byte for byte: method, URL, headers in order, exact body.</p>
        <CodeBlock code={curl} label="curl command" />
      </Section>
    </>
  );
}

function Section({ title, open = true, children }: { title: string; open?: boolean; children: preact.ComponentChildren }) {
  return (
    <details class={styles.section} open={open}>
      <summary class={styles.summary}>
        <h3>{title}</h3>
      </summary>
      <div class={styles.content}>{children}</div>
    </details>
  );
}
