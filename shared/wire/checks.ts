/**
 * The wire shapes of payload checks: what a bin checks against, and the verdict stored with
 * each request. shared/checks/types.ts documents each field's meaning.
 */
import { HTTP_TOKEN_PATTERN, strictObject } from './json-schema.js';
import { TOKEN_STATUSES } from './tokens.js';

/**
 * The part of a custom schema that checks a request, picked by one of its headers
 * (shared/checks/types.ts SchemaByHeader): `pointer` holds `{value}` once.
 */
export const schemaByHeaderSchema = {
  description: 'Checks each request against the part of the schema its header names',
  ...strictObject(
    {
      header: { type: 'string', maxLength: 100, pattern: HTTP_TOKEN_PATTERN, description: 'e.g. x-github-event' },
      pointer: {
        type: 'string',
        maxLength: 500,
        pattern: '^#/(?:(?!\\{value\\}).)*\\{value\\}(?:(?!\\{value\\}).)*$',
        description: 'holds {value} once, e.g. #/definitions/{value}_event',
      },
    },
    ['header', 'pointer'],
  ),
} as const;

/**
 * What a bin checks its payloads against: 'auto' (Krea jobs and LangGraph Runs by their fields),
 * a built-in schema, 'none', or a user's JSON Schema (checked to compile when it is saved),
 * optionally picked apart by a header (byHeader).
 */
export const schemaChoiceSchema = {
  description: 'What payloads are checked against',
  oneOf: [
    { enum: ['auto', 'krea-job', 'langgraph-run', 'none'] },
    strictObject({ custom: { type: 'object', description: 'A JSON Schema (draft 2020-12), up to 1 MiB' }, byHeader: schemaByHeaderSchema }, ['custom']),
  ],
  'x-must':
    '"auto", "krea-job", "langgraph-run", "none", or { "custom": <a JSON Schema, draft 2020-12> } with optionally "byHeader": { "header": "x-github-event", "pointer": "#/definitions/{value}_event" }',
} as const;

/**
 * The signature schemes hookscope verifies (server/checks/signature-providers.ts): each is
 * detected by its headers. 'hmac' is the generic scheme a bin describes itself (genericHmacSchema).
 */
export const SIGNATURE_PROVIDERS = ['standard-webhooks', 'svix', 'github', 'stripe', 'shopify', 'slack', 'hmac'] as const;

/**
 * How a sender without a scheme of its own signs (provider 'hmac'; shared/checks/types.ts
 * GenericHmac). The defaults are filled in when a bin is saved (server/checks/signing-secrets.ts,
 * which also checks what a schema cannot say: {body} once, a timestamp header for {timestamp}).
 */
export const genericHmacSchema = {
  description: 'Only for provider "hmac": how the signature is made',
  ...strictObject(
    {
      header: { type: 'string', description: 'The header carrying the signature', 'x-must': 'an HTTP header name, e.g. "x-signature"' },
      algorithm: { enum: ['sha1', 'sha256', 'sha512'], default: 'sha256', 'x-must': 'sha1, sha256 or sha512' },
      encoding: { enum: ['hex', 'base64'], default: 'hex', 'x-must': 'hex or base64' },
      prefix: {
        type: 'string',
        maxLength: 32,
        default: '',
        description: 'Text before the digest, e.g. "sha256="',
        'x-must': 'a string of at most 32 characters (e.g. "sha256=")',
      },
      signed: {
        type: 'string',
        maxLength: 200,
        default: '{body}',
        description: 'What is signed: {body} once, and optionally {timestamp}',
        'x-must': 'a string holding {body} exactly once, e.g. "{body}" or "{timestamp}.{body}"',
      },
      timestampHeader: {
        type: 'string',
        description: 'Header with the Unix-seconds timestamp (for {timestamp})',
        'x-must': 'an HTTP header name, e.g. "x-timestamp"',
      },
      toleranceSeconds: { type: 'integer', minimum: 1, maximum: 604800, description: 'Default 300', 'x-must': 'a whole number of seconds from 1 to 604800' },
    },
    ['header'],
  ),
} as const;

/** One secret of a bin (shared/checks/types.ts SigningSecret). */
export const signingSecretSchema = strictObject(
  {
    provider: { enum: SIGNATURE_PROVIDERS },
    secret: {
      type: 'string',
      minLength: 1,
      maxLength: 1024,
      pattern: '^[^\\x00-\\x1f\\x7f]*$',
      description: 'whsec_<base64> for standard-webhooks and svix; the text as the sender shows it for the others',
      'x-must': 'a string of 1 to 1024 characters without control characters',
    },
    hmac: genericHmacSchema,
  },
  ['provider', 'secret'],
);

/** A bin's secrets: one per provider, or several of one while a key rotates. */
export const signingSecretsSchema = {
  type: 'array',
  maxItems: 20,
  items: signingSecretSchema,
  description: 'Secrets per provider (GitHub, Stripe, Shopify, Slack, a generic HMAC, …); several of one provider during a rotation',
} as const;

/**
 * Where a LangGraph Run's time went, in ms (shared/checks/types.ts RunTiming).
 */
export const runTimingSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'A LangGraph Run: ms from created to started, started to ended, ended to webhook_sent_at, and to arrival',
  properties: { queuedMs: { type: 'number' }, ranMs: { type: 'number' }, sendDelayMs: { type: 'number' }, deliveryMs: { type: 'number' } },
} as const;

export const checkIssueSchema = strictObject(
  {
    path: { type: 'string', description: "JSON Pointer into the body ('' for the whole body or the request)" },
    message: { type: 'string' },
    code: { type: 'string', description: "'schema.<keyword>' for schema violations, else a stable check code such as 'delivery.duplicate'" },
  },
  ['path', 'message', 'code'],
);

export const SIGNATURE_STATUSES = ['valid', 'invalid', 'expired', 'missing', 'no_secret', 'malformed', 'none'] as const;

export const skippedCheckSchema = {
  description: 'Present when the payload checks could not run (the request is stored all the same); valid is then false',
  ...strictObject({ reason: { enum: ['too_deep', 'too_large', 'too_slow', 'failed'] }, message: { type: 'string' } }, ['reason', 'message']),
} as const;

export const checkResultSchema = strictObject(
  {
    schema: {
      enum: ['krea-job', 'langgraph-run', 'custom', 'none', null],
      description: "What the body was checked against; null when 'auto' recognised nothing",
    },
    valid: { type: 'boolean' },
    errors: { type: 'array', items: checkIssueSchema },
    warnings: { type: 'array', items: checkIssueSchema },
    duplicateOf: { type: 'string', description: 'The earlier request of this bin with the same delivery key' },
    deliveryKey: { type: 'string' },
    token: { enum: TOKEN_STATUSES },
    secretHeader: { enum: TOKEN_STATUSES, description: 'The secret header verdict, when the bin has a secret header' },
    signature: { enum: SIGNATURE_STATUSES },
    signatureProvider: { enum: SIGNATURE_PROVIDERS, description: 'Whose signature scheme `signature` is about' },
    skipped: skippedCheckSchema,
    timing: runTimingSchema,
    payloadStatus: {
      type: 'string',
      maxLength: 40,
      description: "The payload's own status (a Krea job's or LangGraph Run's `status`), when a built-in schema applied and it is a string",
    },
  },
  ['schema', 'valid', 'errors', 'warnings'],
);
