/**
 * The component schemas of the OpenAPI document (server/api/openapi.ts): the wire shapes of
 * shared/api-types.ts, as JSON Schema.
 */
import { multiValue, ref } from './openapi-parts.js';
import { replaySchemas } from './openapi-replay.js';

export const componentSchemas = {
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
      signingSecrets: { type: 'array', maxItems: 20, items: ref('SigningSecret') },
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
      signingSecrets: { type: 'array', items: ref('SigningSecret'), description: 'Secrets per provider; several of one provider during a rotation' },
      expectedIdCount: { type: 'integer', minimum: 0 },
      rateLimited: { type: 'integer', minimum: 0, description: 'Captures refused by a rate limit since the server started' },
      forward: { oneOf: [ref('ForwardSetting'), { type: 'null' }], description: 'Auto-forward of each accepted capture; null when off' },
      replayTarget: { type: ['string', 'null'], description: 'The last replay target, the default for the next replay' },
      responses: ref('ResponseSettings'),
    },
  },
  SigningSecret: {
    type: 'object',
    additionalProperties: false,
    required: ['provider', 'secret'],
    properties: {
      provider: { enum: ['standard-webhooks', 'svix', 'github', 'stripe', 'shopify', 'slack', 'hmac'] },
      secret: { type: 'string', minLength: 1, maxLength: 1024, description: 'whsec_<base64> for standard-webhooks and svix; the text as the sender shows it for the others' },
      hmac: {
        type: 'object',
        additionalProperties: false,
        required: ['header'],
        description: 'Only for provider "hmac": how the signature is made',
        properties: {
          header: { type: 'string', description: 'The header carrying the signature' },
          algorithm: { enum: ['sha1', 'sha256', 'sha512'], default: 'sha256' },
          encoding: { enum: ['hex', 'base64'], default: 'hex' },
          prefix: { type: 'string', maxLength: 32, default: '', description: 'Text before the digest, e.g. "sha256="' },
          signed: { type: 'string', default: '{body}', description: 'What is signed: {body} once, and optionally {timestamp}' },
          timestampHeader: { type: 'string', description: 'Header with the Unix-seconds timestamp (for {timestamp})' },
          toleranceSeconds: { type: 'integer', minimum: 1, maximum: 604800, default: 300 },
        },
      },
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
      redacted: { type: 'array', items: { type: 'string' }, description: "What hookscope left out of the scripted answer, e.g. 'set-cookie:hookscope_session' (its own session cookie)" },
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
      {
        type: 'object',
        required: ['custom'],
        additionalProperties: false,
        properties: {
          custom: { type: 'object', description: 'A JSON Schema (draft 2020-12), up to 1 MiB' },
          byHeader: {
            type: 'object',
            required: ['header', 'pointer'],
            additionalProperties: false,
            description: 'Checks each request against the part of the schema its header names',
            properties: { header: { type: 'string', description: 'e.g. x-github-event' }, pointer: { type: 'string', pattern: '^#/', description: 'holds {value} once, e.g. #/definitions/{value}_event' } },
          },
        },
      },
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
      signatureProvider: { enum: ['standard-webhooks', 'svix', 'github', 'stripe', 'shopify', 'slack', 'hmac'] },
      timing: {
        type: 'object',
        description: 'A LangGraph Run: ms from created to started, started to ended, ended to webhook_sent_at, and to arrival',
        properties: { queuedMs: { type: 'number' }, ranMs: { type: 'number' }, sendDelayMs: { type: 'number' }, deliveryMs: { type: 'number' } },
      },
      skipped: {
        type: 'object',
        description: 'Present when the payload checks could not run (the request is stored all the same); valid is then false',
        required: ['reason', 'message'],
        properties: { reason: { enum: ['too_deep', 'too_large', 'too_slow', 'failed'] }, message: { type: 'string' } },
      },
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
          redacted: {
            type: 'array',
            items: { type: 'string' },
            description: "What hookscope removed before storing, e.g. 'cookie:hookscope_session': its own session cookie, which a logged-in browser sends to capture URLs on the inspector's host. Absent when nothing was removed.",
          },
          remoteAddress: { type: ['string', 'null'] },
          body: {
            type: 'object',
            required: ['encoding', 'data'],
            properties: { encoding: { enum: ['utf8', 'base64'] }, data: { type: 'string' }, truncated: { type: 'boolean' } },
          },
          bodyUrl: { type: 'string' },
          json: { description: 'The body parsed as JSON, when it is JSON' },
          jsonError: { type: 'string' },
          jsonOmitted: { type: 'string', description: 'Why a body that looks like JSON has no json view, e.g. "nested deeper than 256 levels: shown as raw"' },
          viewsOmitted: { type: 'boolean', description: 'The body was cut at bodyLimit or is larger than 1 MB: json, form and parts are left out' },
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
};
