import type { ReplayAttempt } from './api-types.js';

/**
 * Wire shapes of the sender simulator (`POST /api/send`, `GET /api/sends`), for the inspector.
 * They match the OpenAPI document's SimulationResult and the server's SimulationResult
 * (server/simulator/simulate.ts), which can import them from here.
 */

export type SendKind = 'krea-job' | 'langgraph-run' | 'custom';

/** The terminal states each generated payload can have (the first is the default). */
export const SEND_STATES: Record<Exclude<SendKind, 'custom'>, readonly string[]> = {
  'krea-job': ['completed', 'failed', 'cancelled'],
  'langgraph-run': ['success', 'error', 'interrupted', 'timeout'],
};

export interface SendOptions {
  /** LangGraph only: which server to imitate (python: 3 tries, JSON; js: 1 try, text/plain). */
  flavor?: 'python' | 'js';
  /** Added as ?token= (and echoed in kwargs.webhook, as LangGraph does). */
  token?: string;
  /** LangGraph only: `error` as a string or as `{ error, message }` (default: the flavor's). */
  errorForm?: 'string' | 'object';
  /** LangGraph only: send just these top-level fields (webhooks.allowed_fields). */
  allowedFields?: string[];
  /** Standard Webhooks secret (whsec_…): the delivery is signed. */
  signingSecret?: string;
  /** Deliver the same webhook again this many ms after the first delivery ended (0–600000). */
  duplicateAfterMs?: number;
  /** JSON Pointer → value, applied to the generated payload, e.g. { "/status": "processing" }. */
  overrides?: Record<string, unknown>;
  /** kind 'custom': the JSON to send. */
  body?: unknown;
  /** Multiplies every wait and timeout (0.0001–1). */
  timeScale?: number;
}

export interface SendInput {
  /** Absolute http(s) URL of the receiver. */
  target: string;
  kind: SendKind;
  state?: string;
  options?: SendOptions;
}

export interface SendDelivery {
  label: 'first' | 'duplicate';
  /** Every try, in order; `nextTryInMs` is set on a try that another follows. */
  attempts: ReplayAttempt[];
  /** A try got a 2xx answer. */
  delivered: boolean;
}

export interface SendResult {
  id: string;
  at: string;
  kind: SendKind;
  state: string;
  /** The sender imitated, e.g. "LangGraph Python server (httpx)". */
  sender: string;
  target: string;
  /** The exact body sent. */
  payload: string;
  deliveries: SendDelivery[];
  /** Every delivery got a 2xx answer. */
  delivered: boolean;
}
