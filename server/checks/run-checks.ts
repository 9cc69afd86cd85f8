import { isUtf8 } from 'node:buffer';
import type { MultiValueMap } from '../../shared/api-types.js';
import { checkPayload, deliveryKey } from '../../shared/checks/index.js';
import type { CheckResult } from '../../shared/checks/types.js';
import type { Store, StoredBin, StoredRequest } from '../store/types.js';
import { parseJsonText } from '../views/body-views.js';
import { headerMap } from '../views/multi-value.js';
import { verifyStandardWebhook } from './signature.js';
import { validatePayload } from './validator.js';

export interface CheckTarget {
  bin: StoredBin;
  /** The request without its checks (id, receivedAt, headers, token… are set). */
  record: StoredRequest;
  body: Buffer;
  /** The origin senders use to reach hookscope (--public-url, or the Host the request came to). */
  origin: string;
}

/**
 * Runs the payload checks of a request being captured. Claims its delivery key first, so of
 * two deliveries of one job or run, exactly one is the original and the other its duplicate.
 */
export async function checkCapturedRequest(store: Store, target: CheckTarget): Promise<CheckResult> {
  const prepared = prepare(target);
  const first = prepared.key === null ? undefined : await store.claimDelivery(target.bin.id, prepared.key, target.record.id);
  return run(target, prepared, first);
}

/**
 * Runs the checks again on a stored request (after the bin's settings changed). It never claims:
 * the request is a duplicate when an earlier request still holds its delivery key.
 */
export async function recheckStoredRequest(store: Store, target: CheckTarget): Promise<CheckResult> {
  const prepared = prepare(target);
  const holder = prepared.key === null ? undefined : await store.findDelivery(target.bin.id, prepared.key);
  return run(target, prepared, holder !== undefined && holder < target.record.id ? holder : undefined);
}

interface Prepared {
  headers: MultiValueMap;
  parsed: { json?: unknown; jsonError?: string };
  key: string | null;
}

function prepare({ record, body }: CheckTarget): Prepared {
  const headers = headerMap(record.rawHeaders);
  // An inline body was decoded when the record was built: reuse that text.
  const text = record.body ? (record.body.encoding === 'utf8' ? record.body.data : null) : isUtf8(body) ? body.toString('utf8') : null;
  const parsed = text === null ? {} : parseJsonText(text, record.contentType);
  return { headers, parsed, key: deliveryKey(parsed.json, headers) };
}

function run({ bin, record, body, origin }: CheckTarget, { headers, parsed, key }: Prepared, duplicateOf: string | undefined): CheckResult {
  const receivedAt = Date.parse(record.receivedAt);
  const query = record.queryString ? `?${record.queryString}` : '';
  return checkPayload({
    json: parsed.json,
    ...(parsed.jsonError !== undefined ? { jsonError: parsed.jsonError } : {}),
    headers,
    choice: bin.schema,
    validate: validatePayload,
    context: {
      receivedUrl: `${origin}/h/${bin.id}${record.path}${query}`,
      expectedIds: bin.expectedIds,
      ...(bin.token !== null ? { token: record.token } : {}),
      signature: verifyStandardWebhook({ secret: bin.signingSecret, headers, body, now: receivedAt }),
      findDelivery: (candidate) => (candidate === key ? duplicateOf : undefined),
    },
  });
}
