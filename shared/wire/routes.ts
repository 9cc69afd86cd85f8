/**
 * Every route of the HTTP API under /api, as a contract: its method and path, the JSON body it
 * takes, the query parameters it reads and what it answers. The server registers its handlers
 * by these keys (server/api/route.ts: the compiler checks each answers what is written here),
 * the OpenAPI document is built from it, and the inspector's client (web/lib/api.ts) is typed by
 * it. Capture URLs (/h/…) are not here: they take any method, body and sub-path.
 */
import type { JSONSchema } from 'json-schema-to-ts';
import { binInputSchema, binListSchema, binSchema, expectedIdCountSchema, expectedIdsInputSchema, expectedIdsSchema, expectedWaitSchema } from './bin.js';
import type { Wire, WireInput } from './json-schema.js';
import { replayInputSchema, replayListSchema, replayManyInputSchema, replayAttemptSchema, replaySummarySchema } from './replay.js';
import { capturedRequestSchema, clearedRequestsSchema, recheckedSchema, requestPageSchema, requestSummarySchema } from './request.js';
import { sendInputSchema, sendListSchema, sendResultSchema } from './send.js';
import { checkResultSchema, schemaListSchema, serverStatusSchema, validateInputSchema } from './status.js';

/** The path parameters, checked by the server before a route runs. */
export const PATH_PARAMS = {
  binId: { type: 'string', format: 'uuid' },
  requestId: { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$' },
  index: { type: 'integer', minimum: 0 },
  sendId: { type: 'string' },
} as const;

const download = { type: 'string', description: 'Present: sent as an attachment' } as const;

/** What one route is. A route without `response` answers 204; `noContent`: it may answer 204 instead; `raw`: bytes, not JSON. */
export interface RouteContract {
  body?: JSONSchema;
  query?: Readonly<Record<string, JSONSchema>>;
  response?: JSONSchema;
  status?: 200 | 201;
  noContent?: true;
  raw?: true;
}

export const API_ROUTES = {
  'GET /api/openapi.json': { response: { type: 'object' } },
  'GET /api/bins': { response: binListSchema },
  'POST /api/bins': { body: binInputSchema, status: 201, response: binSchema },
  'GET /api/bins/{binId}': { response: binSchema },
  'PATCH /api/bins/{binId}': { body: binInputSchema, response: binSchema },
  'DELETE /api/bins/{binId}': {},
  'GET /api/bins/{binId}/requests': {
    query: {
      limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
      before: { type: 'string', description: 'nextBefore of the previous page' },
      q: { type: 'string', description: 'Filter: method:POST, token:invalid, and words looked for in path, query, headers and inline bodies (all must match)' },
    },
    response: requestPageSchema,
  },
  'DELETE /api/bins/{binId}/requests': { response: clearedRequestsSchema },
  'GET /api/bins/{binId}/requests/wait': {
    query: {
      after: { type: 'string', description: 'A request id; without it, waits for the next request to arrive' },
      timeout: { type: 'integer', minimum: 0, maximum: 300, default: 30, description: 'Seconds to wait' },
    },
    response: capturedRequestSchema,
    noContent: true,
  },
  'GET /api/bins/{binId}/requests/{requestId}': {
    query: { bodyLimit: { type: 'integer', minimum: 0, description: 'Return at most this many body bytes inline (body.truncated says so)' } },
    response: capturedRequestSchema,
  },
  'DELETE /api/bins/{binId}/requests/{requestId}': {},
  'GET /api/bins/{binId}/requests/{requestId}/body': { query: { download }, raw: true },
  'GET /api/bins/{binId}/requests/{requestId}/parts/{index}': { query: { download }, raw: true },
  'POST /api/bins/{binId}/requests/{requestId}/recheck': { response: requestSummarySchema },
  'POST /api/bins/{binId}/requests/{requestId}/replay': { body: replayInputSchema, response: replayAttemptSchema },
  'GET /api/bins/{binId}/requests/{requestId}/replays': { response: replayListSchema },
  'GET /api/bins/{binId}/export': { query: { format: { enum: ['har', 'ndjson'] }, q: { type: 'string' } }, raw: true },
  'POST /api/bins/{binId}/recheck': { response: recheckedSchema },
  'GET /api/bins/{binId}/expected': { response: expectedIdsSchema },
  'GET /api/bins/{binId}/expected/wait': {
    query: { timeoutMs: { type: 'integer', minimum: 0, maximum: 300000, default: 30000, description: 'How long to wait, in ms' } },
    response: expectedWaitSchema,
  },
  'POST /api/bins/{binId}/expected': { body: expectedIdsInputSchema, response: expectedIdCountSchema },
  'DELETE /api/bins/{binId}/expected': {},
  'POST /api/bins/{binId}/replay': { body: replayManyInputSchema, response: replaySummarySchema },
  'GET /api/schemas': { response: schemaListSchema },
  'POST /api/validate': { body: validateInputSchema, response: checkResultSchema },
  'POST /api/send': { body: sendInputSchema, response: sendResultSchema },
  'GET /api/sends': { response: sendListSchema },
  'GET /api/sends/{sendId}': { response: sendResultSchema },
  'GET /api/status': { response: serverStatusSchema },
} as const satisfies Record<string, RouteContract>;

export type RouteKey = keyof typeof API_ROUTES;
type Route<K extends RouteKey> = (typeof API_ROUTES)[K];

/** The JSON a route answers with (undefined for a 204-only or raw route). */
export type ResponseOf<K extends RouteKey> = Route<K> extends { response: infer S extends JSONSchema } ? Wire<S> : undefined;
/** The JSON body a client may send to a route. */
export type BodyOf<K extends RouteKey> = Route<K> extends { body: infer S extends JSONSchema } ? WireInput<S> : never;
/**
 * The body as the server has it once validated: what a client may send (validation fills in no
 * defaults, so that it never writes into an untrusted object; the hand code after it does).
 */
export type ValidBodyOf<K extends RouteKey> = BodyOf<K>;
/** The query parameters a route reads. */
export type QueryOf<K extends RouteKey> = Route<K> extends { query: infer Q extends Record<string, JSONSchema> } ? { [P in keyof Q]?: Wire<Q[P]> } : never;
/** The path parameters of a route, by name: `{ binId: string }` for '…/bins/{binId}'. */
export type PathParamsOf<K extends RouteKey> = { [P in ParamNames<K>]: P extends 'index' ? number : string };
type ParamNames<T extends string> = T extends `${string}{${infer P}}${infer Rest}` ? P | ParamNames<Rest> : never;
