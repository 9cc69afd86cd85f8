/**
 * Token buckets keyed by a string (a bin id, a source address): each key may spend `burst`
 * tokens at once, refilled at `perSecond`. Keys idle long enough to be full again are forgotten,
 * so memory stays bounded by the keys active in the last few seconds. The clock is injectable.
 */
export interface RateLimitSpec {
  perSecond: number;
  burst: number;
}

export interface RateDecision {
  allowed: boolean;
  /** When refused: whole seconds until a token is available (for Retry-After). */
  retryAfterSeconds: number;
}

export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  #lastSweep = 0;
  readonly #spec: RateLimitSpec;
  readonly #now: () => number;

  constructor(spec: RateLimitSpec, now: () => number = Date.now) {
    this.#now = now;
    this.#spec = spec;
  }

  take(key: string): RateDecision {
    const now = this.#now();
    this.#sweep(now);
    const bucket = this.#buckets.get(key) ?? { tokens: this.#spec.burst, at: now };
    bucket.tokens = Math.min(this.#spec.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#spec.perSecond);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.#spec.perSecond)) };
  }

  /** Forgets buckets that have refilled completely (they behave exactly like new ones). */
  #sweep(now: number): void {
    const fullAfterMs = (this.#spec.burst / this.#spec.perSecond) * 1000;
    if (now - this.#lastSweep < Math.max(1000, fullAfterMs)) return;
    this.#lastSweep = now;
    for (const [key, bucket] of this.#buckets) if (now - bucket.at >= fullAfterMs) this.#buckets.delete(key);
  }
}

/** Parses "100/s", "100/s:200" (burst 200), "6000/min", "off"; null means no limit. */
export function parseRateSpec(raw: string): RateLimitSpec | null | undefined {
  if (raw === 'off' || raw === '0') return null;
  const match = /^(\d+(?:\.\d+)?)\/(s|sec|second|m|min|minute|h|hour)(?::(\d+))?$/.exec(raw.trim());
  if (!match) return undefined;
  const per = { s: 1, sec: 1, second: 1, m: 60, min: 60, minute: 60, h: 3600, hour: 3600 }[match[2] as 's'];
  const perSecond = Number(match[1]) / per;
  const burst = match[3] ? Number(match[3]) : Math.max(1, Math.ceil(Number(match[1]) * (per === 1 ? 2 : 1)));
  return perSecond > 0 ? { perSecond, burst } : undefined;
}
