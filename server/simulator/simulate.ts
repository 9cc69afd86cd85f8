import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReplayAttempt } from '../../shared/api-types.js';
import type { SendKind, SendResult } from '../../shared/send-types.js';
import { pointerSegments } from '../../shared/checks/pointer.js';
import { isForbiddenKey } from '../../shared/safe-keys.js';
import { signStandardWebhook } from '../checks/signature.js';
import { toAttempt } from '../replay/attempts.js';
import { HttpError } from '../http-error.js';
import { isRetryable, retryDelay } from '../forward/settings.js';
import { requestHeaders } from '../outbound/headers.js';
import type { TargetRules } from '../outbound/policy.js';
import { sendOutbound } from '../outbound/send.js';
import { kreaJob, langGraphRun, type KreaState, type LangGraphFlavor, type LangGraphState } from './payloads.js';
import { KREA, LANGGRAPH_JS, LANGGRAPH_PYTHON, type SenderProfile } from './senders.js';

export type SimulationKind = SendKind;

export interface SimulationInput {
  target: URL;
  kind: SimulationKind;
  /** Krea: completed | failed | cancelled; LangGraph: success | error | interrupted | timeout. */
  state: string;
  /** LangGraph only: which server's format and delivery (default python). */
  flavor: LangGraphFlavor;
  /** Appended as ?token= (and echoed in kwargs.webhook, as LangGraph does). */
  token?: string;
  /** LangGraph only: the shape of `error` (default: the flavor's, see langGraphRun). */
  errorForm?: 'string' | 'object';
  /** LangGraph only: send only these top-level fields, as a server with webhooks.allowed_fields does. */
  allowedFields?: string[];
  /** Standard Webhooks secret (whsec_…): the delivery is signed over its exact bytes. */
  signingSecret?: string;
  /** Deliver the same webhook again this long after the first delivery ended. */
  duplicateAfterMs?: number;
  /** JSON Pointer → value, applied to the generated payload (e.g. {"/status": "processing"}). */
  overrides?: Record<string, unknown>;
  /** kind 'custom': the JSON body to send (as the chosen sender would). */
  body?: unknown;
  /** Multiplies every wait and timeout (tests use a small one instead of real 30 s waits). */
  timeScale: number;
  random?: () => number;
}

/** The wire shape lives in shared/send-types.ts, so the inspector reads the same type. */
export type SimulationResult = SendResult;

/** Generates the webhook and delivers it the way the chosen sender does. Never throws for a receiver's failure. */
export async function simulate(input: SimulationInput, rules: TargetRules): Promise<SimulationResult> {
  const profile = profileOf(input);
  const url = new URL(input.target);
  if (input.token !== undefined) url.searchParams.set('token', input.token);
  const document = applyOverrides(generate(input, url.href), input.overrides ?? {});
  const payload = JSON.stringify(document);
  const webhookId = `msg_${randomUUID().replace(/-/g, '')}`;
  const deliveries: SimulationResult['deliveries'] = [];
  deliveries.push({ label: 'first', ...(await deliverWithRetries(url, payload, webhookId, profile, input, rules)) });
  if (input.duplicateAfterMs !== undefined) {
    await sleep(input.duplicateAfterMs * input.timeScale);
    deliveries.push({ label: 'duplicate', ...(await deliverWithRetries(url, payload, webhookId, profile, input, rules)) });
  }
  return {
    id: randomUUID(),
    at: new Date().toISOString(),
    kind: input.kind,
    state: sentState(input, document),
    sender: profile.name,
    target: url.href,
    payload,
    deliveries,
    delivered: deliveries.every((d) => d.delivered),
  };
}

async function deliverWithRetries(url: URL, payload: string, webhookId: string, profile: SenderProfile, input: SimulationInput, rules: TargetRules) {
  const attempts: ReplayAttempt[] = [];
  for (let attempt = 1; attempt <= profile.retry.attempts; attempt++) {
    const body = Buffer.from(payload);
    const startedAt = Date.now();
    const result = await sendOutbound(
      {
        url,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: requestHeaders([...profile.headers, ...signatureHeaders(input, webhookId, body)], { host: url.host, method: 'POST', bodyLength: body.length }),
        body,
        timeoutMs: (profile.connectTimeoutMs + profile.readTimeoutMs) * input.timeScale,
      },
      rules,
    );
    const record = await toAttempt(result, { trigger: 'simulated', target: url.href, method: 'POST', try: attempt }, startedAt);
    attempts.push(record);
    const status = result.kind === 'response' ? result.response.status : null;
    if (status !== null && status >= 200 && status < 300) return { attempts, delivered: true };
    if (result.kind === 'refused' || attempt === profile.retry.attempts || !isRetryable(status)) break;
    const wait = retryDelay(profile.retry, attempt + 1, input.random) * input.timeScale;
    record.nextTryInMs = Math.round(wait); // the wait actually taken (shortened by timeScale)
    await sleep(wait);
  }
  return { attempts, delivered: false };
}

/**
 * What the result reports as the state: the status the payload carries (an override such as
 * `/status=processing` changes it, and the summary must say what was sent), else the state asked
 * for (a custom body, or a status trimmed away or not a short string).
 */
function sentState(input: SimulationInput, document: unknown): string {
  if (input.kind === 'custom' || typeof document !== 'object' || document === null || !Object.hasOwn(document, 'status')) return input.state;
  const status = (document as { status: unknown }).status;
  return typeof status === 'string' && status.length > 0 && status.length <= 100 ? status : input.state;
}

function profileOf(input: SimulationInput): SenderProfile {
  if (input.kind === 'krea-job') return KREA;
  return input.flavor === 'js' ? LANGGRAPH_JS : LANGGRAPH_PYTHON;
}

function generate(input: SimulationInput, webhookUrl: string): unknown {
  if (input.kind === 'krea-job') return kreaJob(input.state as KreaState);
  if (input.kind === 'langgraph-run') {
    return langGraphRun(input.state as LangGraphState, input.flavor, webhookUrl, Date.now(), {
      ...(input.errorForm ? { errorForm: input.errorForm } : {}),
      ...(input.allowedFields ? { allowedFields: input.allowedFields } : {}),
    });
  }
  return input.body;
}

/** Standard Webhooks headers, a fresh timestamp for each try (as real senders sign each attempt). */
function signatureHeaders(input: SimulationInput, webhookId: string, body: Buffer): [string, string][] {
  if (!input.signingSecret) return [];
  const timestamp = Math.floor(Date.now() / 1000);
  return [
    ['webhook-id', webhookId],
    ['webhook-timestamp', String(timestamp)],
    ['webhook-signature', signStandardWebhook(input.signingSecret, webhookId, timestamp, body)],
  ];
}

/**
 * Sets each JSON Pointer's value, creating objects on the way. Writes only own properties: a
 * `__proto__`, `constructor` or `prototype` segment (refused by parseSimulationInput already) and
 * a write that cannot land in JSON (into a string, past the end of an array) are 400s.
 */
export function applyOverrides(document: unknown, overrides: Record<string, unknown>): unknown {
  let root = document;
  for (const [pointer, value] of Object.entries(overrides)) {
    if (pointer === '') root = value;
    else setAt(root, pointer, value);
  }
  return root;
}

function setAt(root: unknown, pointer: string, value: unknown): void {
  const keys = pointerSegments(pointer);
  const refused = keys.find(isForbiddenKey);
  if (refused !== undefined)
    throw overrideError(pointer, `has the segment "${refused}", which hookscope refuses in a JSON Pointer (it could reach an object prototype)`);
  let node = root;
  for (const [i, key] of keys.entries()) {
    if (typeof node !== 'object' || node === null) throw overrideError(pointer, 'points inside a value that is neither an object nor an array');
    const container = node as Record<string, unknown>;
    if (Array.isArray(node) && !(ARRAY_INDEX.test(key) && Number(key) <= node.length)) {
      throw overrideError(pointer, `indexes an array of ${node.length} items with "${key}"; use 0 to ${node.length} (${node.length} appends)`);
    }
    if (i === keys.length - 1) container[key] = value;
    else {
      const child = Object.prototype.hasOwnProperty.call(container, key) ? container[key] : undefined;
      node = typeof child === 'object' && child !== null ? child : (container[key] = {});
    }
  }
}

const ARRAY_INDEX = /^(0|[1-9]\d{0,8})$/;

function overrideError(pointer: string, why: string): HttpError {
  return new HttpError(400, 'invalid_simulation', `"options.overrides" key "${pointer.slice(0, 200)}" ${why}.`);
}
