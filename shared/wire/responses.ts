/**
 * Scripted responses: how a bin's capture URL answers (shared/responses/types.ts tells the
 * rules: first matching rule, else a trailing status in the path, else the default). A field
 * with a `default` may be left out of what a client sends (WireInput); once validated, and in
 * every saved bin, it is there (Wire).
 */
import { RESPONSE_LIMITS as LIMITS } from '../responses/types.js';
import { HTTP_TOKEN_MUST, HTTP_TOKEN_PATTERN, strictObject } from './json-schema.js';

const headerValue = {
  type: 'string',
  maxLength: 8192,
  pattern: '^[^\\r\\n\\0]*$',
  'x-must': 'a string of at most 8192 characters without line breaks',
} as const;
const httpToken = { type: 'string', maxLength: 100, pattern: HTTP_TOKEN_PATTERN, 'x-must': HTTP_TOKEN_MUST } as const;

/** One answer; every field is optional, what is missing falls back to the bin's default answer (but a rule's delay: none when not set). */
function scriptedResponse<MaxDelay extends number>(maxDelayMs: MaxDelay) {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      status: { type: 'integer', minimum: 100, maximum: 599, description: '200–599 (a 1xx cannot end a response)' },
      headers: {
        type: 'object',
        maxProperties: LIMITS.maxHeaders,
        propertyNames: httpToken,
        additionalProperties: headerValue,
        description: 'Extra headers (names are lower-cased when saved)',
      },
      body: { type: 'string', description: 'Response body text, at most 64 KB (UTF-8)' },
      contentType: headerValue,
      delayMs: {
        type: 'integer',
        minimum: 0,
        maximum: maxDelayMs,
        description: "Milliseconds to wait before answering; a rule or step without it answers at once (the default answer's delay is not added)",
      },
    },
  } as const;
}

/** A rule's answer, or a sequence step's: delays up to 120 s. */
export const scriptedResponseSchema = scriptedResponse(LIMITS.ruleMaxDelayMs);
/** The default answer: delays up to 30 s. */
export const defaultResponseSchema = scriptedResponse(LIMITS.defaultMaxDelayMs);

/** What a rule matches on; every condition given must hold. */
export const ruleMatchSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    methods: { type: 'array', maxItems: 20, items: httpToken, description: 'Any of these methods (upper-cased when saved)' },
    path: { type: 'string', maxLength: 500, description: 'Glob over the sub-path after /h/{binId}: * within a segment, ** across' },
    header: {
      description: 'A header present (case-insensitive name), and equal to value when given',
      ...strictObject({ name: httpToken, value: headerValue }, ['name']),
    },
    json: {
      description: 'A field of the JSON body, by JSON Pointer, equal to equals',
      ...strictObject(
        {
          pointer: { type: 'string', maxLength: 500, pattern: '^(/.*)?$', 'x-must': 'a JSON Pointer such as "/status"' },
          equals: { description: 'The value the field must have' },
        },
        ['pointer', 'equals'],
      ),
    },
  },
} as const;

export const sequenceStepSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    response: { ...scriptedResponseSchema, default: {} },
    times: { type: 'integer', minimum: 1, maximum: LIMITS.maxTimes, description: 'Answer this step to the next this many matching requests (default 1)' },
  },
} as const;

const ruleProperties = {
  id: { type: 'string', maxLength: 100, description: 'Stable id, recorded with each request the rule answered (made up when left out)' },
  name: { type: 'string', maxLength: 200 },
  match: { ...ruleMatchSchema, default: {} },
  response: scriptedResponseSchema,
  sequence: {
    description: 'After the last step: repeat it, or start over when loop is set',
    ...strictObject(
      {
        steps: {
          type: 'array',
          minItems: 1,
          maxItems: LIMITS.maxSteps,
          items: sequenceStepSchema,
          'x-must': `a list of at least one step and at most ${LIMITS.maxSteps}`,
        },
        loop: { type: 'boolean', default: false },
      },
      ['steps'],
    ),
  },
  failRate: {
    description: 'Answer response to this share of matching requests, the default answer otherwise',
    ...strictObject({ percent: { type: 'number', minimum: 0, maximum: 100 }, response: { ...scriptedResponseSchema, default: {} } }, ['percent']),
  },
} as const;

const RULE_DESCRIPTION = 'Exactly one of response, sequence or failRate';

/** A rule as saved: it always has its id. */
export const responseRuleSchema = { description: RULE_DESCRIPTION, ...strictObject(ruleProperties, ['id']) } as const;
/** A rule as sent: the id is made up when left out. */
export const responseRuleInputSchema = { type: 'object', description: RULE_DESCRIPTION, additionalProperties: false, properties: ruleProperties } as const;

function responseSettings<Rule>(rule: Rule) {
  return {
    type: 'object',
    additionalProperties: false,
    description: 'How the capture URL answers: the first matching rule, else a trailing status in the path (statusFromPath), else the default',
    properties: {
      default: { ...defaultResponseSchema, default: {} },
      rules: { type: 'array', maxItems: LIMITS.maxRules, items: rule, default: [], description: 'First match wins' },
      statusFromPath: { type: 'boolean', default: false, description: '/h/{binId}/503 answers 503 (as webhook.site does), when no rule matched' },
      cors: { type: 'boolean', default: false, description: 'Answer CORS preflights and add Access-Control-Allow-* headers' },
    },
    'x-code': 'invalid_responses',
  } as const;
}

export const responseSettingsSchema = responseSettings(responseRuleSchema);
export const responseSettingsInputSchema = responseSettings(responseRuleInputSchema);

/** What a captured request was answered, recorded with it. */
export const answeredWithSchema = strictObject(
  {
    status: { type: 'integer' },
    delayMs: { type: 'integer' },
    ruleId: { type: 'string', description: "The rule that answered ('path-status' for a trailing status segment)" },
    ruleName: { type: 'string' },
    step: { type: 'integer', description: "Which step of the rule's sequence answered (0-based)" },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    bodySize: { type: 'integer' },
    redacted: {
      type: 'array',
      items: { type: 'string' },
      description: "What hookscope left out of the scripted answer, e.g. 'set-cookie:hookscope_session' (its own session cookie)",
    },
  },
  ['status', 'delayMs', 'headers', 'bodySize'],
);
