import type { RouteKey } from '../../shared/wire/routes.js';

/**
 * What the OpenAPI document says about each API route beyond its shapes (which come from the
 * contract, shared/wire/routes.ts): its id, a summary, what its answers mean and the errors it
 * can give. The type makes every route of the contract need one.
 */
export interface OperationDoc {
  operationId: string;
  summary: string;
  description?: string;
  /** What the success answer is. */
  answer: string;
  /** A route that may answer 204 instead: when it does. */
  emptyAnswer?: string;
  /** Error statuses and when they happen. */
  errors?: Record<number, string>;
  /** Whether a body must be sent (an empty body reads as `{}`). */
  bodyRequired?: boolean;
  /** A raw answer's content types, with the schema of each. */
  content?: Record<string, object>;
}

const noBin = 'No such bin';
const noRequest = 'No such bin or request';
const refused = 'The target policy refuses this target (see --allow-forward-to); nothing was sent';
const anyBytes = { '*/*': { schema: {} } };

export const OPERATION_DOCS: Record<RouteKey, OperationDoc> = {
  'GET /api/openapi.json': { operationId: 'getOpenApi', summary: 'This document', answer: 'OpenAPI 3.1' },
  'GET /api/bins': { operationId: 'listBins', summary: 'List bins, newest first', answer: 'Bins' },
  'POST /api/bins': { operationId: 'createBin', summary: 'Create a bin', answer: 'Created', errors: { 400: 'Invalid settings' }, bodyRequired: false },
  'GET /api/bins/{binId}': { operationId: 'getBin', summary: 'One bin', answer: 'The bin', errors: { 404: noBin } },
  'PATCH /api/bins/{binId}': {
    operationId: 'updateBin',
    summary: "Change a bin's settings (only the fields given)",
    answer: 'Updated',
    errors: { 400: 'Invalid settings', 404: noBin },
    bodyRequired: true,
  },
  'DELETE /api/bins/{binId}': { operationId: 'deleteBin', summary: 'Delete a bin and its requests', answer: 'Deleted', errors: { 404: noBin } },
  'GET /api/bins/{binId}/requests': {
    operationId: 'listRequests',
    summary: 'Captured requests, newest first, cursor-paged',
    answer: 'A page',
    errors: { 400: 'Invalid parameter', 404: noBin },
  },
  'DELETE /api/bins/{binId}/requests': { operationId: 'clearRequests', summary: 'Delete every request of the bin', answer: 'Cleared', errors: { 404: noBin } },
  'GET /api/bins/{binId}/requests/wait': {
    operationId: 'waitForRequest',
    summary: 'Long-poll for the first request newer than `after` (for CI)',
    answer: 'The request',
    emptyAnswer: 'Nothing arrived in time',
    errors: { 400: 'Invalid parameter', 404: noBin },
  },
  'GET /api/bins/{binId}/requests/{requestId}': {
    operationId: 'getRequest',
    summary: 'One request with its exact body and parsed views',
    answer: 'The request',
    errors: { 404: noRequest },
  },
  'DELETE /api/bins/{binId}/requests/{requestId}': {
    operationId: 'deleteRequest',
    summary: 'Delete one request',
    answer: 'Deleted',
    errors: { 404: noRequest },
  },
  'GET /api/bins/{binId}/requests/{requestId}/body': {
    operationId: 'getRequestBody',
    summary: 'The exact body bytes with the original content type (served sandboxed; ?download for an attachment)',
    answer: 'Raw bytes',
    errors: { 404: noRequest },
    content: anyBytes,
  },
  'GET /api/bins/{binId}/requests/{requestId}/parts/{index}': {
    operationId: 'getRequestPart',
    summary: 'The bytes of one multipart part (a file download)',
    answer: 'Raw bytes',
    errors: { 404: 'No such part', 422: 'Malformed multipart body' },
    content: anyBytes,
  },
  'POST /api/bins/{binId}/requests/{requestId}/recheck': {
    operationId: 'recheckRequest',
    summary: "Run the payload checks again with the bin's current settings",
    answer: 'The request summary with its new checks',
    errors: { 404: noRequest },
  },
  'POST /api/bins/{binId}/requests/{requestId}/replay': {
    operationId: 'replayRequest',
    summary: 'Send the captured request to a target, byte for byte or with edits; the attempt is recorded and pushed live',
    description: "A target's failure is an attempt with an error (still 200). The target defaults to the bin's replayTarget, which each replay updates.",
    answer: 'The attempt (response body up to 1 MB)',
    errors: { 400: 'Invalid target or edits', 403: refused, 404: noRequest },
    bodyRequired: false,
  },
  'GET /api/bins/{binId}/requests/{requestId}/replays': {
    operationId: 'listReplays',
    summary: 'The recorded deliveries of a request (replays, forwards), oldest first',
    answer: 'Attempts (response bodies up to 16 KB)',
    errors: { 404: noRequest },
  },
  'GET /api/bins/{binId}/export': {
    operationId: 'exportBin',
    summary:
      "The bin's requests, oldest first, as an HTTP Archive 1.2 (format=har, the default) or JSON Lines of CapturedRequest (format=ndjson); q filters as in listRequests",
    answer: 'An attachment, streamed',
    errors: { 400: 'Unknown format', 404: noBin },
    content: { 'application/json': { schema: { type: 'object', required: ['log'] } }, 'application/x-ndjson': { schema: { type: 'string' } } },
  },
  'POST /api/bins/{binId}/recheck': {
    operationId: 'recheckBin',
    summary: 'Run the payload checks again on every request of the bin',
    answer: 'Done',
    errors: { 404: noBin },
  },
  'GET /api/bins/{binId}/expected': {
    operationId: 'listExpectedIds',
    summary: 'The job / run ids registered as expected',
    answer: 'The ids, and each one pending, arrived or overdue',
    errors: { 404: noBin },
  },
  'GET /api/bins/{binId}/expected/wait': {
    operationId: 'waitForExpectedIds',
    summary: 'For CI: waits until every expected id arrived or one is overdue',
    answer: 'How the wait ended',
    errors: { 400: 'Invalid timeoutMs', 404: noBin },
  },
  'POST /api/bins/{binId}/expected': {
    operationId: 'addExpectedIds',
    summary: 'Register job / run ids you started (optionally with a deadline, within); a payload with another id is flagged',
    answer: 'Registered',
    errors: { 400: 'Invalid ids or deadline', 404: noBin },
    bodyRequired: true,
  },
  'DELETE /api/bins/{binId}/expected': { operationId: 'clearExpectedIds', summary: 'Forget the expected ids', answer: 'Cleared', errors: { 404: noBin } },
  'POST /api/bins/{binId}/replay': {
    operationId: 'replayMany',
    summary: 'Replay several requests (default: the whole bin) one after another, in arrival order',
    answer: 'What happened to each',
    errors: { 400: 'Invalid target or ids', 403: refused, 404: noBin },
    bodyRequired: false,
  },
  'GET /api/schemas': { operationId: 'listSchemas', summary: 'The built-in payload schemas (Krea job, LangGraph Run)', answer: 'Schemas' },
  'POST /api/validate': {
    operationId: 'validatePayload',
    summary: 'Check any JSON against a schema without capturing it (for CI)',
    answer: 'The verdict',
    errors: { 400: 'Invalid schema or body' },
    bodyRequired: true,
  },
  'POST /api/send': {
    operationId: 'simulateSend',
    summary: 'Send a realistic Krea job or LangGraph Run (or custom JSON) to a receiver, as the real sender does',
    description: 'Retries, back-off, timeouts and headers of the chosen sender. Answers when every delivery is over, with every attempt.',
    answer: 'Every attempt',
    errors: { 400: 'Invalid input', 403: 'Target refused by the target policy' },
    bodyRequired: true,
  },
  'GET /api/sends': { operationId: 'listSends', summary: 'The last 50 simulated sends, newest first', answer: 'Sends' },
  'GET /api/sends/{sendId}': { operationId: 'getSend', summary: 'One simulated send', answer: 'The send', errors: { 404: 'No such send' } },
  'GET /api/status': { operationId: 'getStatus', summary: 'How the server stands: version, access control, storage limits and warnings', answer: 'Status' },
};
