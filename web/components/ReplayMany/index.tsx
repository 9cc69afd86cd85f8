import { useState } from 'preact/hooks';
import { api } from '../../lib/api.js';
import { formatDuration, statusLine } from '../../lib/http-status.js';
import type { BinInfo, RequestItem } from '../../lib/types.js';
import { useAction } from '../../lib/use-action.js';
import { binHref } from '../../lib/use-route.js';
import { plural } from '../../lib/verdicts.js';
import { Badge } from '../Badge/index.js';
import { Dialog } from '../Dialog/index.js';
import { Field, FormFooter, Toggle, TargetUrlInput } from '../Field/index.js';
import { Link } from '../Link/index.js';
import styles from './style.module.css';
import { ActionForm } from '../ActionForm/index.js';

/** Replays several requests, one after another in arrival order, and shows what happened to each. */
export function ReplayMany({ bin, requests, onClose }: { bin: BinInfo; requests: readonly RequestItem[]; onClose(): void }) {
  const requestIds = requests.map((r) => r.id);
  const [target, setTarget] = useState(bin.replayTarget ?? '');
  const [appendPath, setAppendPath] = useState(false);
  const [state, run] = useAction(() => api.replayMany(bin.id, { target: target.trim(), requestIds, appendPath }));
  const summary = state.result;
  return (
    <Dialog title={`Replay ${plural(requestIds.length, 'request')}`} testId="replay-many" onClose={onClose}>
      <ActionForm class={styles.form} onRun={run}>
        <Field label="Target URL" hint="each request is sent here byte for byte, oldest first">
          <TargetUrlInput value={target} onValue={setTarget} />
        </Field>
        <Toggle checked={appendPath} onChange={setAppendPath}>
          Append each request’s sub-path to the target
        </Toggle>
        <FormFooter busy={state.busy} error={state.error} label={`Replay ${plural(requestIds.length, 'request')}`} busyLabel="Replaying…" />
      </ActionForm>
      {summary && (
        <section class={styles.summary} aria-label="Replay summary" data-testid="replay-summary">
          <p class={styles.totals}>
            {plural(summary.total, 'request')} sent to <code>{summary.target}</code>: <Badge tone="ok">{summary.succeeded} succeeded</Badge>{' '}
            <Badge tone={summary.failed ? 'danger' : 'neutral'}>{summary.failed} failed</Badge>
            {summary.notFound.length > 0 && ` · ${summary.notFound.length} no longer in the bin`}
          </p>
          <ol class={styles.results}>
            {summary.results.map((r) => (
              <li key={r.attemptId}>
                <Link href={binHref(bin.id, r.requestId)} onClick={() => onClose()} title={r.requestId}>
                  <RequestLabel request={requests.find((q) => q.id === r.requestId)} id={r.requestId} />
                </Link>
                <Badge tone={r.status !== null && r.status < 300 ? 'ok' : 'danger'}>{r.status === null ? 'no response' : statusLine(r.status)}</Badge>
                <span class={styles.muted}>{formatDuration(r.durationMs)}</span>
                {r.error && <span class={styles.error}>{r.error}</span>}
              </li>
            ))}
          </ol>
        </section>
      )}
    </Dialog>
  );
}

function RequestLabel({ request, id }: { request: RequestItem | undefined; id: string }) {
  if (!request) return <code>{id}</code>;
  return (
    <code>
      {request.method} {request.path || '/'}
      {request.queryString && `?${request.queryString}`}
    </code>
  );
}
