import type { Config } from '../config.js';
import { isLoopbackHost } from '../outbound/policy.js';
import { generateAccessToken } from './auth.js';
import type { RateLimitSpec } from './rate-limit.js';

/**
 * Public mode: listening beyond loopback (or --public). Then only capture URLs are open, the
 * target policy is strict, and the access log is on. Loopback-only use stays zero-configuration.
 */
export function isPublicMode(config: Pick<Config, 'host' | 'assumePublic'>): boolean {
  return config.assumePublic || !isLoopbackHost(config.host);
}

/**
 * The access token in force: --access-token; else, in public mode without --no-auth, a random
 * one generated at start (printed with a login link, as Jupyter does); else none.
 */
export function resolveAccessToken(config: Config): { token: string | null; generated: boolean } {
  if (config.accessToken !== null) return { token: config.accessToken, generated: false };
  if (isPublicMode(config) && !config.noAuth) return { token: generateAccessToken(), generated: true };
  return { token: null, generated: false };
}

export function accessLogEnabled(config: Config): boolean {
  return config.accessLog === 'on' || (config.accessLog === 'auto' && isPublicMode(config));
}

/** The documented defaults of the abuse limits, applied on a public host. */
export const DEFAULT_LIMITS = {
  rateLimit: { perSecond: 100, burst: 200 },
  rateLimitPerAddress: { perSecond: 200, burst: 400 },
  binCreationLimit: { perSecond: 1, burst: 30 },
} as const satisfies Record<string, RateLimitSpec>;

/** A limit in force: the configured one, or for 'default' the documented default in public mode only. */
export function effectiveLimit(config: Config, key: keyof typeof DEFAULT_LIMITS): RateLimitSpec | null {
  const value = config[key];
  if (value !== 'default') return value;
  return isPublicMode(config) ? DEFAULT_LIMITS[key] : null;
}
