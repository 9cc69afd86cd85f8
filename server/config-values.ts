/**
 * Parsers of hookscope's option values: each takes the raw text and the flag (for the message)
 * and returns the value, or throws ConfigError saying what the flag accepts.
 */
import { parseIp } from './outbound/ip.js';
import { normaliseAllowEntry } from './outbound/policy.js';
import { parseRateSpec, type RateLimitSpec } from './security/rate-limit.js';

/** A configuration mistake; `flag` names the option so the message can point at it. */
export class ConfigError extends Error {
  constructor(
    readonly flag: string,
    message: string,
  ) {
    super(`${flag} ${message}`);
    this.name = 'ConfigError';
  }
}

export function parsePort(raw: string, flag: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw new ConfigError(flag, `must be a port number from 0 to 65535 (got "${raw}")`);
  return Number(raw);
}

export function parseHost(raw: string, flag: string): string {
  if (!/^[\w.:-]+$/.test(raw) || raw.length > 253) throw new ConfigError(flag, `must be a host name or IP address (got "${raw}")`);
  return raw;
}

export function parseNonEmpty(raw: string, flag: string): string {
  if (raw.trim() === '') throw new ConfigError(flag, 'must not be empty');
  return raw;
}

export function parsePublicUrl(raw: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(flag, `must be an absolute http(s) URL such as https://hooks.example.com (got "${raw}")`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(flag, `must use http or https (got "${url.protocol}")`);
  if (url.search || url.hash) throw new ConfigError(flag, 'must not have a query or fragment');
  return url.href.replace(/\/+$/, '');
}

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Parses "1048576", "512kb", "25mb" or "1gb" (binary units). */
export function parseByteSize(raw: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(raw.trim());
  const bytes = match ? Math.floor(Number(match[1]) * BYTE_UNITS[(match[2] ?? '').toLowerCase()]!) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new ConfigError(flag, `must be a size such as 1048576, 512kb or 25mb (got "${raw}")`);
  return bytes;
}

export function parseRequestCap(raw: string, flag: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 1_000_000) {
    throw new ConfigError(flag, `must be a whole number from 1 to 1000000 (got "${raw}")`);
  }
  return Number(raw);
}

export function parseForwardPolicy(raw: string, flag: string): 'auto' | 'strict' {
  if (raw !== 'auto' && raw !== 'strict') throw new ConfigError(flag, `must be auto or strict (got "${raw}")`);
  return raw;
}

export function parseAllowList(raw: string, flag: string): readonly string[] {
  const entries = raw.split(',').filter((entry) => entry.trim() !== '');
  return Object.freeze(
    entries.map((entry) => {
      const normalised = normaliseAllowEntry(entry);
      if (normalised === null) throw new ConfigError(flag, `entries must be host names, IP addresses or CIDRs such as 10.0.0.0/8 (got "${entry.trim()}")`);
      return normalised;
    }),
  );
}

/** Checked here so a typo stops the start with the flag named, instead of a client error later. */
export function parseRedisUrl(raw: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(flag, `must be a URL such as redis://127.0.0.1:6379/0 (got "${raw}")`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new ConfigError(flag, `must use redis:// or rediss:// (got "${url.protocol}//")`);
  if (!url.hostname) throw new ConfigError(flag, 'must name a host, e.g. redis://127.0.0.1:6379/0');
  if (!/^(\/\d{0,5})?$/.test(url.pathname)) throw new ConfigError(flag, `may only end in a database number such as /0 (got "${url.pathname}")`);
  if (url.search || url.hash) throw new ConfigError(flag, 'must not have a query or fragment');
  return raw;
}

/** A secret: at least 16 characters, so that a guessable token is refused at start. */
/**
 * --allowed-hosts: host names and addresses the inspector, API and WebSocket answer under, besides
 * loopback and --public-url's host. `.example.com` admits example.com and every subdomain (as
 * Vite's server.allowedHosts does); `all` (or `*`) switches the Host check off. Entries are
 * lower-case, without a port (any port is allowed) or IPv6 brackets.
 */
export function parseAllowedHosts(raw: string, flag: string): readonly string[] | 'all' {
  const entries = raw
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
  if (entries.some((entry) => entry === 'all' || entry === '*')) return 'all';
  return Object.freeze(
    entries.map((entry) => {
      const host = entry.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
      if (parseIp(host)) return host;
      const name = host.startsWith('.') ? host.slice(1) : host;
      if (!HOST_NAME.test(name))
        throw new ConfigError(
          flag,
          `entries must be host names (.example.com for a domain and its subdomains), IP addresses, or all; without a port (got "${entry}")`,
        );
      return host;
    }),
  );
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

export function parseAccessToken(raw: string, flag: string): string {
  if (raw.length < 16 || /\s/.test(raw))
    throw new ConfigError(flag, 'must be at least 16 characters without spaces (generate one with: openssl rand -base64 24)');
  return raw;
}

export function parseBoolean(raw: string, flag: string): boolean {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(flag, `must be true or false (got "${raw}")`);
}

export function parseLogFormat(raw: string, flag: string): 'text' | 'json' {
  if (raw !== 'text' && raw !== 'json') throw new ConfigError(flag, `must be text or json (got "${raw}")`);
  return raw;
}

export function parseAccessLog(raw: string, flag: string): 'auto' | 'on' | 'off' {
  if (raw !== 'auto' && raw !== 'on' && raw !== 'off') throw new ConfigError(flag, `must be auto, on or off (got "${raw}")`);
  return raw;
}

export function parseRate(raw: string, flag: string): RateLimitSpec | null {
  const spec = parseRateSpec(raw);
  if (spec === undefined) throw new ConfigError(flag, `must be a rate such as 100/s, 100/s:200 (burst 200), 600/min, or off (got "${raw}")`);
  return spec;
}

const DURATION_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "7d", "12h", "30m", "90s", "2w", or "off". */
export function parseDuration(raw: string, flag: string): number | null {
  if (raw === 'off') return null;
  const match = /^(\d+)\s*(s|m|h|d|w)$/i.exec(raw.trim());
  if (!match || Number(match[1]) === 0) throw new ConfigError(flag, `must be a duration such as 7d, 12h, 30m or off (got "${raw}")`);
  return Number(match[1]) * DURATION_UNITS[match[2]!.toLowerCase()]!;
}

export function parseOptionalByteSize(raw: string, flag: string): number | null {
  return raw === 'off' ? null : parseByteSize(raw, flag);
}
