/**
 * Checks of a Krea job or LangGraph Run beyond its schema: what a well-formed object can still get
 * wrong as a webhook. Each check guards its own inputs, so it runs even when the schema failed
 * and says nothing about a field the schema already reports (a bad date is a schema error, not
 * also a time-order error; an unknown status is an enum error, not also a non-terminal one).
 *
 * Errors and warnings:
 * - an ERROR is something a receiver written to the sender's documentation would refuse or
 *   mishandle: a non-terminal status (it would take an unfinished job for a result), time going
 *   backwards (impossible data), a success that carries an error (contradictory), a token in
 *   kwargs.webhook other than the one the request arrived with (the URL was rewritten, or the
 *   request is not from that run), an id the user did not register (Krea's docs say to refuse
 *   those; the check only runs once the user registered ids, so they asked for it);
 * - a WARNING is something worth a look that real, correct deliveries can show: a missing error
 *   or result URL (Krea leaves the shapes undocumented and some job types return other results),
 *   kwargs.webhook at another host or path (proxies and tunnels change what the sender sees).
 */
import type { BuiltinSchemaId } from '../schemas/index.js';
import { isJsonObject } from './detect.js';
import { parseTimestamp } from './timestamp.js';
import { langGraphRunSchema } from '../schemas/langgraph-run.js';
import type { CheckCode, CheckIssue, RunTiming } from './types.js';

export interface SemanticContext {
  /**
   * The absolute URL the request arrived at, query included, as the sender addressed it (the
   * public URL when hookscope runs behind a proxy). Absent: the kwargs.webhook check is skipped.
   */
  receivedUrl?: string;
  /** Job / run ids the user registered. Absent or empty: every id is accepted. */
  expectedIds?: readonly string[];
  /** When the request arrived, in ms since the epoch (for a Run's delivery time). */
  receivedAt?: number;
}

export interface Findings {
  errors: CheckIssue[];
  warnings: CheckIssue[];
}

const RUN_REQUIRED: readonly string[] = langGraphRunSchema.required;

/**
 * The required Run fields a body leaves out when it looks trimmed by the sender's
 * `webhooks.allowed_fields` (only the listed top-level fields are sent): it carries a `run_id`
 * and lacks two or more required fields. One missing field is taken for a broken Run (a
 * serialiser bug), as before; [] when nothing is left out or the body is not trimmed.
 */
export function leftOutRunFields(json: unknown): string[] {
  if (!isJsonObject(json) || typeof json.run_id !== 'string') return [];
  const missing = RUN_REQUIRED.filter((field) => !Object.hasOwn(json, field));
  return missing.length >= 2 ? missing : [];
}

type Json = Record<string, unknown>;

// Terminal: Krea completed, failed, cancelled; LangGraph success, error, timeout, interrupted.
// Only the other known statuses are flagged: an unknown one is already a schema (enum) error.
const KREA_NOT_TERMINAL = new Set(['backlogged', 'queued', 'scheduled', 'processing', 'sampling', 'intermediate-complete']);
const LANGGRAPH_NOT_TERMINAL = new Set(['pending', 'running', 'rollback']);

/** The checks beyond the schema for a body taken to be `kind`. Never throws; a non-object body yields nothing. */
export function semanticChecks(kind: BuiltinSchemaId, json: unknown, context: SemanticContext): Findings {
  const findings: Findings = { errors: [], warnings: [] };
  if (!isJsonObject(json)) return findings;
  if (kind === 'krea-job') checkKreaJob(json, context, findings);
  else checkLangGraphRun(json, context, findings);
  return findings;
}

function checkKreaJob(job: Json, context: SemanticContext, f: Findings): void {
  const status = job.status;
  if (typeof status === 'string' && KREA_NOT_TERMINAL.has(status)) {
    error(
      f,
      'status.not_terminal',
      '/status',
      `Status "${status}" is not terminal. Krea sends its webhook once, when the job is completed, failed or cancelled, so this delivery came early or not from Krea.`,
    );
  }
  checkOrder(job, 'created_at', 'completed_at', 'a job cannot end before it was created', f);
  if (status === 'completed' && lacksOutput(job)) {
    const path = isJsonObject(job.result) && Array.isArray(job.result.urls) ? '/result/urls' : 'result' in job ? '/result' : '';
    warn(
      f,
      'krea.no_result_url',
      path,
      'The job is completed but result.urls holds no URL, so there is no output to fetch. (Training jobs send result.style_id instead, which counts.)',
    );
  }
  if (status === 'failed' && !carries(job.error) && !(isJsonObject(job.result) && carries(job.result.error))) {
    warn(f, 'krea.no_error', '', 'The job failed but carries no error (neither result.error nor a top-level error), so a handler cannot say why.');
  }
  checkExpectedId(
    job,
    'job_id',
    context,
    f,
    "Verify the job_id matches a job you initiated (Krea's advice): a payload for an unknown job may come from someone else or another environment.",
  );
}

function checkLangGraphRun(run: Json, context: SemanticContext, f: Findings): void {
  const status = run.status;
  if (typeof status === 'string' && LANGGRAPH_NOT_TERMINAL.has(status)) {
    error(
      f,
      'status.not_terminal',
      '/status',
      `Status "${status}" is not terminal. LangGraph sends the webhook when a run ends (success, error, timeout or interrupted), so this run's outcome is unknown.`,
    );
  }
  checkOrder(run, 'created_at', 'updated_at', 'a run cannot change before it was created', f);
  checkOrder(run, 'run_started_at', 'run_ended_at', 'a run cannot end before it started', f);
  if ((status === 'error' || status === 'timeout') && (run.error === undefined || run.error === null)) {
    warn(
      f,
      'langgraph.no_error',
      '',
      `The run ended with status "${status}" but has no error field, so a handler cannot say why. LangGraph servers send one (an empty string on timeout).`,
    );
  }
  if (status === 'success' && carries(run.error)) {
    error(
      f,
      'langgraph.error_on_success',
      '/error',
      'The run has status "success" but carries an error: a handler reading the status misses the failure, one reading the error reports a success as failed.',
    );
  }
  if (status === 'success' && run.error === null) {
    warn(
      f,
      'langgraph.error_null',
      '/error',
      'The run succeeded and sends "error": null (some serialisers write the empty field). Harmless, but a handler testing `"error" in run` takes it for a failure: test the status, or the value.',
    );
  }
  if (context.receivedUrl !== undefined) checkWebhookEcho(run, context.receivedUrl, f);
  checkExpectedId(
    run,
    'run_id',
    context,
    f,
    'Verify the run_id matches a run you started: a payload for an unknown run may come from someone else or another deployment.',
  );
}

/**
 * LangGraph echoes the webhook URL it was given in kwargs.webhook. A different token means the
 * URL changed between run creation and delivery, or the request is not from that run: an error.
 * A different host or path alone is a warning: proxies and tunnels legitimately change them.
 * URLs in messages are shown without their query, so tokens stay out of the results.
 */
function checkWebhookEcho(run: Json, receivedUrl: string, f: Findings): void {
  const kwargs = run.kwargs;
  if (!isJsonObject(kwargs) || typeof kwargs.webhook !== 'string') return;
  const echoed = parseUrl(kwargs.webhook);
  const received = parseUrl(receivedUrl);
  if (!echoed || !received) return; // a malformed kwargs.webhook is the schema's to report
  const where = (url: URL) => url.origin + url.pathname;
  if (where(echoed) !== where(received)) {
    warn(
      f,
      'webhook.url_mismatch',
      '/kwargs/webhook',
      `kwargs.webhook points at ${where(echoed)} but this request arrived at ${where(received)}. The run was given another URL; if hookscope is behind a proxy or tunnel, give senders its public URL.`,
    );
  }
  const echoedToken = echoed.searchParams.get('token');
  const receivedToken = received.searchParams.get('token');
  if (echoedToken !== receivedToken) {
    const detail = receivedToken === null ? 'this request arrived without one' : echoedToken === null ? 'kwargs.webhook has none' : 'they differ';
    error(
      f,
      'webhook.token_mismatch',
      '/kwargs/webhook',
      `The token in kwargs.webhook is not the one this request arrived with (${detail}): the URL was changed after the run was created, or the request did not come from that run.`,
    );
  }
}

/** A LangGraph Run's spans between its timestamps, and from webhook_sent_at to `receivedAt` (ms); {} for a non-object. */
export function runTiming(run: unknown, receivedAt: number | undefined): RunTiming {
  if (!isJsonObject(run)) return {};
  // parseTimestamp gives microseconds; receivedAt is in ms.
  const at = (field: string) => parseTimestamp(run[field]);
  const received = receivedAt === undefined ? undefined : receivedAt * 1000;
  const span = (from: number | null, to: number | null | undefined) => (from === null || to === null || to === undefined ? undefined : (to - from) / 1000);
  const timing: RunTiming = {};
  const spans: [keyof RunTiming, number | undefined][] = [
    ['queuedMs', span(at('created_at'), at('run_started_at'))],
    ['ranMs', span(at('run_started_at'), at('run_ended_at'))],
    ['sendDelayMs', span(at('run_ended_at'), at('webhook_sent_at'))],
    ['deliveryMs', span(at('webhook_sent_at'), received)],
  ];
  for (const [name, ms] of spans) if (ms !== undefined) timing[name] = Math.round(ms);
  return timing;
}

/** Flags `later` < `earlier` when both are valid date-times (invalid ones are schema errors). */
function checkOrder(obj: Json, earlier: string, later: string, why: string, f: Findings): void {
  const a = parseTimestamp(obj[earlier]);
  const b = parseTimestamp(obj[later]);
  if (a === null || b === null || b >= a) return;
  error(
    f,
    'time.order',
    `/${later}`,
    `${later} (${String(obj[later])}) is before ${earlier} (${String(obj[earlier])}): ${why}. Check the sender's clock and time zone.`,
  );
}

function checkExpectedId(obj: Json, key: 'job_id' | 'run_id', context: SemanticContext, f: Findings, advice: string): void {
  const expected = context.expectedIds;
  const id = obj[key];
  if (!expected || expected.length === 0 || typeof id !== 'string') return;
  const normalised = id.trim().toLowerCase();
  if (expected.some((e) => e.trim().toLowerCase() === normalised)) return;
  error(f, 'id.unexpected', `/${key}`, `${key} "${preview(id)}" is not among the ids registered for this bin. ${advice}`);
}

/**
 * A completed job without output: no result, or result.urls absent or empty (and no style_id). A
 * result or urls of the wrong type, or broken items, are left to the schema.
 */
function lacksOutput(job: Json): boolean {
  const result = job.result;
  if (result === undefined || result === null) return true;
  if (!isJsonObject(result) || carries(result.style_id)) return false;
  return result.urls === undefined || (Array.isArray(result.urls) && result.urls.length === 0);
}

/**
 * Whether a field says something: present and not null, '' (or blanks) or {}. A value of the
 * wrong type still counts (the schema reports its type).
 */
function carries(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  return !isJsonObject(value) || Object.keys(value).length > 0;
}

/** Shortens an untrusted value before it is quoted in a message. */
function preview(value: string, max = 80): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

function error(f: Findings, code: CheckCode, path: string, message: string): void {
  f.errors.push({ path, code, message });
}

function warn(f: Findings, code: CheckCode, path: string, message: string): void {
  f.warnings.push({ path, code, message });
}
