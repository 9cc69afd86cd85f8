import type { ReplayAttempt } from '../../shared/api-types.js';
import { encodeBody } from '../capture/record.js';
import { createRequestIdGenerator } from '../ids.js';
import type { LiveBus } from '../live/bus.js';
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

/** The attempt for a delivery's result, with the response body as kept by the sender. */
export function toAttempt(result: OutboundResult, meta: AttemptMeta, startedAt: number): ReplayAttempt {
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
  if (response.warning) attempt.warning = response.warning;
  return attempt;
}

/** The attempt as stored: its response body cut to STORED_RESPONSE_BYTES. */
export function storedForm(attempt: ReplayAttempt): ReplayAttempt {
  if (!attempt.body) return attempt;
  const bytes = Buffer.from(attempt.body.data, attempt.body.encoding);
  if (bytes.length <= STORED_RESPONSE_BYTES) return attempt;
  return { ...attempt, body: { ...encodeBody(bytes.subarray(0, STORED_RESPONSE_BYTES)), truncated: true } };
}

/**
 * Stores an attempt on its request (keeping the newest MAX_ATTEMPTS_KEPT) and pushes it live.
 * A request deleted or evicted meanwhile is not an error: the attempt is simply not kept.
 */
export async function recordAttempt(deps: { store: Store; bus: LiveBus }, binId: string, requestId: string, attempt: ReplayAttempt): Promise<void> {
  const stored = storedForm(attempt);
  const updated = await deps.store.updateRequest(binId, requestId, (current) => ({ ...current, replays: [...(current.replays ?? []), stored].slice(-MAX_ATTEMPTS_KEPT) }));
  if (updated) deps.bus.publish(binId, { type: 'request.replayed', binId, requestId, attempt: stored });
}
