/**
 * Scripted responses: how a bin's capture URL answers, so a sender's retry logic can be tested
 * against a receiver that fails, throttles or hangs. Shared by the server (which applies them)
 * and the inspector (which edits them). The shapes are the JSON Schemas of shared/wire/responses.ts.
 */
import type { Wire } from '../wire/json-schema.js';
import type {
  answeredWithSchema,
  responseRuleSchema,
  responseSettingsSchema,
  ruleMatchSchema,
  scriptedResponseSchema,
  sequenceStepSchema,
} from '../wire/responses.js';

/**
 * One answer. Every field is optional; what is missing falls back to the bin's default answer,
 * except the delay: a rule or step without its own `delayMs` answers at once.
 */
export type ScriptedResponse = Wire<typeof scriptedResponseSchema>;
/** What a rule matches on; every condition given must hold. */
export type RuleMatch = Wire<typeof ruleMatchSchema>;
/**
 * A step of a sequence: answer `response` for the next `times` matching requests (default 1).
 * After the last step the sequence repeats its last step, or starts over when `loop` is set.
 */
export type SequenceStep = Wire<typeof sequenceStepSchema>;
/** A rule as saved: exactly one of a fixed response, a sequence, or a failure rate. */
export type ResponseRule = Wire<typeof responseRuleSchema>;
export type ResponseSettings = Wire<typeof responseSettingsSchema>;
/** What a captured request was answered, recorded with it. */
export type AnsweredWith = Wire<typeof answeredWithSchema>;

export const DEFAULT_RESPONSE_SETTINGS: ResponseSettings = { default: {}, rules: [], statusFromPath: false, cors: false };

export const RESPONSE_LIMITS = {
  defaultMaxDelayMs: 30_000,
  ruleMaxDelayMs: 120_000,
  maxBodyBytes: 64 * 1024,
  maxHeaders: 50,
  maxRules: 100,
  maxSteps: 100,
  maxTimes: 1_000_000,
} as const;
