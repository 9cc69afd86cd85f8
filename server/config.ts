/**
 * hookscope's configuration: read once from argv and the environment, validated, frozen.
 * No other module reads process.env or process.argv.
 */
import { normaliseAllowEntry } from './outbound/policy.js';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** Origin used in capture URLs, without a trailing slash; null = the request's own origin. */
  readonly publicUrl: string | null;
  /** Largest captured body in bytes; larger ones get 413 while still streaming. */
  readonly maxBodySize: number;
  /** Requests kept per bin; older ones are evicted first. */
  readonly maxRequestsPerBin: number;
  /** Replay/forward targets: 'auto' polices them unless listening on loopback; 'strict' always does. */
  readonly forwardPolicy: 'auto' | 'strict';
  /** Host names, addresses and CIDRs that a policed target may still resolve to. */
  readonly allowForwardTo: readonly string[];
  /** `redis[s]://[user:password@]host:port[/db]`: bins, requests and live push on a Redis shared by every instance; null = lowdb in dataDir. */
  readonly redisUrl: string | null;
}

export const DEFAULTS: Config = Object.freeze({
  port: 8080,
  host: '127.0.0.1',
  dataDir: './data',
  publicUrl: null,
  maxBodySize: 25 * 1024 * 1024,
  maxRequestsPerBin: 1000,
  forwardPolicy: 'auto',
  allowForwardTo: Object.freeze([]),
  redisUrl: null,
});

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

interface OptionSpec {
  key: keyof Config;
  flag: string;
  env: string;
  parse: (raw: string, flag: string) => Config[keyof Config];
  help: string;
}

export const OPTIONS: readonly OptionSpec[] = [
  { key: 'port', flag: '--port', env: 'PORT', parse: parsePort, help: 'port to listen on; 0 picks a free one (default 8080)' },
  { key: 'host', flag: '--host', env: 'HOST', parse: parseHost, help: 'address to listen on (default 127.0.0.1)' },
  { key: 'dataDir', flag: '--data-dir', env: 'HOOKSCOPE_DATA_DIR', parse: parseNonEmpty, help: 'where captured requests are stored (default ./data)' },
  { key: 'publicUrl', flag: '--public-url', env: 'HOOKSCOPE_PUBLIC_URL', parse: parsePublicUrl, help: 'origin used in capture URLs, e.g. https://hooks.example.com (default: the origin each request used)' },
  { key: 'maxBodySize', flag: '--max-body-size', env: 'HOOKSCOPE_MAX_BODY_SIZE', parse: parseByteSize, help: 'largest body accepted, in bytes or with kb/mb/gb (default 25mb)' },
  { key: 'maxRequestsPerBin', flag: '--max-requests-per-bin', env: 'HOOKSCOPE_MAX_REQUESTS_PER_BIN', parse: parseRequestCap, help: 'requests kept per bin, oldest evicted first (default 1000)' },
  {
    key: 'forwardPolicy',
    flag: '--forward-policy',
    env: 'HOOKSCOPE_FORWARD_POLICY',
    parse: parseForwardPolicy,
    help: 'replay/forward targets on loopback, private, link-local or metadata addresses: auto refuses them unless listening on loopback, strict always refuses them (default auto)',
  },
  {
    key: 'allowForwardTo',
    flag: '--allow-forward-to',
    env: 'HOOKSCOPE_ALLOW_FORWARD_TO',
    parse: parseAllowList,
    help: 'comma-separated host names, addresses or CIDRs that replays and forwards may reach even when refused by the policy, e.g. localhost,10.0.0.0/8',
  },
  {
    key: 'redisUrl',
    flag: '--redis-url',
    env: 'HOOKSCOPE_REDIS_URL',
    parse: parseRedisUrl,
    help: 'keep bins, requests and live push in Redis, shared by every instance given the same URL, e.g. redis://127.0.0.1:6379/0 (default: lowdb files in --data-dir)',
  },
];

/**
 * Builds the configuration from command-line arguments (flags win) and environment variables.
 * Throws ConfigError naming the offending flag. `--flag=value` and `--flag value` both work.
 */
export function readConfig(argv: readonly string[], env: Record<string, string | undefined>): Config {
  const values: Record<string, unknown> = { ...DEFAULTS };
  for (const option of OPTIONS) {
    const raw = env[option.env];
    if (raw !== undefined && raw !== '') values[option.key] = option.parse(raw, `${option.env} (${option.flag})`);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = splitFlag(arg);
    const option = OPTIONS.find((o) => o.flag === name);
    if (!option) throw new ConfigError(name, 'is not a known option; run hookscope --help for the list');
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new ConfigError(name, 'needs a value');
    values[option.key] = option.parse(raw, name);
  }
  return Object.freeze(values as unknown as Config);
}

function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

function parsePort(raw: string, flag: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw new ConfigError(flag, `must be a port number from 0 to 65535 (got "${raw}")`);
  return Number(raw);
}

function parseHost(raw: string, flag: string): string {
  if (!/^[\w.:-]+$/.test(raw) || raw.length > 253) throw new ConfigError(flag, `must be a host name or IP address (got "${raw}")`);
  return raw;
}

function parseNonEmpty(raw: string, flag: string): string {
  if (raw.trim() === '') throw new ConfigError(flag, 'must not be empty');
  return raw;
}

function parsePublicUrl(raw: string, flag: string): string {
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

function parseRequestCap(raw: string, flag: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 1_000_000) {
    throw new ConfigError(flag, `must be a whole number from 1 to 1000000 (got "${raw}")`);
  }
  return Number(raw);
}

function parseForwardPolicy(raw: string, flag: string): 'auto' | 'strict' {
  if (raw !== 'auto' && raw !== 'strict') throw new ConfigError(flag, `must be auto or strict (got "${raw}")`);
  return raw;
}

function parseAllowList(raw: string, flag: string): readonly string[] {
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
function parseRedisUrl(raw: string, flag: string): string {
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

export function helpText(): string {
  const rows = OPTIONS.map((o) => `  ${`${o.flag} <value>`.padEnd(30)} ${o.help}\n  ${''.padEnd(30)} env: ${o.env}`);
  return [
    'hookscope: capture, inspect and replay webhooks',
    '',
    'Usage: hookscope [options]',
    '       hookscope forward <capture-url> --to <url> [--replay-missed] [--path-forwarding]   (relay a bin to a local server; forward --help)',
    '       hookscope send <receiver-url> --kind krea-job|langgraph-run [--state …] [--flavor python|js]   (simulate a sender; send --help)',
    '',
    'Options (each also settable by the environment variable shown; flags win):',
    ...rows,
    `  ${'--help'.padEnd(30)} show this help`,
    `  ${'--version'.padEnd(30)} print the version`,
    '',
    'Once listening, hookscope prints "hookscope listening on http://HOST:PORT".',
  ].join('\n');
}
