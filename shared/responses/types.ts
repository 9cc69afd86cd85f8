/**
 * Scripted responses: how a bin's capture URL answers, so a sender's retry logic can be tested
 * against a receiver that fails, throttles or hangs. Shared by the server (which applies them)
 * and the inspector (which edits them).
 */

/** One answer. Every field is optional; what is missing falls back to the bin's default answer. */
export interface ScriptedResponse {
  /** 100–599. */
  status?: number;
  /** Extra headers; names and values are checked when the settings are saved. */
  headers?: Record<string, string>;
  /** Response body text (at most 64 KB). */
  body?: string;
  contentType?: string;
  /** Milliseconds to wait before answering: 0–30 s for the default answer, up to 120 s in rules. */
  delayMs?: number;
}

/** What a rule matches on; every condition given must hold. */
export interface RuleMatch {
  /** Any of these methods (upper case). */
  methods?: string[];
  /** A glob over the sub-path after /h/<binId>: `*` within a segment, `**` across segments. */
  path?: string;
  /** A header (case-insensitive name) present, and equal to `value` when given. */
  header?: { name: string; value?: string };
  /** A field of the JSON body, by JSON Pointer (e.g. /status), equal to `equals`. */
  json?: { pointer: string; equals: unknown };
}

/**
 * A step of a sequence: answer `response` for the next `times` matching requests (default 1).
 * After the last step the sequence repeats its last step, or starts over when `loop` is set.
 */
export interface SequenceStep {
  response: ScriptedResponse;
  times?: number;
}

export interface ResponseRule {
  /** Stable id (recorded with each request the rule answered). */
  id: string;
  name?: string;
  match: RuleMatch;
  /** Exactly one of: a fixed response, a sequence, or a failure rate. */
  response?: ScriptedResponse;
  sequence?: { steps: SequenceStep[]; loop?: boolean };
  /** Answer `response` to this share of matching requests (0–100), the default otherwise. */
  failRate?: { percent: number; response: ScriptedResponse };
}

export interface ResponseSettings {
  /** The answer when no rule matches. hookscope's own `{ ok, id }` JSON when nothing is set. */
  default: ScriptedResponse;
  /** First match wins. */
  rules: ResponseRule[];
  /** `/h/<id>/503` answers 503 (as webhook.site does), when no rule matched. */
  statusFromPath: boolean;
  /** Answer CORS preflights and add Access-Control-Allow-* headers. */
  cors: boolean;
}

export const DEFAULT_RESPONSE_SETTINGS: ResponseSettings = { default: {}, rules: [], statusFromPath: false, cors: false };

/** What a captured request was answered, recorded with it. */
export interface AnsweredWith {
  status: number;
  delayMs: number;
  /** The rule that answered, when one did ('path-status' for a trailing status segment). */
  ruleId?: string;
  ruleName?: string;
  /** Which step of the rule's sequence answered (0-based). */
  step?: number;
  headers: Record<string, string>;
  bodySize: number;
  /** What hookscope left out of the scripted answer, e.g. 'set-cookie:hookscope_session' (its own session cookie). */
  redacted?: string[];
}

export const RESPONSE_LIMITS = {
  defaultMaxDelayMs: 30_000,
  ruleMaxDelayMs: 120_000,
  maxBodyBytes: 64 * 1024,
  maxHeaders: 50,
  maxRules: 100,
  maxSteps: 100,
  maxTimes: 1_000_000,
} as const;
