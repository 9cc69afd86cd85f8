import type { TokenStatus } from '../../../shared/api-types.js';
import { pointerLabel } from '../../../shared/checks/pointer.js';
import { SIGNATURE_PROVIDER_NAMES } from '../../../shared/checks/transport.js';
import type { CheckIssue, CheckResult, RunTiming, SignatureStatus } from '../../../shared/checks/types.js';
import type { BinInfo } from '../../lib/types.js';
import { useAction } from '../../lib/use-action.js';
import { binHref } from '../../lib/use-route.js';
import type { RequestVerdict } from '../../../shared/verdict.js';
import { Link } from '../Link/index.js';
import styles from './style.module.css';

interface Props {
  checks: CheckResult;
  /** The request's verdict (shared/verdict.ts), the same the row and header show. */
  verdict: RequestVerdict;
  bin: BinInfo;
  /** Whether the body has a JSON tree to point into. */
  hasTree: boolean;
  onLocate(pointer: string): void;
  onRecheck(): Promise<unknown>;
}

const TOKEN_TEXT: Record<TokenStatus, string> = {
  none: 'the bin has no token',
  valid: 'matched the bin token',
  invalid: 'did not match the bin token',
  missing: 'not sent, though the bin has one',
};

const SIGNATURE_TEXT: Record<SignatureStatus, [string, 'ok' | 'bad' | 'muted']> = {
  valid: ['verified', 'ok'],
  invalid: ['does not match the bin secret: a wrong secret, or the bytes changed', 'bad'],
  expired: ['matches, but its timestamp is outside the 5-minute tolerance', 'bad'],
  missing: ['none, though the bin has a signing secret', 'bad'],
  no_secret: ['signed, but the bin has no secret to verify it with (add it in Settings)', 'muted'],
  malformed: ['the signature headers or the secret cannot be read', 'bad'],
  none: ['not signed', 'muted'],
};

/** "queued 0.3 s · ran 1.8 s · sent after 0.05 s · delivered in 0.25 s": the spans a Run has. */
function timingText(timing: RunTiming): string {
  const s = (ms: number) => `${Math.round(ms) / 1000} s`;
  const parts: string[] = [];
  if (timing.queuedMs !== undefined) parts.push(`queued ${s(timing.queuedMs)}`);
  if (timing.ranMs !== undefined) parts.push(`ran ${s(timing.ranMs)}`);
  if (timing.sendDelayMs !== undefined) parts.push(`sent after ${s(timing.sendDelayMs)}`);
  if (timing.deliveryMs !== undefined) parts.push(`delivered in ${s(timing.deliveryMs)}`);
  return parts.join(' · ');
}

const TONES: Record<RequestVerdict['level'], 'ok' | 'bad' | 'warn' | 'muted'> = {
  valid: 'ok',
  invalid: 'bad',
  warnings: 'warn',
  skipped: 'warn',
  none: 'muted',
};

/** Problems about the request rather than a place in the body. */
const REQUEST_LEVEL = /^(token|signature|json|delivery)\./;

/**
 * The payload checks of one request: what it was checked against, token and signature verdicts,
 * the original of a duplicate, and every error and warning, each a button that reveals its
 * place in the JSON tree.
 */
export function Checks({ checks, verdict, bin, hasTree, onLocate, onRecheck }: Props) {
  const [recheck, runRecheck] = useAction(onRecheck);
  const title = verdict.title;
  const chosen = bin.schema === 'auto' ? null : typeof bin.schema === 'object' ? 'custom' : bin.schema;
  const stale = chosen !== null && chosen !== checks.schema;
  const tone = TONES[verdict.level] === 'ok' && verdict.warnings.length > 0 ? 'warn' : TONES[verdict.level];
  const summary = verdict.summary;
  return (
    <div class={styles.checks} data-testid="checks">
      <p class={styles.summary} data-tone={tone} data-verdict-level={verdict.level}>
        {summary}
      </p>
      <dl class={styles.facts}>
        <dt>Schema</dt>
        <dd>
          {checks.schema === null
            ? 'none applied: the body is neither a Krea job nor a LangGraph Run (schema “auto”)'
            : checks.schema === 'none'
              ? 'payload checks are off for this bin'
              : `${title} ${bin.schema === 'auto' ? '(recognised automatically)' : '(chosen in the bin settings)'}`}
          {stale && <span class={styles.stale}> · the bin’s schema changed since: recheck to apply it</span>}
        </dd>
        {checks.token && checks.token !== 'none' && (
          <>
            <dt>Token</dt>
            <dd data-tone={checks.token === 'valid' ? 'ok' : 'bad'}>{TOKEN_TEXT[checks.token]}</dd>
          </>
        )}
        {checks.secretHeader && checks.secretHeader !== 'none' && (
          <>
            <dt>Secret header</dt>
            <dd data-tone={checks.secretHeader === 'valid' ? 'ok' : 'bad'}>{TOKEN_TEXT[checks.secretHeader]}</dd>
          </>
        )}
        {checks.signature && (
          <>
            <dt>Signature</dt>
            <dd data-tone={SIGNATURE_TEXT[checks.signature][1]} data-testid="signature-verdict">
              {SIGNATURE_TEXT[checks.signature][0]}
              {checks.signatureProvider && ` (${SIGNATURE_PROVIDER_NAMES[checks.signatureProvider].label})`}
            </dd>
          </>
        )}
        {checks.timing && Object.keys(checks.timing).length > 0 && (
          <>
            <dt>Run timing</dt>
            <dd data-testid="run-timing">{timingText(checks.timing)}</dd>
          </>
        )}
        {checks.duplicateOf && (
          <>
            <dt>Duplicate of</dt>
            <dd>
              <Link href={binHref(bin.id, checks.duplicateOf)} data-testid="duplicate-of">
                request <code>{checks.duplicateOf}</code>
              </Link>
            </dd>
          </>
        )}
      </dl>
      <Problems label="Errors" severity="error" issues={verdict.errors} hasTree={hasTree} onLocate={onLocate} />
      <Problems label="Warnings" severity="warning" issues={verdict.warnings} hasTree={hasTree} onLocate={onLocate} />
      <div class={styles.actions}>
        <button
          type="button"
          onClick={() => void runRecheck()}
          disabled={recheck.busy}
          title="Run the checks again with the bin's current schema, secret and expected ids"
        >
          {recheck.busy ? 'Rechecking…' : 'Recheck'}
        </button>
        {recheck.error && (
          <span role="alert" class={styles.error}>
            {recheck.error}
          </span>
        )}
      </div>
    </div>
  );
}

function Problems({
  label,
  severity,
  issues,
  hasTree,
  onLocate,
}: {
  label: string;
  severity: 'error' | 'warning';
  issues: CheckIssue[];
  hasTree: boolean;
  onLocate(pointer: string): void;
}) {
  if (issues.length === 0) return null;
  return (
    <section aria-label={label}>
      <h4 class={styles.heading}>
        {label} ({issues.length})
      </h4>
      <ul class={styles.list}>
        {issues.map((issue, i) => {
          const aboutRequest = issue.path === '' && REQUEST_LEVEL.test(issue.code);
          const where = aboutRequest ? 'the request' : issue.path === '' ? 'the whole body' : pointerLabel(issue.path);
          const content = (
            <>
              <span class={styles.icon} aria-hidden="true">
                {severity === 'error' ? '✕' : '!'}
              </span>
              <span class={styles.message}>{issue.message}</span>
              <span class={styles.meta}>
                <span class={styles.where}>{where}</span>
                <code class={styles.code}>{issue.code}</code>
              </span>
            </>
          );
          return (
            <li key={i} data-severity={severity} data-code={issue.code}>
              {hasTree && !aboutRequest ? (
                <button
                  type="button"
                  class={styles.problem}
                  data-path={issue.path}
                  onClick={() => onLocate(issue.path)}
                  title="Show this place in the JSON tree"
                >
                  {content}
                </button>
              ) : (
                <div class={styles.problem}>{content}</div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
