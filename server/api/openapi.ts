/**
 * The OpenAPI 3.1 description of hookscope's HTTP API, served at /api/openapi.json. It is built
 * from the contract in shared/wire/ (shapes and routes) and the words in openapi-operations.ts;
 * only the capture URLs, which take anything, are described here by hand.
 * test/openapi.test.ts checks that every route the server has is here (and nothing more) and
 * that real responses match these schemas.
 */
import { PATH_PARAMS } from '../../shared/wire/routes.js';
import { componentSchemas } from './openapi-components.js';
import { apiPaths } from './openapi-paths.js';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...json(ref('Error')) });
const binId = { name: 'binId', in: 'path', required: true, schema: PATH_PARAMS.binId };

const anyMethod = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

const captureOperation = {
  tags: ['capture'],
  summary: 'Capture a request (any method, any sub-path)',
  description:
    'Records method, path, query, headers and the exact body bytes. Answered once the request is durably stored. ' +
    'With requireToken, a missing or wrong ?token= gets 401 (the request is still recorded). ' +
    'In the bin\'s pass-through mode (forward.respond = "forward") the answer is the forward target\'s own status, headers and body. ' +
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
        {
          ...captureOperation,
          operationId: `captureSubPath_${m}`,
          parameters: [binId, { name: 'subPath', in: 'path', required: true, description: 'Any path, slashes included', schema: { type: 'string' } }],
        },
      ]),
    ),
    ...apiPaths(),
  },
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: 'With --access-token (or a generated one on a public host): everything but /h/… needs it' },
      session: { type: 'apiKey', in: 'cookie', name: 'hookscope_session', description: 'Set by logging in at /login' },
    },
    schemas: componentSchemas(),
  },
};
