/**
 * The OpenAPI 3.1 description of hookscope's HTTP API, served at /api/openapi.json.
 * test/openapi.test.ts checks that every route the server has is here (and nothing more) and
 * that real responses match these schemas.
 */
import { replayPaths, replaySchemas } from './openapi-replay.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...json(ref('Error')) });
const binId = { name: 'binId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const requestId = { name: 'requestId', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{26}$' } };
const multiValue = { type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] } };
const anyMethod = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

const captureOperation = {
  tags: ['capture'],
  summary: 'Capture a request (any method, any sub-path)',
  description:
    'Records method, path, query, headers and the exact body bytes. Answered once the request is durably stored. ' +
    'With requireToken, a missing or wrong ?token= gets 401 (the request is still recorded). ' +
    "In the bin's pass-through mode (forward.respond = \"forward\") the answer is the forward target's own status, headers and body. " +
    'A GET on /h/{binId} with Accept: text/event-stream is not captured: it is a smee.io-compatible event stream of the bin (for smee-client).',
  parameters: [binId],
  requestBody: { required: false, content: { '*/*': { schema: {} } } },
  responses: {
    '200': { description: 'Stored', ...json(ref('CaptureResponse')) },
    '401': error('Token missing or invalid (recorded and marked)'),
    '429': error('Rate limited (--rate-limit, --rate-limit-per-address); counted, not stored; see Retry-After'),
    '503': error('The store is unreachable (Redis); nothing stored; see Retry-After'),
    '404': error('No such bin (nothing recorded)'),
    '413': error('Body larger than --max-body-size'),
    '502': error('Pass-through: the forward target gave no usable answer (recorded)'),
  },
};

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'hookscope',
    version: '0.1.0',
    description: 'Capture, inspect and replay webhooks. Errors are always { "error": { "code", "message" } }.',
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
        responses: { '200': { description: 'The ids', ...json({ type: 'object', required: ['ids'], properties: { ids: { type: 'array', items: { type: 'string' } } } }) }, '404': error('No such bin') },
      },
      post: {
        operationId: 'addExpectedIds',
        summary: 'Register job / run ids you started; a payload with another id is flagged',
        requestBody: { required: true, ...json({ type: 'object', required: ['ids'], properties: { ids: { type: 'array', items: { type: 'string' } }, replace: { type: 'boolean' } } }) },
        responses: { '200': { description: 'Registered', ...json({ type: 'object', required: ['expectedIdCount'], properties: { expectedIdCount: { type: 'integer' } } }) }, '400': error('Invalid ids'), '404': error('No such bin') },
      },
      delete: { operationId: 'clearExpectedIds', summary: 'Forget the expected ids', responses: { '204': { description: 'Cleared' }, '404': error('No such bin') } },
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
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
      },
      CaptureResponse: { type: 'object', required: ['ok', 'id'], properties: { ok: { const: true }, id: { type: 'string' } } },
      BinInput: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: { type: 'string', maxLength: 200 },
          token: { type: ['string', 'null'], minLength: 1, maxLength: 256 },
          requireToken: { type: 'boolean' },
          schema: ref('SchemaChoice'),
          signingSecret: { type: ['string', 'null'], pattern: '^whsec_' },
          forward: { oneOf: [ref('ForwardSetting'), { type: 'null' }] },
          replayTarget: { type: ['string', 'null'], format: 'uri' },
          responses: ref('ResponseSettings'),
        },
      },
      Bin: {
        type: 'object',
        required: ['id', 'name', 'url', 'token', 'requireToken', 'createdAt', 'requestCount', 'schema', 'signingSecret', 'expectedIdCount', 'forward', 'replayTarget', 'responses', 'rateLimited'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          name: { type: 'string' },
          url: { type: 'string', format: 'uri', description: 'The capture URL' },
          token: { type: ['string', 'null'] },
          requireToken: { type: 'boolean' },
          createdAt: { type: 'string', format: 'date-time' },
          requestCount: { type: 'integer', minimum: 0 },
          schema: ref('SchemaChoice'),
          signingSecret: { type: ['string', 'null'], description: 'Standard Webhooks secret (whsec_…)' },
          expectedIdCount: { type: 'integer', minimum: 0 },
          rateLimited: { type: 'integer', minimum: 0, description: 'Captures refused by a rate limit since the server started' },
          forward: { oneOf: [ref('ForwardSetting'), { type: 'null' }], description: 'Auto-forward of each accepted capture; null when off' },
          replayTarget: { type: ['string', 'null'], description: 'The last replay target, the default for the next replay' },
          responses: ref('ResponseSettings'),
        },
      },
      ...replaySchemas,
      ScriptedResponse: {
        type: 'object',
        additionalProperties: false,
        properties: {
          status: { type: 'integer', minimum: 200, maximum: 599 },
          headers: { type: 'object', additionalProperties: { type: 'string' } },
          body: { type: 'string' },
          contentType: { type: 'string' },
          delayMs: { type: 'integer', minimum: 0, maximum: 120000, description: 'At most 30000 for the default response' },
        },
      },
      ResponseSettings: {
        type: 'object',
        description: 'How the capture URL answers: first matching rule, else a trailing status in the path (statusFromPath), else the default',
        properties: {
          default: ref('ScriptedResponse'),
          rules: {
            type: 'array',
            items: {
              type: 'object',
              required: ['match'],
              properties: {
                id: { type: 'string' },
                name: { type: 'string' },
                match: {
                  type: 'object',
                  properties: {
                    methods: { type: 'array', items: { type: 'string' } },
                    path: { type: 'string', description: 'Glob over the sub-path: * within a segment, ** across' },
                    header: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, value: { type: 'string' } } },
                    json: { type: 'object', required: ['pointer', 'equals'], properties: { pointer: { type: 'string' }, equals: {} } },
                  },
                },
                response: ref('ScriptedResponse'),
                sequence: {
                  type: 'object',
                  required: ['steps'],
                  properties: {
                    steps: { type: 'array', items: { type: 'object', required: ['response'], properties: { response: ref('ScriptedResponse'), times: { type: 'integer', minimum: 1 } } } },
                    loop: { type: 'boolean' },
                  },
                },
                failRate: { type: 'object', required: ['percent'], properties: { percent: { type: 'number', minimum: 0, maximum: 100 }, response: ref('ScriptedResponse') } },
              },
            },
          },
          statusFromPath: { type: 'boolean' },
          cors: { type: 'boolean' },
        },
      },
      AnsweredWith: {
        type: 'object',
        required: ['status', 'delayMs', 'headers', 'bodySize'],
        properties: {
          status: { type: 'integer' },
          delayMs: { type: 'integer' },
          ruleId: { type: 'string' },
          ruleName: { type: 'string' },
          step: { type: 'integer' },
          headers: { type: 'object', additionalProperties: { type: 'string' } },
          bodySize: { type: 'integer' },
        },
      },
      SimulationResult: {
        type: 'object',
        required: ['id', 'at', 'kind', 'state', 'sender', 'target', 'payload', 'deliveries', 'delivered'],
        properties: {
          id: { type: 'string' },
          at: { type: 'string', format: 'date-time' },
          kind: { type: 'string' },
          state: { type: 'string' },
          sender: { type: 'string' },
          target: { type: 'string' },
          payload: { type: 'string', description: 'The exact body sent' },
          deliveries: {
            type: 'array',
            items: { type: 'object', required: ['label', 'attempts', 'delivered'], properties: { label: { enum: ['first', 'duplicate'] }, attempts: { type: 'array', items: ref('ReplayAttempt') }, delivered: { type: 'boolean' } } },
          },
          delivered: { type: 'boolean', description: 'Every delivery got a 2xx' },
        },
      },
      SchemaChoice: {
        description: 'What payloads are checked against',
        oneOf: [
          { enum: ['auto', 'krea-job', 'langgraph-run', 'none'] },
          { type: 'object', required: ['custom'], additionalProperties: false, properties: { custom: { type: 'object', description: 'A JSON Schema (draft 2020-12)' } } },
        ],
      },
      CheckIssue: {
        type: 'object',
        required: ['path', 'message', 'code'],
        properties: { path: { type: 'string', description: 'JSON Pointer into the body' }, message: { type: 'string' }, code: { type: 'string' } },
      },
      CheckResult: {
        type: 'object',
        required: ['schema', 'valid', 'errors', 'warnings'],
        properties: {
          schema: { enum: ['krea-job', 'langgraph-run', 'custom', 'none', null] },
          valid: { type: 'boolean' },
          errors: { type: 'array', items: ref('CheckIssue') },
          warnings: { type: 'array', items: ref('CheckIssue') },
          duplicateOf: { type: 'string' },
          deliveryKey: { type: 'string' },
          token: { enum: ['none', 'valid', 'invalid', 'missing'] },
          signature: { enum: ['valid', 'invalid', 'expired', 'missing', 'no_secret', 'malformed', 'none'] },
        },
      },
      Rejection: { type: 'object', required: ['status', 'code', 'message'], properties: { status: { type: 'integer' }, code: { type: 'string' }, message: { type: 'string' } } },
      RequestSummary: {
        type: 'object',
        required: ['id', 'binId', 'receivedAt', 'method', 'path', 'queryString', 'contentType', 'size', 'token'],
        properties: {
          id: { type: 'string' },
          binId: { type: 'string' },
          receivedAt: { type: 'string', format: 'date-time' },
          method: { type: 'string' },
          path: { type: 'string', description: "Sub-path after /h/{binId}, exactly as sent ('' when none)" },
          queryString: { type: 'string' },
          contentType: { type: ['string', 'null'] },
          size: { type: 'integer', minimum: 0 },
          token: { enum: ['none', 'valid', 'invalid', 'missing'] },
          rejection: ref('Rejection'),
          checks: ref('CheckResult'),
          response: ref('AnsweredWith'),
          lastReplay: {
            type: 'object',
            required: ['at', 'trigger', 'status', 'target'],
            properties: { at: { type: 'string' }, trigger: { type: 'string' }, status: { type: ['integer', 'null'] }, target: { type: 'string' }, error: { type: 'string' } },
          },
        },
      },
      RequestPage: {
        type: 'object',
        required: ['requests', 'nextBefore'],
        properties: { requests: { type: 'array', items: ref('RequestSummary') }, nextBefore: { type: ['string', 'null'] } },
      },
      CapturedRequest: {
        allOf: [
          ref('RequestSummary'),
          {
            type: 'object',
            required: ['query', 'headers', 'rawHeaders', 'remoteAddress', 'body', 'bodyUrl'],
            properties: {
              query: multiValue,
              headers: multiValue,
              rawHeaders: { type: 'array', items: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'string' }], minItems: 2, maxItems: 2 } },
              remoteAddress: { type: ['string', 'null'] },
              body: {
                type: 'object',
                required: ['encoding', 'data'],
                properties: { encoding: { enum: ['utf8', 'base64'] }, data: { type: 'string' }, truncated: { type: 'boolean' } },
              },
              bodyUrl: { type: 'string' },
              json: { description: 'The body parsed as JSON, when it is JSON' },
              jsonError: { type: 'string' },
              form: multiValue,
              parts: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['index', 'name', 'contentType', 'size'],
                  properties: { index: { type: 'integer' }, name: { type: 'string' }, filename: { type: 'string' }, contentType: { type: 'string' }, size: { type: 'integer' }, value: { type: 'string' } },
                },
              },
              partsError: { type: 'string' },
              replays: { type: 'array', items: ref('ReplayAttempt'), description: 'Deliveries to targets, oldest first' },
            },
          },
        ],
      },
    },
  },
};
