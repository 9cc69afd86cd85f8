import type { BodyData, ReplayAttempt } from '../../shared/api-types.js';
import { encodeBody } from '../capture/record.js';
import { createRequestIdGenerator } from '../ids.js';
import type { LiveBus } from '../live/bus.js';
import { decodeContent } from '../outbound/content-encoding.js';
import type { OutboundResult } from '../outbound/send.js';
import type { Store } from '../store/types.js';

/** Attempts kept per request: the newest ones. */
export const MAX_ATTEMPTS_KEPT = 20;
/**
 * Response bytes kept per stored attempt. Requests live in segment files that are rewritten
 * whole, so a stored attempt must stay small; the replay API's own answer carries up to 1 MB.
 */
export const STORED_RESPONSE_BYTES = 16 * 1024;

const nextAttemptId = createRequestIdGenerator();

export interface AttemptMeta {
  trigger: ReplayAttempt['trigger'];
  target: string;
  method: string;
  modified?: ReplayAttempt['modified'];
  try?: number;
}

/**
 * The attempt for a delivery's result, with the response body as kept by the sender, and, when
 * the target compressed it (Content-Encoding), decoded for reading.
 */
export async function toAttempt(result: OutboundResult, meta: AttemptMeta, startedAt: number): Promise<ReplayAttempt> {
  const attempt: ReplayAttempt = {
    id: nextAttemptId().id,
    at: new Date(startedAt).toISOString(),
    trigger: meta.trigger,
    target: meta.target,
    method: meta.method,
    ...(meta.modified && meta.modified.length > 0 ? { modified: meta.modified } : {}),
    status: null,
    headers: [],
    body: null,
    size: 0,
    durationMs: result.durationMs,
    ...(meta.try !== undefined ? { try: meta.try } : {}),
  };
  if (result.kind === 'failed') attempt.error = result.error;
  if (result.kind === 'refused') attempt.error = `refused by the target policy: ${result.reason}; allow it with --allow-forward-to`;
  if (result.kind !== 'response') return attempt;
  const { response } = result;
  attempt.status = response.status;
  attempt.headers = response.headers;
  attempt.body = { ...encodeBody(response.body), ...(response.size > response.body.length ? { truncated: true } : {}) };
  attempt.size = response.size;
  const warnings = response.warning ? [response.warning] : [];
  const decoded = await decodeContent(response.headers, response.body);
  if (decoded && decoded.bytes.length > 0) {
    attempt.decodedBody = { ...encodeBody(decoded.bytes), ...(decoded.truncated || response.size > response.body.length ? { truncated: true } : {}) };
  }
  if (decoded?.error) warnings.push(decoded.error);
  if (warnings.length > 0) attempt.warning = warnings.join('; ');
  return attempt;
}

/** The attempt as stored: its response bodies (as sent, and decoded) cut to STORED_RESPONSE_BYTES each. */
export function storedForm(attempt: ReplayAttempt): ReplayAttempt {
  const body = attempt.body && cut(attempt.body);
  const decodedBody = attempt.decodedBody && cut(attempt.decodedBody);
  return { ...attempt, body, ...(decodedBody ? { decodedBody } : {}) };
}

function cut(body: BodyData): BodyData {
  const bytes = Buffer.from(body.data, body.encoding);
  if (bytes.length <= STORED_RESPONSE_BYTES) return body;
  return { ...encodeBody(bytes.subarray(0, STORED_RESPONSE_BYTES)), truncated: true };
}

/**
 * Stores an attempt on its request (keeping the newest MAX_ATTEMPTS_KEPT) and pushes it live.
 * A request deleted or evicted meanwhile is not an error: the attempt is simply not kept.
 */
export async function recordAttempt(deps: { store: Store; bus: LiveBus }, binId: string, requestId: string, attempt: ReplayAttempt): Promise<void> {
  const stored = storedForm(attempt);
  const updated = await deps.store.updateRequest(binId, requestId, (current) => ({
    ...current,
    replays: [...(current.replays ?? []), stored].slice(-MAX_ATTEMPTS_KEPT),
  }));
  if (updated) deps.bus.publish(binId, { type: 'request.replayed', binId, requestId, attempt: stored });
}
