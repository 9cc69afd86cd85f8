/**
 * The wire shapes of payload checks: what a bin checks against, and the verdict stored with
 * each request. shared/checks/types.ts documents each field's meaning.
 */
import { TOKEN_STATUSES } from './tokens.js';

/**
 * What a bin checks its payloads against: 'auto' (Krea jobs and LangGraph Runs by their fields),
 * a built-in schema, 'none', or a user's JSON Schema (checked to compile when it is saved).
 */
export const schemaChoiceSchema = {
  description: 'What payloads are checked against',
  oneOf: [
    { enum: ['auto', 'krea-job', 'langgraph-run', 'none'] },
    {
      type: 'object',
      required: ['custom'],
      additionalProperties: false,
      properties: { custom: { type: 'object', description: 'A JSON Schema (draft 2020-12)' } },
    },
  ],
  'x-must': '"auto", "krea-job", "langgraph-run", "none", or { "custom": <a JSON Schema, draft 2020-12> }',
} as const;

export const checkIssueSchema = {
  type: 'object',
  required: ['path', 'message', 'code'],
  additionalProperties: false,
  properties: {
    path: { type: 'string', description: "JSON Pointer into the body ('' for the whole body or the request)" },
    message: { type: 'string' },
    code: { type: 'string', description: "'schema.<keyword>' for schema violations, else a stable check code such as 'delivery.duplicate'" },
  },
} as const;

export const SIGNATURE_STATUSES = ['valid', 'invalid', 'expired', 'missing', 'no_secret', 'malformed', 'none'] as const;

export const skippedCheckSchema = {
  type: 'object',
  description: 'Present when the payload checks could not run (the request is stored all the same); valid is then false',
  required: ['reason', 'message'],
  additionalProperties: false,
  properties: { reason: { enum: ['too_deep', 'too_large', 'too_slow', 'failed'] }, message: { type: 'string' } },
} as const;

export const checkResultSchema = {
  type: 'object',
  required: ['schema', 'valid', 'errors', 'warnings'],
  additionalProperties: false,
  properties: {
    schema: { enum: ['krea-job', 'langgraph-run', 'custom', 'none', null], description: "What the body was checked against; null when 'auto' recognised nothing" },
    valid: { type: 'boolean' },
    errors: { type: 'array', items: checkIssueSchema },
    warnings: { type: 'array', items: checkIssueSchema },
    duplicateOf: { type: 'string', description: 'The earlier request of this bin with the same delivery key' },
    deliveryKey: { type: 'string' },
    token: { enum: TOKEN_STATUSES },
    signature: { enum: SIGNATURE_STATUSES },
    skipped: skippedCheckSchema,
    payloadStatus: { type: 'string', maxLength: 40, description: "The payload's own status (a Krea job's or LangGraph Run's `status`), when a built-in schema applied and it is a string" },
  },
} as const;
