import { strictObject } from './json-schema.js';

/**
 * Every `code` hookscope puts in an error answer `{ "error": { "code", "message" } }` (and in a
 * capture's `rejection`), listed once. Codes are stable and machine-readable: clients key on
 * them, never on the message, which is a sentence for a person. Adding a code is adding it here.
 */
export const ERROR_CODES = [
  // Request bodies and parameters of the API (400, 413, 415).
  'bad_request', // a 400 of Koa's own
  'invalid_json', // the body is not JSON, or nests too deep
  'invalid_body', // the JSON is not the shape the route takes
  'invalid_parameter', // a query parameter is out of range or malformed
  'invalid_bin', // bin settings
  'invalid_responses', // a bin's scripted responses
  'invalid_schema', // a custom payload schema that does not compile
  'invalid_target', // a replay, forward or send target URL
  'invalid_timeout', // a delivery timeout
  'invalid_replay', // replay edits
  'invalid_simulation', // a simulated send
  'too_many_ids', // more expected ids than a bin holds
  'body_too_large', // a body above the limit (API: 1 MB; captures: --max-body-size)
  'body_aborted', // the client stopped sending the body
  'unsupported_media_type', // an API body that is not application/json
  // Things that are not there (404, 405, 501, 422).
  'not_found',
  'bin_not_found',
  'request_not_found',
  'part_not_found',
  'send_not_found',
  'method_not_allowed',
  'not_implemented',
  'malformed_multipart',
  // Access and the perimeter (401, 403, 429).
  'unauthorized',
  'host_not_allowed',
  'capture_host', // the inspector asked for on a host reserved for capture URLs
  'origin_not_allowed',
  'target_refused', // the target policy refuses a replay, forward or send target
  'rate_limited',
  // Captures (recorded with the request as its rejection, or answered on the capture URL).
  'token_missing',
  'token_invalid',
  'server_busy', // the body memory budget is spent
  'body_timeout',
  'scripted_status', // a scripted error status, answered in hookscope's own JSON
  'forward_failed', // pass-through: the target gave no usable answer
  // The server itself (500, 503).
  'store_unavailable',
  'disk_full',
  'store_failed',
  'stopping',
  'request_error', // another 4xx of Koa's own
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Every error answer: `{ "error": { "code", "message" } }`. */
export const errorBodySchema = strictObject(
  {
    error: strictObject(
      {
        code: { enum: ERROR_CODES, description: 'Stable and machine-readable: key on it, not on the message' },
        message: { type: 'string', description: 'What was wrong and what to do, for a person' },
      },
      ['code', 'message'],
    ),
  },
  ['error'],
);
