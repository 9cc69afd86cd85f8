import { randomUUID } from 'node:crypto';
import {
  RESPONSE_LIMITS as LIMITS,
  type ResponseRule,
  type ResponseSettings,
  type RuleMatch,
  type ScriptedResponse,
  type SequenceStep,
} from '../../shared/responses/types.js';
import { isForbiddenKey } from '../../shared/safe-keys.js';
import { HttpError } from '../http-error.js';

type Json = Record<string, unknown>;

/**
 * Checks a bin's `responses` setting from the API and returns it normalised. Errors name the
 * offending field (e.g. `responses.rules[1].sequence.steps[0].response.delayMs`) and the bound.
 */
export function parseResponseSettings(value: unknown): ResponseSettings {
  const input = object(value, 'responses');
  known(input, 'responses', ['default', 'rules', 'statusFromPath', 'cors']);
  const rules = input.rules === undefined ? [] : array(input.rules, 'responses.rules', LIMITS.maxRules);
  return {
    default: input.default === undefined ? {} : parseResponse(input.default, 'responses.default', LIMITS.defaultMaxDelayMs),
    rules: rules.map((rule, i) => parseRule(rule, `responses.rules[${i}]`)),
    statusFromPath: boolean(input.statusFromPath ?? false, 'responses.statusFromPath'),
    cors: boolean(input.cors ?? false, 'responses.cors'),
  };
}

function parseRule(value: unknown, at: string): ResponseRule {
  const input = object(value, at);
  known(input, at, ['id', 'name', 'match', 'response', 'sequence', 'failRate']);
  const kinds = ['response', 'sequence', 'failRate'].filter((k) => input[k] !== undefined);
  if (kinds.length !== 1) fail(`${at} needs exactly one of "response", "sequence" or "failRate".`);
  const rule: ResponseRule = { id: input.id === undefined ? randomUUID() : string(input.id, `${at}.id`, 100), match: parseMatch(input.match ?? {}, `${at}.match`) };
  if (input.name !== undefined) rule.name = string(input.name, `${at}.name`, 200);
  if (input.response !== undefined) rule.response = parseResponse(input.response, `${at}.response`, LIMITS.ruleMaxDelayMs);
  if (input.sequence !== undefined) {
    const sequence = object(input.sequence, `${at}.sequence`);
    known(sequence, `${at}.sequence`, ['steps', 'loop']);
    const steps = array(sequence.steps, `${at}.sequence.steps`, LIMITS.maxSteps);
    if (steps.length === 0) fail(`${at}.sequence.steps must have at least one step.`);
    rule.sequence = { steps: steps.map((step, i) => parseStep(step, `${at}.sequence.steps[${i}]`)), loop: boolean(sequence.loop ?? false, `${at}.sequence.loop`) };
  }
  if (input.failRate !== undefined) {
    const failRate = object(input.failRate, `${at}.failRate`);
    known(failRate, `${at}.failRate`, ['percent', 'response']);
    rule.failRate = { percent: number(failRate.percent, `${at}.failRate.percent`, 0, 100), response: parseResponse(failRate.response ?? {}, `${at}.failRate.response`, LIMITS.ruleMaxDelayMs) };
  }
  return rule;
}

function parseStep(value: unknown, at: string): SequenceStep {
  const input = object(value, at);
  known(input, at, ['response', 'times']);
  const step: SequenceStep = { response: parseResponse(input.response ?? {}, `${at}.response`, LIMITS.ruleMaxDelayMs) };
  if (input.times !== undefined) step.times = integer(input.times, `${at}.times`, 1, LIMITS.maxTimes);
  return step;
}

function parseMatch(value: unknown, at: string): RuleMatch {
  const input = object(value, at);
  known(input, at, ['methods', 'path', 'header', 'json']);
  const match: RuleMatch = {};
  if (input.methods !== undefined) match.methods = array(input.methods, `${at}.methods`, 20).map((m, i) => token(m, `${at}.methods[${i}]`).toUpperCase());
  if (input.path !== undefined) match.path = string(input.path, `${at}.path`, 500);
  if (input.header !== undefined) {
    const header = object(input.header, `${at}.header`);
    match.header = { name: token(header.name, `${at}.header.name`) };
    if (header.value !== undefined) match.header.value = headerValue(header.value, `${at}.header.value`);
  }
  if (input.json !== undefined) {
    const json = object(input.json, `${at}.json`);
    const pointer = string(json.pointer, `${at}.json.pointer`, 500);
    if (pointer !== '' && !pointer.startsWith('/')) fail(`${at}.json.pointer must be a JSON Pointer such as "/status".`);
    if (!('equals' in json)) fail(`${at}.json needs "equals": the value the field must have.`);
    match.json = { pointer, equals: json.equals };
  }
  return match;
}

function parseResponse(value: unknown, at: string, maxDelayMs: number): ScriptedResponse {
  const input = object(value, at);
  known(input, at, ['status', 'headers', 'body', 'contentType', 'delayMs']);
  const response: ScriptedResponse = {};
  if (input.status !== undefined) {
    response.status = integer(input.status, `${at}.status`, 100, 599);
    if (response.status < 200) fail(`${at}.status ${response.status} is informational (1xx): it cannot end a response and the sender would wait forever; use 200–599 (and delayMs to make it wait).`);
  }
  if (input.headers !== undefined) {
    const headers = object(input.headers, `${at}.headers`);
    if (Object.keys(headers).length > LIMITS.maxHeaders) fail(`${at}.headers has more than ${LIMITS.maxHeaders} headers.`);
    const refused = Object.keys(headers).find((name) => isForbiddenKey(name.toLowerCase()));
    if (refused !== undefined) fail(`${at}.headers name "${refused}" is refused: hookscope does not take __proto__, constructor or prototype as a key.`);
    response.headers = Object.fromEntries(Object.entries(headers).map(([name, v]) => [token(name, `${at}.headers name "${name}"`).toLowerCase(), headerValue(v, `${at}.headers.${name}`)]));
    for (const name of Object.keys(response.headers)) if (HOP_BY_HOP.has(name)) fail(`${at}.headers cannot set "${name}": hookscope manages it.`);
  }
  if (input.body !== undefined) {
    response.body = string(input.body, `${at}.body`, Infinity);
    if (Buffer.byteLength(response.body) > LIMITS.maxBodyBytes) fail(`${at}.body is larger than ${LIMITS.maxBodyBytes / 1024} KB.`);
  }
  if (input.contentType !== undefined) response.contentType = headerValue(input.contentType, `${at}.contentType`);
  if (input.delayMs !== undefined) response.delayMs = integer(input.delayMs, `${at}.delayMs`, 0, maxDelayMs);
  return response;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'te', 'trailer']);

const fail = (message: string): never => {
  throw new HttpError(400, 'invalid_responses', message);
};
const object = (v: unknown, at: string): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : fail(`${at} must be an object.`));
const array = (v: unknown, at: string, max: number): unknown[] => (Array.isArray(v) ? (v.length <= max ? v : fail(`${at} has more than ${max} entries.`)) : fail(`${at} must be an array.`));
const boolean = (v: unknown, at: string): boolean => (typeof v === 'boolean' ? v : fail(`${at} must be true or false.`));
const string = (v: unknown, at: string, max: number): string => (typeof v === 'string' && v.length <= max ? v : fail(`${at} must be a string${Number.isFinite(max) ? ` of at most ${max} characters` : ''}.`));
const number = (v: unknown, at: string, min: number, max: number): number => (typeof v === 'number' && v >= min && v <= max ? v : fail(`${at} must be a number from ${min} to ${max}.`));
const integer = (v: unknown, at: string, min: number, max: number): number => (Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? (v as number) : fail(`${at} must be a whole number from ${min} to ${max}.`));
const token = (v: unknown, at: string): string => (typeof v === 'string' && /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/.test(v) ? v : fail(`${at} must be a valid HTTP token (letters, digits and !#$%&'*+.^_\`|~-).`));
const headerValue = (v: unknown, at: string): string => (typeof v === 'string' && v.length <= 8192 && !/[\r\n\0]/.test(v) ? v : fail(`${at} must be a string of at most 8192 characters without line breaks.`));

function known(input: Json, at: string, fields: string[]): void {
  const unknown = Object.keys(input).filter((k) => !fields.includes(k));
  if (unknown.length > 0) fail(`${at} has unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; it takes ${fields.join(', ')}.`);
}
