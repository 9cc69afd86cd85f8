/**
 * The OpenAPI 3.1 description of hookscope's HTTP API, served at /api/openapi.json.
 * test/openapi.test.ts checks that every route the server has is here (and nothing more) and
 * that real responses match these schemas.
 */
import { binId, error, json, ref, requestId } from './openapi-parts.js';
import { replayPaths } from './openapi-replay.js';
import { componentSchemas } from './openapi-schemas.js';

const anyMethod = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

const captureOperation = {
  tags: ['capture'],
  summary: 'Capture a request (any method, any sub-path)',
  description:
    'Records method, path, query, headers and the exact body bytes. Answered once the request is durably stored. ' +
    'With requireToken, a missing or wrong ?token= gets 401 (the request is still recorded). ' +
    "In the bin's pass-through mode (forward.respond = \"forward\") the answer is the forward target's own status, headers and body. " +
    "Every answer carries Content-Security-Policy: default-src 'none'; sandbox, and never a Set-Cookie of hookscope's session cookie; that cookie is not recorded either (see redacted). " +
    'A GET on /h/{binId} with Accept: text/event-stream is not captured: it is a smee.io-compatible event stream of the bin (for smee-client).',
  parameters: [binId],
  requestBody: { required: false, content: { '*/*': { schema: {} } } },
  responses: {
    '200': { description: 'Stored', ...json(ref('CaptureResponse')) },
    '401': error('Token missing or invalid (recorded and marked)'),
    '429': error('Rate limited (--rate-limit, --rate-limit-per-address); counted, not stored; see Retry-After'),
    '503': error('The store is unreachable (Redis), or the disk holding --data-dir is full; nothing stored; see Retry-After'),
    '404': error('No such bin (nothing recorded)'),
    '413': error('Body larger than --max-body-size'),
    '502': error('Pass-through: the forward target gave no usable answer (recorded)'),
  },
};

const EXPECTED_ID = {
  type: 'object',
  required: ['id', 'state'],
  properties: { id: { type: 'string' }, state: { enum: ['pending', 'arrived', 'overdue'] }, due: { type: 'string', format: 'date-time' }, requestId: { type: 'string' } },
} as const;

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'hookscope',
    version: '0.1.0',
    description:
      'Capture, inspect and replay webhooks. Errors are always { "error": { "code", "message" } }. ' +
      'Everything but /h/… answers only under an allowed Host (loopback, --public-url, --allowed-hosts; else 403 host_not_allowed). ' +
      'POST, PUT, PATCH and DELETE take a body only as application/json (else 415 unsupported_media_type) and refuse a browser Origin other than their own (403 origin_not_allowed).',
  },
  security: [{}, { bearer: [] }, { session: [] }],
  paths: {
    '/h/{binId}': Object.fromEntries(anyMethod.map((m) => [m, { ...captureOperation, operationId: `capture_${m}` }])),
    '/h/{binId}/{subPath}': Object.fromEntries(
      anyMethod.map((m) => [
        m,
        { ...captureOperation, operationId: `captureSubPath_${m}`, parameters: [binId, { name: 'subPath', in: 'path', required: true, description: 'Any path, slashes included', schema: { type: 'string' } }] },
      ]),
    ),
    '/api/openapi.json': { get: { operationId: 'getOpenApi', summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1', ...json({ type: 'object' }) } } } },
    '/api/bins': {
      get: { operationId: 'listBins', summary: 'List bins, newest first', responses: { '200': { description: 'Bins', ...json({ type: 'object', required: ['bins'], properties: { bins: { type: 'array', items: ref('Bin') } } }) } } },
      post: {
        operationId: 'createBin',
        summary: 'Create a bin',
        requestBody: { required: false, ...json(ref('BinInput')) },
        responses: { '201': { description: 'Created', ...json(ref('Bin')) }, '400': error('Invalid settings') },
      },
    },
    '/api/bins/{binId}': {
      parameters: [binId],
      get: { operationId: 'getBin', summary: 'One bin', responses: { '200': { description: 'The bin', ...json(ref('Bin')) }, '404': error('No such bin') } },
      patch: {
        operationId: 'updateBin',
        summary: 'Change a bin\'s settings (only the fields given)',
        requestBody: { required: true, ...json(ref('BinInput')) },
        responses: { '200': { description: 'Updated', ...json(ref('Bin')) }, '400': error('Invalid settings'), '404': error('No such bin') },
      },
      delete: { operationId: 'deleteBin', summary: 'Delete a bin and its requests', responses: { '204': { description: 'Deleted' }, '404': error('No such bin') } },
    },
    '/api/bins/{binId}/requests': {
      parameters: [binId],
      get: {
        operationId: 'listRequests',
        summary: 'Captured requests, newest first, cursor-paged',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } },
          { name: 'before', in: 'query', description: 'nextBefore of the previous page', schema: { type: 'string' } },
          {
            name: 'q',
            in: 'query',
            description: 'Filter: method:POST, token:invalid, and words looked for in path, query, headers and inline bodies (all must match)',
            schema: { type: 'string' },
          },
        ],
        responses: { '200': { description: 'A page', ...json(ref('RequestPage')) }, '400': error('Invalid parameter'), '404': error('No such bin') },
      },
      delete: {
        operationId: 'clearRequests',
        summary: 'Delete every request of the bin',
        responses: { '200': { description: 'Cleared', ...json({ type: 'object', required: ['removed'], properties: { removed: { type: 'integer' } } }) }, '404': error('No such bin') },
      },
    },
    '/api/bins/{binId}/requests/wait': {
      parameters: [binId],
      get: {
        operationId: 'waitForRequest',
        summary: 'Long-poll for the first request newer than `after` (for CI)',
        parameters: [
          { name: 'after', in: 'query', description: 'A request id; without it, waits for the next request to arrive', schema: { type: 'string' } },
          { name: 'timeout', in: 'query', description: 'Seconds to wait', schema: { type: 'integer', minimum: 0, maximum: 300, default: 30 } },
        ],
        responses: { '200': { description: 'The request', ...json(ref('CapturedRequest')) }, '204': { description: 'Nothing arrived in time' }, '400': error('Invalid parameter'), '404': error('No such bin') },
      },
    },
    '/api/bins/{binId}/requests/{requestId}': {
      parameters: [binId, requestId],
      get: {
        operationId: 'getRequest',
        summary: 'One request with its exact body and parsed views',
        parameters: [{ name: 'bodyLimit', in: 'query', description: 'Return at most this many body bytes inline (body.truncated says so)', schema: { type: 'integer', minimum: 0 } }],
        responses: { '200': { description: 'The request', ...json(ref('CapturedRequest')) }, '404': error('No such bin or request') },
      },
      delete: { operationId: 'deleteRequest', summary: 'Delete one request', responses: { '204': { description: 'Deleted' }, '404': error('No such bin or request') } },
    },
    '/api/bins/{binId}/requests/{requestId}/body': {
      parameters: [binId, requestId],
      get: {
        operationId: 'getRequestBody',
        summary: 'The exact body bytes with the original content type (served sandboxed; ?download for an attachment)',
        parameters: [{ name: 'download', in: 'query', schema: { type: 'string' } }],
        responses: { '200': { description: 'Raw bytes', content: { '*/*': { schema: {} } } }, '404': error('No such bin or request') },
      },
    },
    '/api/bins/{binId}/requests/{requestId}/recheck': {
      parameters: [binId, requestId],
      post: {
        operationId: 'recheckRequest',
        summary: "Run the payload checks again with the bin's current settings",
        responses: { '200': { description: 'The request summary with its new checks', ...json(ref('RequestSummary')) }, '404': error('No such bin or request') },
      },
    },
    '/api/bins/{binId}/export': {
      parameters: [binId],
      get: {
        operationId: 'exportBin',
        summary: "The bin's requests, oldest first, as an HTTP Archive 1.2 (format=har, the default) or JSON Lines of CapturedRequest (format=ndjson); q filters as in listRequests",
        parameters: [
          { name: 'format', in: 'query', schema: { enum: ['har', 'ndjson'] } },
          { name: 'q', in: 'query', schema: { type: 'string' } },
        ],
        responses: {
          '200': { description: 'An attachment, streamed', content: { 'application/json': { schema: { type: 'object', required: ['log'] } }, 'application/x-ndjson': { schema: { type: 'string' } } } },
          '400': error('Unknown format'),
          '404': error('No such bin'),
        },
      },
    },
    '/api/bins/{binId}/recheck': {
      parameters: [binId],
      post: {
        operationId: 'recheckBin',
        summary: 'Run the payload checks again on every request of the bin',
        responses: { '200': { description: 'Done', ...json({ type: 'object', required: ['rechecked'], properties: { rechecked: { type: 'integer' } } }) }, '404': error('No such bin') },
      },
    },
    '/api/bins/{binId}/expected': {
      parameters: [binId],
      get: {
        operationId: 'listExpectedIds',
        summary: 'The job / run ids registered as expected',
        responses: {
          '200': { description: 'The ids, and each one pending, arrived or overdue', ...json({ type: 'object', required: ['ids', 'expected'], properties: { ids: { type: 'array', items: { type: 'string' } }, expected: { type: 'array', items: EXPECTED_ID } } }) },
          '404': error('No such bin'),
        },
      },
      post: {
        operationId: 'addExpectedIds',
        summary: 'Register job / run ids you started; a payload with another id is flagged',
        requestBody: { required: true, ...json({ type: 'object', required: ['ids'], properties: { ids: { type: 'array', items: { type: 'string' } }, replace: { type: 'boolean' }, within: { type: ['string', 'integer'], description: 'A deadline for these ids: "90s", "10m", "2h", "1d" or ms (at most 7 days)' } } }) },
        responses: { '200': { description: 'Registered', ...json({ type: 'object', required: ['expectedIdCount'], properties: { expectedIdCount: { type: 'integer' } } }) }, '400': error('Invalid ids'), '404': error('No such bin') },
      },
      delete: { operationId: 'clearExpectedIds', summary: 'Forget the expected ids', responses: { '204': { description: 'Cleared' }, '404': error('No such bin') } },
    },
    '/api/bins/{binId}/expected/wait': {
      parameters: [binId],
      get: {
        operationId: 'waitForExpectedIds',
        summary: 'For CI: waits until every expected id arrived or one is overdue',
        parameters: [{ name: 'timeoutMs', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 300000, default: 30000 } }],
        responses: {
          '200': { description: 'How the wait ended', ...json({ type: 'object', required: ['outcome', 'expected'], properties: { outcome: { enum: ['arrived', 'overdue', 'timeout'] }, expected: { type: 'array', items: EXPECTED_ID } } }) },
          '400': error('Invalid timeoutMs'),
          '404': error('No such bin'),
        },
      },
    },
    '/api/schemas': {
      get: {
        operationId: 'listSchemas',
        summary: 'The built-in payload schemas (Krea job, LangGraph Run)',
        responses: { '200': { description: 'Schemas', ...json({ type: 'object', required: ['schemas'], properties: { schemas: { type: 'array', items: { type: 'object', required: ['id', 'title', 'schema'] } } } }) } },
      },
    },
    '/api/validate': {
      post: {
        operationId: 'validatePayload',
        summary: 'Check any JSON against a schema without capturing it (for CI)',
        requestBody: { required: true, ...json({ type: 'object', required: ['payload'], properties: { schema: ref('SchemaChoice'), payload: {} } }) },
        responses: { '200': { description: 'The verdict', ...json(ref('CheckResult')) }, '400': error('Invalid schema or body') },
      },
    },
    ...replayPaths,
    '/api/send': {
      post: {
        operationId: 'simulateSend',
        summary: 'Send a realistic Krea job or LangGraph Run (or custom JSON) to a receiver, as the real sender does',
        description: 'Retries, back-off, timeouts and headers of the chosen sender. Answers when every delivery is over, with every attempt.',
        requestBody: {
          required: true,
          ...json({
            type: 'object',
            required: ['target', 'kind'],
            properties: {
              target: { type: 'string', format: 'uri' },
              kind: { enum: ['krea-job', 'langgraph-run', 'custom'] },
              state: { type: 'string', description: 'krea-job: completed|failed|cancelled; langgraph-run: success|error|interrupted|timeout' },
              options: {
                type: 'object',
                properties: {
                  flavor: { enum: ['python', 'js'] },
                  token: { type: 'string' },
                  signingSecret: { type: 'string', pattern: '^whsec_' },
                  duplicateAfterMs: { type: 'integer', minimum: 0 },
                  errorForm: { enum: ['string', 'object'], description: 'langgraph-run: the shape of error' },
                  allowedFields: { type: 'array', items: { type: 'string' }, description: 'langgraph-run: send only these top-level fields (webhooks.allowed_fields)' },
                  overrides: { type: 'object', description: 'JSON Pointer → value' },
                  body: { description: 'kind custom: the JSON to send' },
                  timeScale: { type: 'number', minimum: 0.0001, maximum: 1 },
                },
              },
            },
          }),
        },
        responses: { '200': { description: 'Every attempt', ...json(ref('SimulationResult')) }, '400': error('Invalid input'), '403': error('Target refused by the target policy') },
      },
    },
    '/api/status': {
      get: {
        operationId: 'getStatus',
        summary: 'How the server stands: version, access control, storage limits and warnings',
        responses: {
          '200': {
            description: 'Status',
            ...json({
              type: 'object',
              required: ['version', 'authRequired', 'storage'],
              properties: {
                version: { type: 'string' },
                authRequired: { type: 'boolean' },
                storage: {
                  type: 'object',
                  required: ['dataSize', 'maxDataSize', 'retentionMs', 'warning'],
                  properties: { dataSize: { type: ['integer', 'null'] }, maxDataSize: { type: ['integer', 'null'] }, retentionMs: { type: ['integer', 'null'] }, warning: { type: ['string', 'null'] } },
                },
              },
            }),
          },
        },
      },
    },
    '/api/sends': {
      get: { operationId: 'listSends', summary: 'The last 50 simulated sends, newest first', responses: { '200': { description: 'Sends', ...json({ type: 'object', required: ['sends'], properties: { sends: { type: 'array', items: ref('SimulationResult') } } }) } } },
    },
    '/api/sends/{sendId}': {
      parameters: [{ name: 'sendId', in: 'path', required: true, schema: { type: 'string' } }],
      get: { operationId: 'getSend', summary: 'One simulated send', responses: { '200': { description: 'The send', ...json(ref('SimulationResult')) }, '404': error('No such send') } },
    },
    '/api/bins/{binId}/requests/{requestId}/parts/{index}': {
      parameters: [binId, requestId, { name: 'index', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } }],
      get: {
        operationId: 'getRequestPart',
        summary: 'The bytes of one multipart part (a file download)',
        parameters: [{ name: 'download', in: 'query', schema: { type: 'string' } }],
        responses: { '200': { description: 'Raw bytes', content: { '*/*': { schema: {} } } }, '404': error('No such part'), '422': error('Malformed multipart body') },
      },
    },
  },
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: 'With --access-token (or a generated one on a public host): everything but /h/… needs it' },
      session: { type: 'apiKey', in: 'cookie', name: 'hookscope_session', description: 'Set by logging in at /login' },
    },
    schemas: componentSchemas,
  },
};
