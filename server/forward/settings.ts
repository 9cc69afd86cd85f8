import type { ForwardSetting, RetrySetting } from '../../shared/api-types.js';
import { timeoutMsSchema } from '../../shared/wire/json-schema.js';
import { fieldLabel, HttpError } from '../http-error.js';

/** What LangGraph's Python server does: 3 tries, jittered exponential back-off (30 s read timeout). */
export const LANGGRAPH_RETRY: RetrySetting = Object.freeze({ attempts: 3, baseDelayMs: 1000, maxDelayMs: 10_000 });
export const DEFAULT_TIMEOUT_MS = 30_000;
export const MAX_TIMEOUT_MS = timeoutMsSchema.maximum;
const MAX_TARGET_LENGTH = 2048;

/**
 * An absolute http(s) URL to deliver to; throws a 400 naming `field` otherwise. Credentials in the
 * URL are refused: they would be silently dropped (headers are relayed as captured), so a header
 * edit or the target's own auth is the honest way. (The contract's schema checks it is a string
 * of at most 2048 characters; this is what a schema cannot say.)
 */
export function parseTargetUrl(value: unknown, field = 'target'): URL {
  const invalid = (message: string) => new HttpError(400, 'invalid_target', message);
  const label = fieldLabel(field);
  if (typeof value !== 'string' || value.length > MAX_TARGET_LENGTH)
    throw invalid(`${label} must be an absolute http(s) URL of at most ${MAX_TARGET_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(`${label} must be an absolute URL such as http://localhost:3000/webhook (got "${value.slice(0, 80)}").`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid(`${label} must use http: or https: (got "${url.protocol}").`);
  if (url.username || url.password) throw invalid(`${label} must not carry credentials; send them in a header instead.`);
  if (url.hash) throw invalid(`${label} must not have a #fragment.`);
  return url;
}

/**
 * A bin's `forward` setting, whose shape the contract's schema has checked (shared/wire/bin.ts),
 * with the rules a schema cannot say: the target's URL rules, a retry cap not below its base,
 * and no retries in pass-through (the sender retries by itself there).
 */
export function checkForwardSetting(setting: ForwardSetting): ForwardSetting {
  const checked = { ...setting, target: parseTargetUrl(setting.target, 'forward.target').href };
  if (typeof checked.retry === 'object' && checked.retry.maxDelayMs < checked.retry.baseDelayMs) {
    throw invalid('forward.retry must be "langgraph" or { "attempts": 1–10, "baseDelayMs": ms, "maxDelayMs": ms ≥ baseDelayMs }.');
  }
  if (checked.respond === 'forward' && checked.retry !== undefined) {
    throw invalid('forward.retry cannot be combined with respond: "forward": in pass-through the sender sees the target\'s answer and retries by itself.');
  }
  return checked;
}

/** The retry setting in full: none means one try. */
export function retryOf(setting: ForwardSetting): RetrySetting {
  if (setting.retry === 'langgraph') return LANGGRAPH_RETRY;
  return setting.retry ?? { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 };
}

/**
 * The wait before try `next` (2 = the first retry): base × 2^(next−2), capped, then jittered to
 * 50–100 % so that many senders do not retry in step while the order of waits stays visible.
 */
export function retryDelay(retry: RetrySetting, next: number, random: () => number = Math.random): number {
  const full = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (next - 2));
  return Math.round(full * (0.5 + random() / 2));
}

/** The longest Retry-After honoured: the most a retry setting may wait (3_600_000 ms, an hour). */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * How long a target asked to wait with `Retry-After` (delay-seconds or an HTTP date, RFC 9110
 * §10.2.3), in ms, at most MAX_RETRY_AFTER_MS; null when absent or unreadable.
 */
export function retryAfterMs(headers: readonly [string, string][], now: number = Date.now()): number | null {
  const value = headers.find(([name]) => name.toLowerCase() === 'retry-after')?.[1].trim();
  if (value === undefined || value === '') return null;
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    const at = Date.parse(value);
    if (Number.isNaN(at) || !/[a-z]/i.test(value)) return null; // a date names its day and month
    ms = Math.max(0, at - now);
  }
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

/** Network errors (no status), 5xx and 429 are worth another try; other answers are final. */
export function isRetryable(status: number | null): boolean {
  return status === null || status === 429 || status >= 500;
}

function invalid(message: string): HttpError {
  return new HttpError(400, 'invalid_bin', message);
}
