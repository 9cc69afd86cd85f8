import { randomUUID } from 'node:crypto';
import { RESPONSE_LIMITS as LIMITS, type ResponseRule, type ResponseSettings, type ScriptedResponse } from '../../shared/responses/types.js';
import { isForbiddenKey } from '../../shared/safe-keys.js';
import type { WireInput } from '../../shared/wire/json-schema.js';
import type { responseRuleInputSchema, responseSettingsInputSchema, scriptedResponseSchema } from '../../shared/wire/responses.js';
import { HttpError } from '../http-error.js';

type SettingsInput = WireInput<typeof responseSettingsInputSchema>;
type RuleInput = WireInput<typeof responseRuleInputSchema>;
type ResponseInput = WireInput<typeof scriptedResponseSchema>;

/**
 * A bin's `responses` setting, whose shape and bounds the contract's schema has checked
 * (shared/wire/responses.ts), with the rules a schema cannot say and the schema's defaults
 * filled in here (validation does not write into the body), normalised: one kind of answer
 * per rule, no 1xx status, no header hookscope manages or that could reach a prototype, a body of
 * at most 64 KB of UTF-8; methods upper-cased, header names lower-cased, an id for every rule.
 * Errors name the field (e.g. `responses.rules[1].sequence.steps[0].response.status`).
 */
export function checkResponseSettings(input: SettingsInput): ResponseSettings {
  return {
    default: checkResponse(input.default ?? {}, 'responses.default'),
    rules: (input.rules ?? []).map((rule, i) => checkRule(rule, `responses.rules[${i}]`)),
    statusFromPath: input.statusFromPath ?? false,
    cors: input.cors ?? false,
  };
}

function checkRule(input: RuleInput, at: string): ResponseRule {
  const kinds = (['response', 'sequence', 'failRate'] as const).filter((k) => input[k] !== undefined);
  if (kinds.length !== 1) fail(`${at} needs exactly one of "response", "sequence" or "failRate".`);
  const given = input.match ?? {};
  const match = given.methods ? { ...given, methods: given.methods.map((m) => m.toUpperCase()) } : given;
  const rule: ResponseRule = { id: input.id ?? randomUUID(), match };
  if (input.name !== undefined) rule.name = input.name;
  if (input.response) rule.response = checkResponse(input.response, `${at}.response`);
  if (input.sequence) {
    const steps = input.sequence.steps.map((step, i) => ({ ...step, response: checkResponse(step.response ?? {}, `${at}.sequence.steps[${i}].response`) }));
    rule.sequence = { steps, loop: input.sequence.loop ?? false };
  }
  if (input.failRate) rule.failRate = { percent: input.failRate.percent, response: checkResponse(input.failRate.response ?? {}, `${at}.failRate.response`) };
  return rule;
}

function checkResponse(input: ResponseInput, at: string): ScriptedResponse {
  if (input.status !== undefined && input.status < 200) {
    fail(
      `${at}.status ${input.status} is informational (1xx): it cannot end a response and the sender would wait forever; use 200–599 (and delayMs to make it wait).`,
    );
  }
  if (input.body !== undefined && Buffer.byteLength(input.body) > LIMITS.maxBodyBytes) fail(`${at}.body is larger than ${LIMITS.maxBodyBytes / 1024} KB.`);
  if (input.headers === undefined) return input;
  const names = Object.keys(input.headers);
  const refused = names.find((name) => isForbiddenKey(name.toLowerCase()));
  if (refused !== undefined) fail(`${at}.headers name "${refused}" is refused: hookscope does not take __proto__, constructor or prototype as a key.`);
  const managed = names.find((name) => HOP_BY_HOP.has(name.toLowerCase()));
  if (managed !== undefined) fail(`${at}.headers cannot set "${managed.toLowerCase()}": hookscope manages it.`);
  return { ...input, headers: Object.fromEntries(Object.entries(input.headers).map(([name, value]) => [name.toLowerCase(), value])) };
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'te', 'trailer']);

function fail(message: string): never {
  throw new HttpError(400, 'invalid_responses', message);
}
