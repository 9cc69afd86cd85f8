import type { Bin, BodyData, CapturedRequest, ReplayAttempt, RequestSummary } from '../../shared/api-types.js';
import type { CheckIssue, CheckResult } from '../../shared/checks/types.js';
import type { SendResult } from '../../shared/send-types.js';
import { presentFields } from '../views/present-fields.js';

/**
 * What the tools answer: small by default, so an agent's context is not flooded. Summaries
 * instead of records, a few issues per verdict, bodies cut at a byte cap (as text when they are
 * UTF-8, else base64) with their full size, so the agent knows what it is not seeing.
 */

/** Issues shown per list in a verdict; the counts say how many there are. */
const ISSUES_SHOWN = 5;
/** Bytes of a replay's or a send's response and payload shown. */
const SIDE_BODY_BYTES = 1024;

export function binSummary(bin: Bin) {
  return {
    id: bin.id,
    name: bin.name,
    url: bin.url,
    token: bin.token,
    requireToken: bin.requireToken,
    schema: typeof bin.schema === 'object' ? 'custom' : bin.schema,
    signingSecret: bin.signingSecret === null ? null : 'set',
    requestCount: bin.requestCount,
    expectedIdCount: bin.expectedIdCount,
    forward: bin.forward?.target ?? null,
    replayTarget: bin.replayTarget,
    createdAt: bin.createdAt,
  };
}

/** The payload checks' verdict in a few lines; null when the request was not checked. */
export function verdict(checks: CheckResult | undefined, issuesShown = ISSUES_SHOWN) {
  if (!checks) return null;
  return {
    schema: checks.schema,
    valid: checks.valid,
    errorCount: checks.errors.length,
    errors: checks.errors.slice(0, issuesShown).map(issue),
    warningCount: checks.warnings.length,
    warnings: checks.warnings.slice(0, issuesShown).map(issue),
    ...(checks.duplicateOf ? { duplicateOf: checks.duplicateOf } : {}),
    ...(checks.signature && checks.signature !== 'none' ? { signature: checks.signature } : {}),
    ...(checks.skipped ? { skipped: checks.skipped.message } : {}),
  };
}

function issue({ path, code, message }: CheckIssue) {
  return { path, code, message };
}

export function requestSummary(request: RequestSummary) {
  return {
    id: request.id,
    receivedAt: request.receivedAt,
    method: request.method,
    path: request.path,
    queryString: request.queryString,
    contentType: request.contentType,
    size: request.size,
    token: request.token,
    verdict: verdict(request.checks),
    ...(request.rejection ? { rejected: `${request.rejection.status} ${request.rejection.code}` } : {}),
    ...(request.response ? { answeredStatus: request.response.status } : {}),
    ...(request.lastReplay ? { lastReplay: { at: request.lastReplay.at, status: request.lastReplay.status, target: request.lastReplay.target } } : {}),
  };
}

/** A request with its headers and its body cut at `maxBodyBytes`. */
export function requestDetail(request: CapturedRequest, maxBodyBytes: number) {
  return {
    ...requestSummary(request),
    headers: request.rawHeaders,
    remoteAddress: request.remoteAddress,
    body: cappedBody(request.body, request.size, maxBodyBytes),
    ...presentFields(request, ['jsonError', 'jsonOmitted']),
    deliveries: request.replays?.length ?? 0,
  };
}

export function replaySummary(attempt: ReplayAttempt) {
  return {
    target: attempt.target,
    method: attempt.method,
    status: attempt.status,
    durationMs: attempt.durationMs,
    ...presentFields(attempt, ['error', 'warning', 'modified']),
    response: attempt.body ? cappedBody(attempt.decodedBody ?? attempt.body, attempt.size, SIDE_BODY_BYTES) : null,
  };
}

export function sendSummary(result: SendResult) {
  return {
    sender: result.sender,
    kind: result.kind,
    state: result.state,
    target: result.target,
    delivered: result.delivered,
    deliveries: result.deliveries.map((delivery) => ({
      label: delivery.label,
      delivered: delivery.delivered,
      attempts: delivery.attempts.map((a) => ({
        try: a.try ?? 1,
        status: a.status,
        durationMs: a.durationMs,
        ...(a.error ? { error: a.error } : {}),
        ...(a.nextTryInMs !== undefined ? { nextTryInMs: a.nextTryInMs } : {}),
      })),
    })),
    payload: cappedBody({ encoding: 'utf8', data: result.payload }, Buffer.byteLength(result.payload), SIDE_BODY_BYTES),
  };
}

/**
 * A body as the agent gets it: `text` when the bytes are UTF-8, else `base64`; at most
 * `maxBytes` bytes (cut on a character boundary); `size` is the whole body's length in bytes.
 */
export function cappedBody(body: BodyData, size: number, maxBytes: number) {
  const bytes = Buffer.from(body.data, body.encoding === 'base64' ? 'base64' : 'utf8');
  const cut = Math.min(bytes.length, maxBytes);
  const kept = body.encoding === 'base64' ? bytes.subarray(0, cut).toString('base64') : utf8Prefix(bytes, cut);
  return { encoding: body.encoding === 'base64' ? 'base64' : 'text', size, truncated: cut < size || body.truncated === true, data: kept };
}

/** The first `limit` bytes as text, without a character cut in half at the end. */
function utf8Prefix(bytes: Buffer, limit: number): string {
  let end = limit;
  if (end < bytes.length) while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // a continuation byte: back to the character's start
  return bytes.subarray(0, end).toString('utf8');
}
