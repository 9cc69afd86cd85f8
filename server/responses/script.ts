import type { AnsweredWith, ResponseSettings, ScriptedResponse } from '../../shared/responses/types.js';
import type { Store } from '../store/types.js';
import { matchesRule, type MatchableRequest } from '../../shared/responses/match.js';

/** The answer chosen for one captured request: what to send, and what to record. */
export interface ChosenResponse {
  status: number;
  headers: Record<string, string>;
  /** null: hookscope's own JSON answer with the request id (filled in once the id is known). */
  body: string | null;
  delayMs: number;
  answered: Omit<AnsweredWith, 'headers' | 'bodySize' | 'status' | 'delayMs'>;
}

/**
 * Chooses how each captured request is answered from its bin's response settings: a CORS
 * preflight, else the first matching rule (fixed, sequence or failure rate), else a trailing
 * status in the path, else the bin's default. Sequence positions are counted by the store (so
 * instances sharing one store walk one sequence) and start over when the bin's settings change.
 */
export class ResponseScript {
  readonly #sequences: Pick<Store, 'nextSequencePosition' | 'resetSequences'>;
  readonly #random: () => number;

  constructor(sequences: Pick<Store, 'nextSequencePosition' | 'resetSequences'>, random: () => number = Math.random) {
    this.#sequences = sequences;
    this.#random = random;
  }

  /**
   * `request` is asked for lazily: a bin without rules, CORS or path statuses (the common case)
   * never builds it, nor parses headers or body for it. A promise only when a sequence answers
   * (its position comes from the store).
   */
  choose(binId: string, settings: ResponseSettings, view: () => MatchableRequest): ChosenResponse | Promise<ChosenResponse> {
    if (!settings.cors && settings.rules.length === 0 && !settings.statusFromPath) return plain(settings);
    const request = view();
    const cors = settings.cors ? corsHeaders(request) : {};
    if (settings.cors && request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
      return { status: 204, headers: { ...cors, 'access-control-max-age': '600' }, body: '', delayMs: 0, answered: { ruleId: 'cors-preflight' } };
    }
    for (const rule of settings.rules) {
      if (!matchesRule(rule.match, request)) continue;
      const answered = (response: ScriptedResponse, step?: number): ChosenResponse => ({
        ...build(settings.default, response, cors),
        answered: { ruleId: rule.id, ...(rule.name ? { ruleName: rule.name } : {}), ...(step !== undefined ? { step } : {}) },
      });
      if (rule.sequence) {
        const { steps, loop } = rule.sequence;
        return this.#sequences.nextSequencePosition(binId, rule.id).then((n) => {
          const step = sequenceStep(steps, n, loop === true);
          return answered(steps[step]!.response, step);
        });
      }
      // A failure rate's other requests get the default answer, its delay included.
      if (rule.failRate) return answered(this.#random() * 100 < rule.failRate.percent ? rule.failRate.response : settings.default);
      return answered(rule.response ?? {});
    }
    const pathStatus = settings.statusFromPath ? trailingStatus(request.path) : null;
    const defaultDelay = settings.default.delayMs ?? 0;
    if (pathStatus !== null) return { ...build(settings.default, { status: pathStatus }, cors, defaultDelay), answered: { ruleId: 'path-status' } };
    return { ...build(settings.default, {}, cors, defaultDelay), answered: {} };
  }

  /** Starts every sequence of the bin over (its settings changed). */
  reset(binId: string): Promise<void> {
    return this.#sequences.resetSequences(binId);
  }
}

// The default answer of bins left at their default settings, shared (it is never mutated).
const HOOKSCOPE_DEFAULT: ChosenResponse = Object.freeze({
  status: 200,
  headers: Object.freeze({}) as Record<string, string>,
  body: null,
  delayMs: 0,
  answered: Object.freeze({}),
});

function plain(settings: ResponseSettings): ChosenResponse {
  const d = settings.default;
  if (d.status === undefined && d.headers === undefined && d.body === undefined && d.contentType === undefined && d.delayMs === undefined)
    return HOOKSCOPE_DEFAULT;
  return { ...build(d, {}, {}, d.delayMs ?? 0), answered: {} };
}

/** Which step answers the n-th (0-based) matching request. */
export function sequenceStep(steps: { times?: number }[], n: number, loop: boolean): number {
  const total = steps.reduce((sum, s) => sum + (s.times ?? 1), 0);
  let position = loop ? n % total : n;
  for (let i = 0; i < steps.length; i++) {
    position -= steps[i]!.times ?? 1;
    if (position < 0) return i;
  }
  return steps.length - 1; // past the end: the last step goes on
}

/**
 * `chosen` over `fallback` (the bin's default) field by field, but for the delay: a rule or step
 * waits only the delay it sets (none when left empty), not the default's, which belongs to the
 * default answer (and a status from the path).
 */
function build(
  fallback: ScriptedResponse,
  chosen: ScriptedResponse,
  cors: Record<string, string>,
  delayMs = chosen.delayMs ?? 0,
): Omit<ChosenResponse, 'answered'> {
  const status = chosen.status ?? fallback.status ?? 200;
  const body = chosen.body ?? (chosen.status === undefined ? fallback.body : undefined) ?? null;
  const contentType = chosen.contentType ?? fallback.contentType;
  const headers: Record<string, string> = { ...cors, ...fallback.headers, ...chosen.headers };
  if (contentType !== undefined) headers['content-type'] = contentType;
  return { status, headers, body, delayMs };
}

function trailingStatus(path: string): number | null {
  const match = /\/([1-5]\d\d)\/?$/.exec(path);
  const status = match ? Number(match[1]) : null;
  return status !== null && status >= 200 ? status : null;
}

function corsHeaders(request: MatchableRequest): Record<string, string> {
  const origin = request.headers.origin;
  const asked = request.headers['access-control-request-headers'];
  return {
    'access-control-allow-origin': typeof origin === 'string' ? origin : '*',
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS',
    'access-control-allow-headers': typeof asked === 'string' ? asked : '*',
    'access-control-expose-headers': '*',
    vary: 'Origin',
  };
}
