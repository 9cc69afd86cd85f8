/** A bin's wire shapes: the bin as served, its settings as sent, and its auto-forward setting. */
import { schemaChoiceSchema } from './checks.js';
import { targetUrlSchema, timeoutMsSchema } from './json-schema.js';
import { responseSettingsInputSchema, responseSettingsSchema } from './responses.js';

/** Retries of an auto-forward: jittered exponential back-off, on network errors, 5xx and 429 only. */
export const retrySettingSchema = {
  type: 'object',
  required: ['attempts', 'baseDelayMs', 'maxDelayMs'],
  additionalProperties: false,
  properties: {
    attempts: { type: 'integer', minimum: 1, maximum: 10, description: 'Tries in all, the first included' },
    baseDelayMs: { type: 'integer', minimum: 0, maximum: 3600000, description: 'Delay before the second try; each later one doubles, capped at maxDelayMs (each jittered to 50–100 %)' },
    maxDelayMs: { type: 'integer', minimum: 0, maximum: 3600000, description: 'At least baseDelayMs' },
  },
} as const;

export const forwardSettingSchema = {
  type: 'object',
  required: ['target'],
  additionalProperties: false,
  properties: {
    target: { ...targetUrlSchema, description: 'Each captured request is sent on to this URL' },
    retry: {
      oneOf: [{ const: 'langgraph' }, retrySettingSchema],
      description: "'langgraph': what LangGraph's Python server does (3 tries, 1 s base, 10 s cap). Absent: one try",
      'x-must': '"langgraph" or { "attempts": 1–10, "baseDelayMs": ms, "maxDelayMs": ms ≥ baseDelayMs }',
    },
    respond: {
      enum: ['hookscope', 'forward'],
      description: "'hookscope' (default): the sender gets hookscope's own answer at once; 'forward': the target's answer (pass-through)",
      'x-must': '"hookscope" (answer at once) or "forward" (pass the target\'s answer through)',
    },
    appendPath: { type: 'boolean', description: 'Append the captured sub-path (after /h/{binId}) to the target path. Default false' },
    timeoutMs: timeoutMsSchema,
  },
} as const;

const nullableForward = {
  oneOf: [forwardSettingSchema, { type: 'null' }],
  description: 'Auto-forward of each accepted capture; null when off',
  'x-must': 'null or { "target": "<url>", "retry"?, "respond"?, "appendPath"?, "timeoutMs"? }',
} as const;

const settings = {
  name: { type: 'string', maxLength: 200 },
  token: {
    type: ['string', 'null'],
    minLength: 1,
    maxLength: 256,
    pattern: '^[^\\s\\x00-\\x1f\\x7f]*$',
    description: 'Query secret (?token=) expected on captures; null when the bin has none',
    'x-must': 'null or a string of 1 to 256 characters without spaces or control characters',
  },
  requireToken: { type: 'boolean', description: 'When true, captures without the right token get 401 (and are still recorded)' },
  schema: schemaChoiceSchema,
  signingSecret: {
    type: ['string', 'null'],
    pattern: '^whsec_',
    description: 'Standard Webhooks secret (whsec_…) that signed requests are verified with; null when none',
    'x-must': 'null or a Standard Webhooks secret: whsec_ followed by base64 (as your sender shows it)',
  },
  forward: nullableForward,
  replayTarget: { ...targetUrlSchema, type: ['string', 'null'], description: 'The target of the last replay (the default for the next one); null before any', 'x-must': 'null or an absolute http(s) URL of at most 2048 characters' },
} as const;

/** The settings of `POST /api/bins` and `PATCH /api/bins/{binId}`: only the fields given are set. Unknown fields are refused, so a typo does not look like success. */
export const binInputSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { ...settings, responses: responseSettingsInputSchema },
  'x-code': 'invalid_bin',
} as const;

export const binSchema = {
  type: 'object',
  required: ['id', 'name', 'url', 'token', 'requireToken', 'createdAt', 'requestCount', 'schema', 'signingSecret', 'expectedIdCount', 'rateLimited', 'forward', 'replayTarget', 'responses'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: settings.name,
    url: { type: 'string', format: 'uri', description: 'The capture URL: <public url or request origin>/h/<id>' },
    token: settings.token,
    requireToken: settings.requireToken,
    createdAt: { type: 'string', format: 'date-time' },
    requestCount: { type: 'integer', minimum: 0 },
    schema: settings.schema,
    signingSecret: settings.signingSecret,
    expectedIdCount: { type: 'integer', minimum: 0, description: 'How many job / run ids are registered as expected (GET …/expected lists them)' },
    rateLimited: { type: 'integer', minimum: 0, description: 'Captures refused by a rate limit (429) since the server started: counted, not stored' },
    requestLimit: { type: 'integer', minimum: 1, description: 'Requests the bin keeps (--max-requests-per-bin); at it, each new one evicts the oldest' },
    forward: nullableForward,
    replayTarget: settings.replayTarget,
    responses: responseSettingsSchema,
  },
} as const;

/** `GET /api/bins`. */
export const binListSchema = { type: 'object', required: ['bins'], additionalProperties: false, properties: { bins: { type: 'array', items: binSchema } } } as const;

/** `POST /api/bins/{binId}/expected`: ids are kept lower-cased and unique; replace: true replaces the list. */
export const expectedIdsInputSchema = {
  type: 'object',
  required: ['ids'],
  properties: {
    ids: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' } },
    replace: { type: 'boolean' },
  },
  'x-must': '{ "ids": ["<job_id or run_id>", …] } (strings of 1 to 200 characters), with "replace": true to replace the list',
  'x-code': 'invalid_body',
} as const;

export const expectedIdsSchema = { type: 'object', required: ['ids'], additionalProperties: false, properties: { ids: { type: 'array', items: { type: 'string' } } } } as const;
export const expectedIdCountSchema = { type: 'object', required: ['expectedIdCount'], additionalProperties: false, properties: { expectedIdCount: { type: 'integer' } } } as const;
