/** Deliveries of captured requests to a target: replays, auto-forward tries, pass-throughs, simulated sends. */
import { bodyDataSchema, dateTimeSchema, HTTP_TOKEN_PATTERN, pairSchema, strictObject, targetUrlSchema, timeoutMsSchema } from './json-schema.js';

export const TRIGGERS = ['replay', 'forward', 'pass-through', 'simulated'] as const;

/** One delivery of a captured request to a target. */
export const replayAttemptSchema = strictObject(
  {
    id: { type: 'string' },
    at: { ...dateTimeSchema, description: 'When it was sent' },
    trigger: { enum: TRIGGERS },
    target: { type: 'string', description: 'The URL requested, query included' },
    method: { type: 'string' },
    modified: {
      type: 'array',
      items: { enum: ['method', 'headers', 'body', 'queryString'] },
      description: 'Which parts of the captured request a replay changed; absent when sent unchanged',
    },
    status: { type: ['integer', 'null'], description: "The target's status; null when no response came (see error)" },
    headers: { type: 'array', items: pairSchema, description: 'The response headers as [name, value] pairs in order and case; [] without a response' },
    body: {
      oneOf: [bodyDataSchema, { type: 'null' }],
      description: 'The response body, bounded (truncated when cut; size has the full length); null without a response',
    },
    size: { type: 'integer', minimum: 0, description: 'Response body bytes received in all' },
    decodedBody: {
      ...bodyDataSchema,
      description:
        "The body with the target's Content-Encoding (gzip, deflate, br) undone, for reading; absent when not encoded or not decodable (see warning)",
    },
    durationMs: { type: 'integer', minimum: 0 },
    error: { type: 'string', description: 'Why no response came: "connection refused at localhost:3000", "timed out after 30 s", …' },
    warning: { type: 'string', description: 'About a response that did come, e.g. "target answered with more than 1 MB; kept the first 1 MB"' },
    try: { type: 'integer', minimum: 1, description: 'Auto-forward: which try this was (1 = the first)' },
    nextTryInMs: { type: 'integer', minimum: 0, description: 'Auto-forward: set when another try follows, after this many ms' },
  },
  ['id', 'at', 'trigger', 'target', 'method', 'status', 'headers', 'body', 'size', 'durationMs'],
);

const HEADER_VALUE_PATTERN = '^[\\t\\x20-\\x7e\\x80-\\xff]*$'; // no CR, LF or other control characters
const replayHeaderName = { type: 'string', pattern: HTTP_TOKEN_PATTERN } as const;
const replayHeaderValue = { type: 'string', pattern: HEADER_VALUE_PATTERN } as const;

/** `POST /api/bins/{binId}/requests/{requestId}/replay`. Everything but the target is an optional edit. */
export const replayInputSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    target: { ...targetUrlSchema, description: "Default: the bin's replayTarget" },
    method: { type: 'string', maxLength: 32, pattern: HTTP_TOKEN_PATTERN, 'x-must': 'an HTTP method such as POST' },
    headers: {
      oneOf: [
        { type: 'array', maxItems: 500, items: { type: 'array', prefixItems: [replayHeaderName, replayHeaderValue], minItems: 2, maxItems: 2 } },
        { type: 'object', maxProperties: 500, propertyNames: replayHeaderName, additionalProperties: { oneOf: [replayHeaderValue, { type: 'null' }] } },
      ],
      description: 'Pairs replace all headers; an object patches them ({ name: value } replaces, { name: null } removes)',
      'x-must':
        'a list of [name, value] pairs (replacing all headers) or an object { "name": "value" | null } (a patch; null removes), with valid names and no line breaks in values',
    },
    body: {
      type: 'string',
      description: 'A new body (content-length follows it)',
      'x-must': 'a string (set "bodyEncoding": "base64" for bytes that are not UTF-8)',
    },
    bodyEncoding: { enum: ['utf8', 'base64'], 'x-must': '"utf8" (default) or "base64"' },
    queryString: {
      type: 'string',
      pattern: '^[\\x21-\\x7e]*$',
      description: 'A new raw query string; default: the captured one',
      'x-must': 'a raw query string without "?", spaces or control characters',
    },
    appendPath: { type: 'boolean', description: 'Append the captured sub-path to the target path (default false)' },
    timeoutMs: timeoutMsSchema,
  },
  'x-code': 'invalid_replay',
} as const;

/** `POST /api/bins/{binId}/replay`: several requests, one after another in arrival order. */
export const replayManyInputSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    target: replayInputSchema.properties.target,
    requestIds: {
      type: 'array',
      maxItems: 10000,
      items: { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$' },
      description: 'Default: every request of the bin',
      'x-must': 'an array of at most 10000 request ids; leave it out to replay the whole bin',
    },
    appendPath: replayInputSchema.properties.appendPath,
    timeoutMs: timeoutMsSchema,
  },
  'x-code': 'invalid_replay',
} as const;

export const replaySummarySchema = strictObject(
  {
    target: { type: 'string' },
    total: { type: 'integer', description: 'Requests sent' },
    succeeded: { type: 'integer', description: 'Answered with a 2xx' },
    failed: { type: 'integer', description: 'Answered otherwise, or not at all' },
    notFound: { type: 'array', items: { type: 'string' }, description: 'Requested ids that are not (or no longer) in the bin' },
    results: {
      type: 'array',
      items: strictObject(
        {
          requestId: { type: 'string' },
          attemptId: { type: 'string' },
          status: { type: ['integer', 'null'] },
          error: { type: 'string' },
          durationMs: { type: 'integer' },
        },
        ['requestId', 'attemptId', 'status', 'durationMs'],
      ),
    },
  },
  ['target', 'total', 'succeeded', 'failed', 'notFound', 'results'],
);

export const replayListSchema = strictObject({ replays: { type: 'array', items: replayAttemptSchema } }, ['replays']);
