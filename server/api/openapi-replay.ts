/**
 * The replay and auto-forward part of the OpenAPI document (server/api/openapi.ts), kept apart so
 * each file stays readable. Shapes match shared/api-types.ts.
 */
import { binId, error, json, ref, requestId } from './openapi-parts.js';

const httpUrl = { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2048 };
const timeoutMs = { type: 'integer', minimum: 1, maximum: 120000, default: 30000 };
const pairs = { type: 'array', items: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'string' }], minItems: 2, maxItems: 2 } };

export const replaySchemas = {
  RetrySetting: {
    type: 'object',
    required: ['attempts', 'baseDelayMs', 'maxDelayMs'],
    additionalProperties: false,
    properties: { attempts: { type: 'integer', minimum: 1, maximum: 10 }, baseDelayMs: { type: 'integer', minimum: 0 }, maxDelayMs: { type: 'integer', minimum: 0 } },
  },
  ForwardSetting: {
    type: 'object',
    required: ['target'],
    additionalProperties: false,
    properties: {
      target: httpUrl,
      retry: { oneOf: [{ const: 'langgraph' }, ref('RetrySetting')], description: 'Retries on network errors, 5xx and 429, with jittered exponential back-off' },
      respond: { enum: ['hookscope', 'forward'], description: "'forward': pass the target's answer through to the sender" },
      appendPath: { type: 'boolean' },
      timeoutMs,
    },
  },
  ReplayAttempt: {
    type: 'object',
    required: ['id', 'at', 'trigger', 'target', 'method', 'status', 'headers', 'body', 'size', 'durationMs'],
    properties: {
      id: { type: 'string' },
      at: { type: 'string', format: 'date-time' },
      trigger: { enum: ['replay', 'forward', 'pass-through', 'simulated'] },
      target: { type: 'string' },
      method: { type: 'string' },
      modified: { type: 'array', items: { enum: ['method', 'headers', 'body', 'queryString'] } },
      status: { type: ['integer', 'null'] },
      headers: pairs,
      body: {
        oneOf: [
          { type: 'object', required: ['encoding', 'data'], properties: { encoding: { enum: ['utf8', 'base64'] }, data: { type: 'string' }, truncated: { type: 'boolean' } } },
          { type: 'null' },
        ],
      },
      size: { type: 'integer', minimum: 0 },
      decodedBody: { type: 'object', required: ['encoding', 'data'], properties: { encoding: { enum: ['utf8', 'base64'] }, data: { type: 'string' }, truncated: { type: 'boolean' } }, description: "The body with the target's Content-Encoding undone, for reading" },
      durationMs: { type: 'integer', minimum: 0 },
      error: { type: 'string' },
      warning: { type: 'string' },
      try: { type: 'integer', minimum: 1 },
      nextTryInMs: { type: 'integer', minimum: 0 },
    },
  },
  ReplayInput: {
    type: 'object',
    additionalProperties: false,
    properties: {
      target: httpUrl,
      method: { type: 'string' },
      headers: { oneOf: [pairs, { type: 'object', additionalProperties: { type: ['string', 'null'] } }], description: 'Pairs replace all headers; an object patches ({ name: null } removes)' },
      body: { type: 'string' },
      bodyEncoding: { enum: ['utf8', 'base64'] },
      queryString: { type: 'string' },
      appendPath: { type: 'boolean' },
      timeoutMs,
    },
  },
  ReplayManyInput: {
    type: 'object',
    additionalProperties: false,
    properties: { target: httpUrl, requestIds: { type: 'array', items: { type: 'string' }, maxItems: 10000 }, appendPath: { type: 'boolean' }, timeoutMs },
  },
  ReplaySummary: {
    type: 'object',
    required: ['target', 'total', 'succeeded', 'failed', 'notFound', 'results'],
    properties: {
      target: { type: 'string' },
      total: { type: 'integer' },
      succeeded: { type: 'integer' },
      failed: { type: 'integer' },
      notFound: { type: 'array', items: { type: 'string' } },
      results: {
        type: 'array',
        items: {
          type: 'object',
          required: ['requestId', 'attemptId', 'status', 'durationMs'],
          properties: { requestId: { type: 'string' }, attemptId: { type: 'string' }, status: { type: ['integer', 'null'] }, error: { type: 'string' }, durationMs: { type: 'integer' } },
        },
      },
    },
  },
};

export const replayPaths = {
    '/api/bins/{binId}/requests/{requestId}/replay': {
      parameters: [binId, requestId],
      post: {
        operationId: 'replayRequest',
        summary: 'Send the captured request to a target, byte for byte or with edits; the attempt is recorded and pushed live',
        description:
          "A target's failure is an attempt with an error (still 200). The target defaults to the bin's replayTarget, which each replay updates.",
        requestBody: { required: false, ...json(ref('ReplayInput')) },
        responses: {
          '200': { description: 'The attempt (response body up to 1 MB)', ...json(ref('ReplayAttempt')) },
          '400': error('Invalid target or edits'),
          '403': error('The target policy refuses this target (see --allow-forward-to); nothing was sent'),
          '404': error('No such bin or request'),
        },
      },
    },
    '/api/bins/{binId}/requests/{requestId}/replays': {
      parameters: [binId, requestId],
      get: {
        operationId: 'listReplays',
        summary: 'The recorded deliveries of a request (replays, forwards), oldest first',
        responses: {
          '200': { description: 'Attempts (response bodies up to 16 KB)', ...json({ type: 'object', required: ['replays'], properties: { replays: { type: 'array', items: ref('ReplayAttempt') } } }) },
          '404': error('No such bin or request'),
        },
      },
    },
    '/api/bins/{binId}/replay': {
      parameters: [binId],
      post: {
        operationId: 'replayMany',
        summary: 'Replay several requests (default: the whole bin) one after another, in arrival order',
        requestBody: { required: false, ...json(ref('ReplayManyInput')) },
        responses: {
          '200': { description: 'What happened to each', ...json(ref('ReplaySummary')) },
          '400': error('Invalid target or ids'),
          '403': error('The target policy refuses this target (see --allow-forward-to); nothing was sent'),
          '404': error('No such bin'),
        },
      },
    },
};
