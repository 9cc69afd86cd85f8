import { binInputSchema, binSchema, forwardSettingSchema, retrySettingSchema } from '../../shared/wire/bin.js';
import { checkIssueSchema, checkResultSchema, schemaChoiceSchema, skippedCheckSchema } from '../../shared/wire/checks.js';
import { errorBodySchema } from '../../shared/wire/errors.js';
import { bodyDataSchema, multiValueSchema } from '../../shared/wire/json-schema.js';
import { replayAttemptSchema, replayInputSchema, replayManyInputSchema, replaySummarySchema } from '../../shared/wire/replay.js';
import {
  captureResponseSchema,
  capturedRequestSchema,
  multipartPartSchema,
  rejectionSchema,
  requestPageSchema,
  requestSummarySchema,
} from '../../shared/wire/request.js';
import {
  answeredWithSchema,
  defaultResponseSchema,
  responseRuleInputSchema,
  responseRuleSchema,
  responseSettingsInputSchema,
  responseSettingsSchema,
  ruleMatchSchema,
  scriptedResponseSchema,
  sequenceStepSchema,
} from '../../shared/wire/responses.js';
import { sendDeliverySchema, sendInputSchema, sendResultSchema } from '../../shared/wire/send.js';
import { serverStatusSchema, validateInputSchema } from '../../shared/wire/status.js';

/**
 * The wire shapes of shared/wire/ that the OpenAPI document names, by their component name.
 * Where one of them appears inside another it becomes a `$ref`, so each is written out once.
 */
export const NAMED_SCHEMAS: ReadonlyMap<string, object> = new Map<string, object>([
  ['Error', errorBodySchema],
  ['CaptureResponse', captureResponseSchema],
  ['BinInput', binInputSchema],
  ['Bin', binSchema],
  ['RetrySetting', retrySettingSchema],
  ['ForwardSetting', forwardSettingSchema],
  ['ReplayAttempt', replayAttemptSchema],
  ['ReplayInput', replayInputSchema],
  ['ReplayManyInput', replayManyInputSchema],
  ['ReplaySummary', replaySummarySchema],
  ['ScriptedResponse', scriptedResponseSchema],
  ['DefaultResponse', defaultResponseSchema],
  ['RuleMatch', ruleMatchSchema],
  ['SequenceStep', sequenceStepSchema],
  ['ResponseRule', responseRuleSchema],
  ['ResponseRuleInput', responseRuleInputSchema],
  ['ResponseSettings', responseSettingsSchema],
  ['ResponseSettingsInput', responseSettingsInputSchema],
  ['AnsweredWith', answeredWithSchema],
  ['SimulationInput', sendInputSchema],
  ['SimulationDelivery', sendDeliverySchema],
  ['SimulationResult', sendResultSchema],
  ['SchemaChoice', schemaChoiceSchema],
  ['CheckIssue', checkIssueSchema],
  ['SkippedCheck', skippedCheckSchema],
  ['CheckResult', checkResultSchema],
  ['ValidateInput', validateInputSchema],
  ['Rejection', rejectionSchema],
  ['BodyData', bodyDataSchema],
  ['MultiValueMap', multiValueSchema],
  ['MultipartPart', multipartPartSchema],
  ['RequestSummary', requestSummarySchema],
  ['RequestPage', requestPageSchema],
  ['CapturedRequest', capturedRequestSchema],
  ['ServerStatus', serverStatusSchema],
]);

/** Keywords that may sit beside a `$ref` to a named schema that a node copies (`{ ...schema, default: {} }`). */
const ANNOTATIONS = new Set(['description', 'default']);

/**
 * `schema` as it goes into the OpenAPI document: named schemas inside it become `$ref`s (a node
 * that is one, or a copy of one with only a description or default added), and the validators'
 * `x-` annotations are left out.
 */
export function toOpenApi(schema: unknown, self?: object): unknown {
  if (Array.isArray(schema)) return schema.map((item) => toOpenApi(item));
  if (typeof schema !== 'object' || schema === null) return schema;
  const name = schema === self ? undefined : namedAs(schema);
  if (name !== undefined) {
    const extra = Object.entries(schema).filter(([key]) => ANNOTATIONS.has(key) && !sameAsNamed(name, key, (schema as Record<string, unknown>)[key]));
    return { $ref: `#/components/schemas/${name}`, ...Object.fromEntries(extra) };
  }
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => !key.startsWith('x-'))
      .map(([key, value]) => [key, toOpenApi(value)]),
  );
}

/** The name of the named schema this node is, or is a copy of with annotations added. */
function namedAs(node: object): string | undefined {
  for (const [name, named] of NAMED_SCHEMAS) {
    if (node === named) return name;
    const record = node as Record<string, unknown>;
    const copied = Object.entries(named).every(([key, value]) => ANNOTATIONS.has(key) || record[key] === value);
    if (copied && Object.keys(node).every((key) => key in named || ANNOTATIONS.has(key))) return name;
  }
  return undefined;
}

function sameAsNamed(name: string, key: string, value: unknown): boolean {
  return (NAMED_SCHEMAS.get(name) as Record<string, unknown>)[key] === value;
}

/** `components.schemas` of the OpenAPI document. */
export function componentSchemas(): Record<string, unknown> {
  return Object.fromEntries([...NAMED_SCHEMAS].map(([name, schema]) => [name, toOpenApi(schema, schema)]));
}
