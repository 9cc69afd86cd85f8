/** A captured request on the wire: its summary (lists, live pushes) and its full form. */
import { checkResultSchema } from './checks.js';
import { ERROR_CODES } from './errors.js';
import { bodyDataSchema, dateTimeSchema, multiValueSchema, pairSchema, strictObject } from './json-schema.js';
import { replayAttemptSchema, TRIGGERS } from './replay.js';
import { answeredWithSchema } from './responses.js';
import { TOKEN_STATUSES } from './tokens.js';

/** Why a capture was answered with an error status, while still being recorded. */
export const rejectionSchema = strictObject({ status: { type: 'integer' }, code: { enum: ERROR_CODES }, message: { type: 'string' } }, [
  'status',
  'code',
  'message',
]);

export const multipartPartSchema = strictObject(
  {
    index: { type: 'integer' },
    name: { type: 'string', description: 'Form field name' },
    filename: { type: 'string', description: 'Present for file parts' },
    contentType: { type: 'string' },
    size: { type: 'integer' },
    value: { type: 'string', description: 'Field value (text parts only)' },
  },
  ['index', 'name', 'contentType', 'size'],
);

const summaryProperties = {
  id: { type: 'string' },
  binId: { type: 'string' },
  receivedAt: dateTimeSchema,
  method: { type: 'string' },
  path: { type: 'string', description: "Sub-path after /h/{binId}, exactly as sent ('' when none)" },
  queryString: { type: 'string' },
  contentType: { type: ['string', 'null'] },
  size: { type: 'integer', minimum: 0 },
  token: { enum: TOKEN_STATUSES, description: "How the query token compared with the bin's" },
  secretHeader: { enum: TOKEN_STATUSES, description: "How the bin's secret header compared; present only when the bin has one" },
  rejection: rejectionSchema,
  checks: { ...checkResultSchema, description: "The payload checks' verdict, computed at capture (and again on recheck)" },
  response: { ...answeredWithSchema, description: 'What the sender was answered (absent in pass-through mode: the target answered)' },
  lastReplay: {
    description: 'The latest delivery of this request to a target (replay, forward, pass-through), if any',
    ...strictObject(
      { at: { type: 'string' }, trigger: { enum: TRIGGERS }, status: { type: ['integer', 'null'] }, target: { type: 'string' }, error: { type: 'string' } },
      ['at', 'trigger', 'status', 'target'],
    ),
  },
} as const;
const summaryRequired = ['id', 'binId', 'receivedAt', 'method', 'path', 'queryString', 'contentType', 'size', 'token'] as const;

/** The small form of a captured request, used by lists and live pushes. */
export const requestSummarySchema = strictObject(summaryProperties, summaryRequired);

/** The whole request: the summary's fields and the exact body with its parsed views. */
export const capturedRequestSchema = strictObject(
  {
    ...summaryProperties,
    query: multiValueSchema,
    headers: { ...multiValueSchema, description: 'Lower-cased names' },
    rawHeaders: { type: 'array', items: pairSchema, description: '[name, value] pairs in arrival order with their original case' },
    redacted: {
      type: 'array',
      items: { type: 'string' },
      description:
        "What hookscope removed before storing, e.g. 'cookie:hookscope_session': its own session cookie, which a logged-in browser sends to capture URLs on the inspector's host. Absent when nothing was removed.",
    },
    remoteAddress: { type: ['string', 'null'] },
    body: bodyDataSchema,
    bodyUrl: { type: 'string', description: 'Path of the raw-bytes endpoint for this request' },
    json: { description: 'The body parsed as JSON, present when it is valid JSON (whatever the content type said)' },
    jsonError: { type: 'string', description: 'Parse error, present when the body looked like JSON (by content type or shape) but is not' },
    jsonOmitted: { type: 'string', description: 'Why a body that looks like JSON has no json view, e.g. "nested deeper than 256 levels: shown as raw"' },
    form: { ...multiValueSchema, description: 'Fields of an application/x-www-form-urlencoded body' },
    parts: { type: 'array', items: multipartPartSchema, description: 'Parts of a multipart/form-data body' },
    partsError: { type: 'string', description: 'Present when the multipart body could not be parsed' },
    viewsOmitted: { type: 'boolean', description: 'The body was cut at bodyLimit or is larger than 1 MB: json, form and parts are left out' },
    replays: {
      type: 'array',
      items: replayAttemptSchema,
      description: 'Deliveries of this request to targets (replays, forwards), oldest first; absent when none',
    },
  },
  [...summaryRequired, 'query', 'headers', 'rawHeaders', 'remoteAddress', 'body', 'bodyUrl'],
);

export const requestPageSchema = strictObject(
  {
    requests: { type: 'array', items: requestSummarySchema },
    nextBefore: { type: ['string', 'null'], description: 'Pass as before to get the next (older) page; null on the last page' },
  },
  ['requests', 'nextBefore'],
);

/** What a capture URL answers by default. */
export const captureResponseSchema = strictObject({ ok: { const: true }, id: { type: 'string' } }, ['ok', 'id']);

export const clearedRequestsSchema = strictObject({ removed: { type: 'integer' } }, ['removed']);
export const recheckedSchema = strictObject({ rechecked: { type: 'integer' } }, ['rechecked']);
