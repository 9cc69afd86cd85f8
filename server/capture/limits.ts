import type { Config } from '../config.js';
import { effectiveLimit } from '../security/public-mode.js';
import { RateLimiter, type RateDecision } from '../security/rate-limit.js';

/**
 * Abuse limits on the capture path: per bin and per source address. A refused capture is
 * answered 429 with Retry-After (the sender retries later) and counted per bin, not stored.
 */
export class CaptureLimits {
  readonly #perBin: RateLimiter | null;
  readonly #perAddress: RateLimiter | null;
  readonly #refused = new Map<string, number>();

  constructor(config: Config, now: () => number = Date.now) {
    const perBin = effectiveLimit(config, 'rateLimit');
    const perAddress = effectiveLimit(config, 'rateLimitPerAddress');
    this.#perBin = perBin ? new RateLimiter(perBin, now) : null;
    this.#perAddress = perAddress ? new RateLimiter(perAddress, now) : null;
  }

  /** Takes a token for this capture; refused: what to tell the sender, and the refusal is counted. */
  admit(binId: string, address: string): RateDecision & { scope?: 'bin' | 'address' } {
    const byAddress = this.#perAddress?.take(address);
    const byBin = byAddress?.allowed === false ? undefined : this.#perBin?.take(binId);
    const refusal =
      byAddress?.allowed === false ? { ...byAddress, scope: 'address' as const } : byBin?.allowed === false ? { ...byBin, scope: 'bin' as const } : null;
    if (!refusal) return { allowed: true, retryAfterSeconds: 0 };
    this.#refused.set(binId, (this.#refused.get(binId) ?? 0) + 1);
    return refusal;
  }

  /** Captures of this bin refused by a rate limit since the server started. */
  refusedCount(binId: string): number {
    return this.#refused.get(binId) ?? 0;
  }
}
