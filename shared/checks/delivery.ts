/**
 * Duplicate deliveries. Senders deliver more than once (LangGraph's Python server retries up to 3
 * times on timeouts and 5xx; Krea tells receivers to be idempotent), so hookscope shows when a
 * delivery repeats one it already captured.
 *
 * A duplicate is a WARNING, never an error: repeating a delivery is allowed behaviour of the
 * sender, and the point is to show the user that their handler must cope with it.
 */
import type { MultiValueMap } from '../api-types.js';
import { ownValue } from '../safe-keys.js';
import { detectPayloadKind, isJsonObject } from './detect.js';
import type { CheckIssue } from './types.js';

/** The first value of a header (names are lower case, as in CapturedRequest.headers). */
export function headerValue(headers: MultiValueMap, name: string): string | undefined {
  const value = ownValue(headers, name);
  return Array.isArray(value) ? value[0] : value;
}

/**
 * What identifies a delivery, or null when nothing does:
 * - `webhook-id:<id>` from the Standard Webhooks `webhook-id` header, which the spec keeps the
 *   same across retries of one message (so it wins over the body);
 * - else `job_id:<id>` for a body recognised as a Krea job, `run_id:<id>` for a LangGraph Run.
 * Recognition is by fields (detect.ts), whatever the bin's schema choice, so duplicates are shown
 * on bins with a custom schema or none too. Body ids are UUIDs, so their case is ignored.
 */
export function deliveryKey(json: unknown, headers: MultiValueMap): string | null {
  // svix-id: Svix sends the Standard Webhooks headers under its own names.
  const webhookId = (headerValue(headers, 'webhook-id') ?? headerValue(headers, 'svix-id'))?.trim();
  if (webhookId) return `webhook-id:${webhookId}`;
  const kind = detectPayloadKind(json);
  if (!kind || !isJsonObject(json)) return null;
  const field = kind === 'krea-job' ? 'job_id' : 'run_id';
  const id = json[field];
  if (typeof id !== 'string' || id.trim() === '') return null;
  return `${field}:${id.trim().toLowerCase()}`;
}

/** The warning for a delivery whose key was first seen in request `firstRequestId`. */
export function duplicateWarning(key: string, firstRequestId: string): CheckIssue {
  const field = key.slice(0, key.indexOf(':'));
  const path = field === 'job_id' || field === 'run_id' ? `/${field}` : '';
  const what = field === 'webhook-id' ? 'the same webhook-id header' : `the same ${field}`;
  const why =
    field === 'run_id'
      ? 'LangGraph retries a webhook up to 3 times when the receiver times out or answers 5xx or 429.'
      : field === 'job_id'
        ? 'Krea may deliver a job more than once.'
        : 'The sender retried this message.';
  return {
    path,
    code: 'delivery.duplicate',
    message: `A repeated delivery: ${what} as request ${firstRequestId}. ${why} Make the handler idempotent (process each id once).`,
  };
}
