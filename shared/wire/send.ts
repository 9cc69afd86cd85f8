/** The sender simulator: `POST /api/send` and its history (`GET /api/sends`). */
import { replayAttemptSchema } from './replay.js';
import { dateTimeSchema, strictObject, targetUrlSchema } from './json-schema.js';

export const SEND_KINDS = ['krea-job', 'langgraph-run', 'custom'] as const;

export const sendOptionsSchema = {
  type: 'object',
  properties: {
    flavor: {
      enum: ['python', 'js'],
      description: 'LangGraph only: which server to imitate (python: 3 tries, JSON; js: 1 try, text/plain)',
      'x-must': '"python" or "js" (which LangGraph server to imitate)',
    },
    token: { type: 'string', minLength: 1, maxLength: 256, description: 'Added as ?token= (and echoed in kwargs.webhook, as LangGraph does)' },
    signingSecret: {
      type: 'string',
      pattern: '^whsec_',
      description: 'Standard Webhooks secret: the delivery is signed',
      'x-must': 'a Standard Webhooks secret: whsec_ followed by base64',
    },
    errorForm: {
      enum: ['string', 'object'],
      description: "langgraph-run only: error as a string or as { error, message } (default: the flavor's)",
      'x-must': '"string" or "object" ({ error, message }), for langgraph-run',
    },
    allowedFields: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: { type: 'string', minLength: 1, maxLength: 100 },
      description: 'langgraph-run only: send just these top-level Run fields (webhooks.allowed_fields)',
      'x-must': 'the top-level Run fields to send, e.g. ["run_id", "status", "values"] (webhooks.allowed_fields), for langgraph-run',
    },
    duplicateAfterMs: {
      type: 'integer',
      minimum: 0,
      maximum: 600000,
      description: 'Deliver the same webhook again this many ms after the first delivery ended',
    },
    overrides: {
      type: 'object',
      description: 'JSON Pointer → value, applied to the generated payload, e.g. { "/status": "processing" }',
      'x-must': 'an object mapping JSON Pointers (like "/status") to values',
    },
    body: { description: 'kind custom: the JSON to send' },
    timeScale: {
      type: 'number',
      minimum: 0.0001,
      maximum: 1,
      description: 'Multiplies every wait and timeout',
      'x-must': 'a number from 0.0001 to 1 (it shortens every wait and timeout)',
    },
  },
} as const;

/** `POST /api/send`. */
export const sendInputSchema = {
  type: 'object',
  required: ['target', 'kind'],
  properties: {
    target: { ...targetUrlSchema, description: 'Absolute http(s) URL of the receiver' },
    kind: { enum: SEND_KINDS },
    state: { type: 'string', description: 'krea-job: completed (default), failed, cancelled; langgraph-run: success (default), error, interrupted, timeout' },
    options: sendOptionsSchema,
  },
  'x-code': 'invalid_simulation',
} as const;

export const sendDeliverySchema = strictObject(
  {
    label: { enum: ['first', 'duplicate'] },
    attempts: { type: 'array', items: replayAttemptSchema, description: 'Every try, in order; nextTryInMs is set on a try that another follows' },
    delivered: { type: 'boolean', description: 'A try got a 2xx answer' },
  },
  ['label', 'attempts', 'delivered'],
);

/** A simulated send with every attempt (the OpenAPI document calls it SimulationResult). */
export const sendResultSchema = strictObject(
  {
    id: { type: 'string' },
    at: dateTimeSchema,
    kind: { enum: SEND_KINDS },
    state: {
      type: 'string',
      description: "The status the payload carried (its top-level status, e.g. 'processing' when an override set it), else the state asked for",
    },
    sender: { type: 'string', description: 'The sender imitated, e.g. "LangGraph Python server (httpx)"' },
    target: { type: 'string' },
    payload: { type: 'string', description: 'The exact body sent' },
    deliveries: { type: 'array', items: sendDeliverySchema },
    delivered: { type: 'boolean', description: 'Every delivery got a 2xx' },
  },
  ['id', 'at', 'kind', 'state', 'sender', 'target', 'payload', 'deliveries', 'delivered'],
);

export const sendListSchema = strictObject({ sends: { type: 'array', items: sendResultSchema } }, ['sends']);
