/** A bin's wire shapes: the bin as served, its settings as sent, and its auto-forward setting. */
import { schemaChoiceSchema, signingSecretsSchema } from './checks.js';
import { dateTimeSchema, strictObject, targetUrlSchema, timeoutMsSchema } from './json-schema.js';
import { responseSettingsInputSchema, responseSettingsSchema } from './responses.js';

/** Retries of an auto-forward: jittered exponential back-off, on network errors, 5xx and 429 only. */
export const retrySettingSchema = strictObject(
  {
    attempts: { type: 'integer', minimum: 1, maximum: 10, description: 'Tries in all, the first included' },
    baseDelayMs: {
      type: 'integer',
      minimum: 0,
      maximum: 3600000,
      description: 'Delay before the second try; each later one doubles, capped at maxDelayMs (each jittered to 50–100 %)',
    },
    maxDelayMs: { type: 'integer', minimum: 0, maximum: 3600000, description: 'At least baseDelayMs' },
  },
  ['attempts', 'baseDelayMs', 'maxDelayMs'],
);

export const forwardSettingSchema = strictObject(
  {
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
  ['target'],
);

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
  requireToken: { type: 'boolean', description: 'When true, captures without the right token or secret header get 401 (and are still recorded)' },
  secretHeader: {
    description:
      'A secret header expected on captures besides (or instead of) ?token=, e.g. Authorization: Bearer …; null when none. requireToken refuses a wrong or missing one too',
    'x-must': 'null or { "name": "X-Webhook-Token", "value": "<secret>" }',
    oneOf: [
      // The header name and value rules (which names, visible ASCII) are server/api/bin-input.ts's parseSecretHeader.
      strictObject({ name: { type: 'string' }, value: { type: 'string' } }, ['name', 'value']),
      { type: 'null' },
    ],
  },
  schema: schemaChoiceSchema,
  signingSecret: {
    type: ['string', 'null'],
    pattern: '^whsec_',
    description: 'Standard Webhooks secret (whsec_…) that signed requests are verified with; null when none',
    'x-must': 'null or a Standard Webhooks secret: whsec_ followed by base64 (as your sender shows it)',
  },
  signingSecrets: signingSecretsSchema,
  forward: nullableForward,
  replayTarget: {
    ...targetUrlSchema,
    type: ['string', 'null'],
    description: 'The target of the last replay (the default for the next one); null before any',
    'x-must': 'null or an absolute http(s) URL of at most 2048 characters',
  },
} as const;

/** The settings of `POST /api/bins` and `PATCH /api/bins/{binId}`: only the fields given are set. Unknown fields are refused, so a typo does not look like success. */
export const binInputSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { ...settings, responses: responseSettingsInputSchema },
  'x-code': 'invalid_bin',
} as const;

export const binSchema = strictObject(
  {
    id: { type: 'string', format: 'uuid' },
    name: settings.name,
    url: { type: 'string', format: 'uri', description: 'The capture URL: <public url or request origin>/h/<id>' },
    token: settings.token,
    requireToken: settings.requireToken,
    secretHeader: settings.secretHeader,
    createdAt: dateTimeSchema,
    requestCount: { type: 'integer', minimum: 0 },
    schema: settings.schema,
    signingSecret: settings.signingSecret,
    signingSecrets: settings.signingSecrets,
    expectedIdCount: { type: 'integer', minimum: 0, description: 'How many job / run ids are registered as expected (GET …/expected lists them)' },
    rateLimited: { type: 'integer', minimum: 0, description: 'Captures refused by a rate limit (429) since the server started: counted, not stored' },
    requestLimit: { type: 'integer', minimum: 1, description: 'Requests the bin keeps (--max-requests-per-bin); at it, each new one evicts the oldest' },
    forward: nullableForward,
    replayTarget: settings.replayTarget,
    responses: responseSettingsSchema,
  },
  [
    'id',
    'name',
    'url',
    'token',
    'requireToken',
    'secretHeader',
    'createdAt',
    'requestCount',
    'schema',
    'signingSecret',
    'signingSecrets',
    'expectedIdCount',
    'rateLimited',
    'forward',
    'replayTarget',
    'responses',
  ],
);

/** `GET /api/bins`. */
export const binListSchema = strictObject({ bins: { type: 'array', items: binSchema } }, ['bins']);

/** `POST /api/bins/{binId}/expected`: ids are kept lower-cased and unique; replace: true replaces the list; within: a deadline for these ids. */
export const expectedIdsInputSchema = {
  type: 'object',
  required: ['ids'],
  properties: {
    ids: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' } },
    replace: { type: 'boolean' },
    // Which durations (at most 7 days) is server/checks/expected-deadlines.ts's parseWithin.
    within: {
      anyOf: [{ type: 'string' }, { type: 'integer' }],
      description: 'A deadline for these ids: "90s", "10m", "2h", "1d" or ms (at most 7 days)',
      'x-must': 'a duration such as "90s", "10m", "2h" or "1d" (at most 7 days), or a number of ms',
    },
  },
  'x-must':
    '{ "ids": ["<job_id or run_id>", …] } (strings of 1 to 200 characters), with "replace": true to replace the list and "within": "10m" for a deadline',
  'x-code': 'invalid_body',
} as const;

/**
 * An expected job / run id and whether its webhook came: 'arrived' with the request that brought
 * it, 'overdue' once its deadline passed without it, else 'pending'. `due` is present when the id
 * was registered with a deadline (`within`).
 */
export const expectedIdSchema = strictObject(
  { id: { type: 'string' }, state: { enum: ['pending', 'arrived', 'overdue'] }, due: dateTimeSchema, requestId: { type: 'string' } },
  ['id', 'state'],
);

/** `GET /api/bins/{binId}/expected`: `ids` as registered, `expected`: each with its state. */
export const expectedIdsSchema = strictObject({ ids: { type: 'array', items: { type: 'string' } }, expected: { type: 'array', items: expectedIdSchema } }, [
  'ids',
  'expected',
]);
/** `GET /api/bins/{binId}/expected/wait`: how the wait ended (all arrived, one overdue, or its own timeout). */
export const expectedWaitSchema = strictObject({ outcome: { enum: ['arrived', 'overdue', 'timeout'] }, expected: { type: 'array', items: expectedIdSchema } }, [
  'outcome',
  'expected',
]);
export const expectedIdCountSchema = strictObject({ expectedIdCount: { type: 'integer' } }, ['expectedIdCount']);
