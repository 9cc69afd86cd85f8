import { useMemo, useState } from 'preact/hooks';
import { toCurl } from '../../../shared/curl.js';
import { api } from '../../lib/api.js';
import type { BinSession } from '../../lib/bin-session.js';
import { fullUrl, maskQuery } from '../../lib/format.js';
import type { BinInfo, RequestDetail } from '../../lib/types.js';
import { useRequestDetail } from '../../lib/use-request-detail.js';
import { useServerStatus } from '../../lib/use-server-status.js';
import { MethodBadge } from '../Badge/index.js';
import { BodyView, hasJsonTree } from '../BodyView/index.js';
import { Checks } from '../Checks/index.js';
import { CodeBlock } from '../CodeBlock/index.js';
import { CopyButton } from '../CopyButton/index.js';
import type { TreeFocus } from '../JsonTree/index.js';
import { KeyValueTable } from '../KeyValueTable/index.js';
import { Overview } from '../Overview/index.js';
import { ReplayPanel } from '../ReplayPanel/index.js';
import { Verdicts } from '../Verdicts/index.js';
import { detectPayloadKind } from '../../../shared/checks/detect.js';
import { KreaJobView } from '../KreaJobView/index.js';
import { LangGraphRunView } from '../LangGraphRunView/index.js';
import { verdictOf } from '../../lib/verdicts.js';
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
      {detail && <Loaded detail={detail} bin={bin} session={session} onDelete={onDelete} />}
    </article>
  );
}

/** Opens the replay section, brings it into view and puts the cursor in its target field. */
function showReplay(): void {
  const section = document.getElementById('replay-section') as HTMLDetailsElement | null;
  if (!section) return;
  section.open = true;
  section.scrollIntoView({ block: 'start', behavior: 'smooth' });
  document.getElementById('replay-target')?.focus({ preventScroll: true });
}

function Loaded({ detail, bin, session, onDelete }: { detail: RequestDetail; bin: BinInfo; session: BinSession; onDelete(): void }) {
  const [focus, setFocus] = useState<TreeFocus | null>(null);
  const locate = (pointer: string) => setFocus({ pointer, seq: (focus?.seq ?? 0) + 1 });
  const recheck = () => session.recheck(detail.id);
  // The sender's own view of the payload, when it is one: by the checks' schema, else by its fields.
  const payloadKind =
    detail.json === null
      ? null
      : detail.checks?.schema === 'krea-job' || detail.checks?.schema === 'langgraph-run'
        ? detail.checks.schema
        : detectPayloadKind(detail.json.value);
  const authRequired = useServerStatus(3_600_000)?.authRequired ?? null;
  const curl = useMemo(
    () =>
      toCurl({
        method: detail.method,
        url: fullUrl(bin.url, detail.path, detail.queryString),
        rawHeaders: detail.rawHeaders,
        body: detail.body,
        size: detail.size,
        bodyUrl: new URL(api.bodyPath(detail.binId, detail.id), location.href).href,
        // Unknown yet: assume a token is needed rather than risk sending a 401 page as the body.
        bodyNeedsToken: authRequired ?? true,
      }),
    [detail, bin.url, authRequired],
  );
  return (
    <>
      <header class={styles.header}>
        <h2 id="detail-title" class={styles.title}>
          <MethodBadge method={detail.method} />
          {/* Secrets masked as in the rows (a shared screen); Copy as curl and the Overview's URL keep them, to send again. */}
          <span class={styles.path} data-testid="detail-path">
            {detail.path || '/'}
            {detail.queryString && <span class={styles.query}>?{maskQuery(detail.queryString)}</span>}
          </span>
        </h2>
        <Verdicts verdicts={detail.verdicts} delivery={detail.lastDelivery} />
        <div class={styles.actions}>
          <button type="button" onClick={showReplay} title="Send this request to a target, as captured or modified">
            Replay…
          </button>
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
      {detail.checks && (
        <Section title="Checks" id="checks-section">
          <Checks checks={detail.checks} verdict={verdictOf(detail)} bin={bin} hasTree={hasJsonTree(detail)} onLocate={locate} onRecheck={recheck} />
        </Section>
      )}
      {payloadKind === 'krea-job' && (
        <Section title="Krea job" id="payload-section">
          <KreaJobView job={detail.json!.value} />
        </Section>
      )}
      {payloadKind === 'langgraph-run' && (
        <Section title="LangGraph run" id="payload-section">
          <LangGraphRunView run={detail.json!.value} receivedAt={detail.receivedAt} timing={detail.checks?.timing} />
        </Section>
      )}
      <Section title="Body">
        <BodyView key={detail.id} detail={detail} focus={focus} />
      </Section>
      <Section title={`Replay${detail.deliveries.length ? ` (${detail.deliveries.length})` : ''}`} id="replay-section" open={detail.deliveries.length > 0}>
        <ReplayPanel key={detail.id} detail={detail} bin={bin} session={session} />
      </Section>
      <Section title={`Query (${detail.query.length})`}>
        <KeyValueTable rows={detail.query} label="Query parameters" nameHeader="Key" empty="No query string." />
      </Section>
      <Section title={`Headers (${detail.rawHeaders.length})`}>
        {detail.redacted.length > 0 && <RedactedNote redacted={detail.redacted} />}
        <KeyValueTable rows={detail.rawHeaders} label="Headers" empty="No headers." />
      </Section>
      <Section title="As curl" open={false}>
        <p class={styles.muted}>Re-sends this request byte for byte: method, URL, headers in order, exact body.</p>
        <CodeBlock code={curl} label="curl command" />
      </Section>
    </>
  );
}

/** Says what the server removed before storing (its own session cookie, sent by a logged-in browser). */
function RedactedNote({ redacted }: { redacted: string[] }) {
  const cookies = redacted.filter((entry) => entry.startsWith('cookie:')).map((entry) => entry.slice('cookie:'.length));
  const others = redacted.filter((entry) => !entry.startsWith('cookie:'));
  return (
    <p class={styles.muted} data-testid="redacted-note">
      {cookies.length > 0 &&
        `Not stored: hookscope's own session cookie (${cookies.join(', ')}), which your browser sent because you are logged in to this inspector; other cookies are kept as sent.`}
      {others.length > 0 && ` Also removed: ${others.join(', ')}.`}
    </p>
  );
}

function Section({ title, id, open = true, children }: { title: string; id?: string; open?: boolean; children: preact.ComponentChildren }) {
  return (
    <details class={styles.section} open={open} id={id}>
      <summary class={styles.summary}>
        <h3>{title}</h3>
      </summary>
      <div class={styles.content}>{children}</div>
    </details>
  );
}
