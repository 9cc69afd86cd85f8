import { isUtf8 } from 'node:buffer';
import type { MultiValueMap } from '../../shared/api-types.js';
import { addDuplicate, checkPayload, deliveryKey, pickedPointer } from '../../shared/checks/index.js';
import type { CheckResult, SchemaChoice, SkippedCheck } from '../../shared/checks/types.js';
import type { Store, StoredBin, StoredRequest } from '../store/types.js';
import { parseJsonText } from '../views/body-views.js';
import { headerMap } from '../views/multi-value.js';
import type { CheckPool } from './check-pool.js';
import { checksWithoutPayload, computeChecks, type CheckJob, type JobChoice } from './compute-checks.js';
import { binSecrets, verifySignature } from './verify-signature.js';
import { schemaSource } from './schema-source.js';
import { CheckSkippedError, skippedCheck } from './skipped.js';
import { validatePayload } from './validator.js';

/**
 * Bodies up to this size, checked against a built-in schema, are checked on the main thread:
 * a real webhook in well under a millisecond, a hostile one (16 KB of items that each fail the
 * schema) in ~30 ms. Larger ones and every custom schema go to the check workers (check-pool.ts).
 */
export const MAIN_THREAD_CHECK_LIMIT = 16 * 1024;
/** Bodies up to this size are parsed here for their delivery key, so that it is claimed before the checks (in arrival order). */
const EARLY_KEY_PARSE_LIMIT = 256 * 1024;

export interface CheckTarget {
  bin: StoredBin;
  /** The request without its checks (id, receivedAt, headers, token… are set). */
  record: StoredRequest;
  body: Buffer;
  /** The origin senders use to reach hookscope (--public-url, or the Host the request came to). */
  origin: string;
}

/**
 * Runs the payload checks of a request being captured and claims its delivery key, so of two
 * deliveries of one job or run, exactly one is the original and the other its duplicate. Never
 * rejects for anything the payload or the bin's schema does (a check that cannot finish is
 * recorded as skipped); only the store's own failures reject.
 */
export async function checkCapturedRequest(store: Store, pool: CheckPool, target: CheckTarget): Promise<CheckResult> {
  const plan = planChecks(target, pool);
  // A key known before the checks is claimed first: the claims then follow arrival order.
  const early = plan.earlyKey === null ? undefined : await store.claimDelivery(target.bin.id, plan.earlyKey, target.record.id);
  const result = await runPlan(plan, pool);
  if (plan.earlyKey !== null) {
    result.deliveryKey ??= plan.earlyKey; // a check given up still records the key it holds
    if (early !== undefined) addDuplicate(result, early);
  } else if (result.deliveryKey !== undefined) {
    const first = await store.claimDelivery(target.bin.id, result.deliveryKey, target.record.id);
    if (first !== undefined) addDuplicate(result, first);
  }
  return result;
}

/**
 * Runs the checks again on a stored request (after the bin's settings changed). It never claims:
 * the request is a duplicate when an earlier request still holds its delivery key.
 */
export async function recheckStoredRequest(store: Store, pool: CheckPool, target: CheckTarget): Promise<CheckResult> {
  const result = await runPlan(planChecks(target, pool), pool);
  const holder = result.deliveryKey === undefined ? undefined : await store.findDelivery(target.bin.id, result.deliveryKey);
  if (holder !== undefined && holder < target.record.id) addDuplicate(result, holder);
  return result;
}

interface Plan {
  job: CheckJob;
  /** The request's headers by lower-cased name (kept out of the job: it is posted to workers as it is). */
  headers: MultiValueMap;
  /** Checked on this thread (a small body, a built-in schema or none). */
  here: boolean;
  /** On a worker: the custom schema's hash, so its compiled form is found. */
  affinity?: string;
  /** On a worker: the delivery key when it is known without the worker (a header, a small body). */
  earlyKey: string | null;
}

function planChecks({ bin, record, body, origin }: CheckTarget, pool: CheckPool): Plan {
  const headers = headerMap(record.rawHeaders);
  const query = record.queryString ? `?${record.queryString}` : '';
  const receivedAt = Date.parse(record.receivedAt);
  const context: CheckJob['context'] = {
    receivedUrl: `${origin}/h/${bin.id}${record.path}${query}`,
    expectedIds: bin.expectedIds,
    receivedAt,
    ...(bin.token !== null ? { token: record.token } : {}),
    ...(bin.secretHeader !== null && record.secretHeader ? { secretHeader: record.secretHeader } : {}),
    // Over the raw bytes, here: HMAC is fast native code (25 MB in ~20 ms) and needs no parsing.
    signature: verifySignature({ secrets: binSecrets(bin), headers, body, now: receivedAt }),
  };
  // An inline body was decoded when the record was built: reuse that text.
  const text = record.body ? (record.body.encoding === 'utf8' ? record.body.data : null) : undefined;
  const custom = typeof bin.schema === 'object' ? schemaSource(bin.schema.custom) : null;
  const pointer = typeof bin.schema === 'object' ? pickedPointer(bin.schema.byHeader, headers) : undefined;
  const choice: JobChoice = custom ? { custom, ...(pointer !== undefined ? { pointer } : {}) } : (bin.schema as Exclude<JobChoice, object>);
  const small = body.length <= MAIN_THREAD_CHECK_LIMIT;
  const json = small || mightBeJson(body, record.contentType);
  const here = custom === null && small;
  // A large body that is not JSON is not decoded at all (null reads as "not text": nothing to parse).
  const known = json ? text : null;
  const job: CheckJob = {
    body,
    ...(known !== undefined ? { text: known } : {}),
    contentType: record.contentType,
    rawHeaders: record.rawHeaders,
    choice,
    context,
    maxParseBytes: small ? MAIN_THREAD_CHECK_LIMIT : pool.maxParseBytes,
  };
  return {
    job,
    headers,
    here: here || (custom === null && !json),
    ...(custom ? { affinity: custom.hash } : {}),
    earlyKey: here || !json ? null : earlyKeyOf(job, headers),
  };
}

async function runPlan(plan: Plan, pool: CheckPool): Promise<CheckResult> {
  if (plan.here) {
    try {
      const customHere = () => {
        throw new Error('custom schemas run on the check workers');
      };
      return computeChecks(plan.job, customHere, plan.headers);
    } catch (error) {
      return checksWithoutPayload(plan.job, failed(error));
    }
  }
  const outcome = await pool.run({ kind: 'check', job: plan.job }, plan.affinity);
  return outcome.ok ? outcome.value : checksWithoutPayload(plan.job, skippedCheck(outcome.reason, outcome.why));
}

function earlyKeyOf(job: CheckJob, headers: MultiValueMap): string | null {
  if (job.body.length > EARLY_KEY_PARSE_LIMIT) return deliveryKey(undefined, headers);
  const text =
    job.text !== undefined ? job.text : isUtf8(job.body) ? Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength).toString('utf8') : null;
  return deliveryKey(text === null ? undefined : parseJsonText(text, job.contentType, EARLY_KEY_PARSE_LIMIT).json, headers);
}

/** Whether a large body needs parsing at all: a JSON content type, or `{` / `[` first (after blanks). */
function mightBeJson(body: Buffer, contentType: string | null): boolean {
  const start = body.subarray(0, 1024).toString('latin1');
  return /[/+]json\b/i.test(contentType ?? '') || /^\s*([[{]|$)/.test(start);
}

function failed(error: unknown): SkippedCheck {
  console.error('hookscope: payload checks failed', error);
  return skippedCheck('failed', error instanceof Error ? error.message : String(error));
}

/**
 * The checks of a JSON document given over the API (`POST /api/validate`): no headers, no
 * delivery. A custom schema runs on a check worker (its compile is cached there); a check that
 * cannot finish gives a result with `skipped`. Never rejects.
 */
export async function checkDocument(pool: CheckPool, choice: SchemaChoice, payload: unknown): Promise<CheckResult> {
  if (typeof choice !== 'object') {
    try {
      return checkPayload({ json: payload, headers: {}, choice, validate: validatePayload });
    } catch (error) {
      return checksWithoutPayload({ rawHeaders: [], choice, context: {} }, error instanceof CheckSkippedError ? error.skipped : failed(error));
    }
  }
  const source = schemaSource(choice.custom);
  const job: CheckJob = {
    body: Buffer.from(JSON.stringify(payload)),
    contentType: 'application/json',
    rawHeaders: [],
    choice: { custom: source },
    context: {},
    maxParseBytes: pool.maxParseBytes,
  };
  const outcome = await pool.run({ kind: 'check', job }, source.hash);
  return outcome.ok ? outcome.value : checksWithoutPayload(job, skippedCheck(outcome.reason, outcome.why));
}
