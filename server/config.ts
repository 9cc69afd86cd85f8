/**
 * hookscope's configuration: read once from argv and the environment, validated, frozen.
 * No other module reads process.env or process.argv.
 *
 * Over 300 lines: most of it is the option table (one row per flag, with its env variable,
 * parser and help), which --help and the README's table are made from; kept whole so every
 * option is read in one place.
 */
import {
  ConfigError,
  parseAccessLog,
  parseAccessToken,
  parseAllowedHosts,
  parseAllowList,
  parseBoolean,
  parseByteSize,
  parseDuration,
  parseForwardPolicy,
  parseHost,
  parseLogFormat,
  parseNonEmpty,
  parseOptionalByteSize,
  parsePort,
  parsePublicUrl,
  parseRate,
  parseRedisUrl,
  parseRequestCap,
} from './config-values.js';
import type { RateLimitSpec } from './security/rate-limit.js';

export { ConfigError, parseByteSize } from './config-values.js';

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
  /** Bytes of requests the embedded store keeps in memory for recently used bins; others are read from disk when used. */
  readonly cacheSize: number;
  /** Bytes all capture bodies being received and stored may hold at once; past it, uploads get 503. */
  readonly maxBodyMemory: number;
  /** A capture body that sends nothing for this long is given up with 408 (ms); null = never. */
  readonly bodyTimeoutMs: number | null;
  /** Replay/forward targets: 'auto' polices them unless listening on loopback; 'strict' always does. */
  readonly forwardPolicy: 'auto' | 'strict';
  /** Host names, addresses and CIDRs that a policed target may still resolve to. */
  readonly allowForwardTo: readonly string[];
  /** `redis[s]://[user:password@]host:port[/db]`: bins, requests and live push on a Redis shared by every instance; null = lowdb in dataDir. */
  readonly redisUrl: string | null;
  /** Secret required for everything but capture URLs; null = none (or generated in public mode). */
  readonly accessToken: string | null;
  /** Explicitly run without access control even when listening beyond loopback. */
  readonly noAuth: boolean;
  /** Behave as on a public host (access control, strict target policy, access log) whatever the address. */
  readonly assumePublic: boolean;
  readonly logFormat: 'text' | 'json';
  /** One line per request: 'auto' logs on a public host and stays quiet on loopback. */
  readonly accessLog: 'auto' | 'on' | 'off';
  /**
   * Captures per bin; excess gets 429 and is counted, not stored. null = no limit; 'default' =
   * the documented default on a public host, none on loopback (where load tests are the user's own).
   */
  readonly rateLimit: RateLimitSpec | null | 'default';
  /** Captures per source address (same rules). */
  readonly rateLimitPerAddress: RateLimitSpec | null | 'default';
  /** Bins created per source address (same rules). */
  readonly binCreationLimit: RateLimitSpec | null | 'default';
  /** Requests older than this are removed (ms); null = kept until evicted by count. */
  readonly retentionMs: number | null;
  /** Bins without a request for this long are deleted (ms); null = never. */
  readonly binExpiryMs: number | null;
  /** Past this many bytes of stored requests, the oldest go first; null = no limit. */
  readonly maxDataSize: number | null;
  /** Behind a reverse proxy: take the client's address and protocol from X-Forwarded-For / -Proto. */
  readonly trustProxy: boolean;
  /**
   * Host names the inspector, API and WebSocket answer under besides loopback and --public-url's
   * host (see server/security/allowed-hosts.ts): exact names or addresses, `.domain` for a domain
   * and its subdomains; 'all' switches the Host check off. Capture URLs answer under any host.
   */
  readonly allowedHosts: readonly string[] | 'all';
  /** Origin handed out in capture URLs instead of --public-url, on another host name (their answers then never share the inspector's origin or cookies); null = same as the inspector. */
  readonly captureOrigin: string | null;
}

export const DEFAULTS: Config = Object.freeze({
  port: 8080,
  host: '127.0.0.1',
  dataDir: './data',
  publicUrl: null,
  maxBodySize: 25 * 1024 * 1024,
  maxRequestsPerBin: 1000,
  cacheSize: 256 * 1024 * 1024,
  maxBodyMemory: 256 * 1024 * 1024,
  bodyTimeoutMs: 30_000,
  forwardPolicy: 'auto',
  allowForwardTo: Object.freeze([]),
  redisUrl: null,
  accessToken: null,
  noAuth: false,
  assumePublic: false,
  logFormat: 'text',
  accessLog: 'auto',
  rateLimit: 'default',
  rateLimitPerAddress: 'default',
  binCreationLimit: 'default',
  retentionMs: null,
  binExpiryMs: null,
  maxDataSize: null,
  trustProxy: false,
  allowedHosts: Object.freeze([]),
  captureOrigin: null,
});

interface OptionSpec {
  key: keyof Config;
  flag: string;
  env: string;
  parse: (raw: string, flag: string) => Config[keyof Config];
  help: string;
  /** A switch: present means true, and it takes no value on the command line. */
  switch?: true;
}

export const OPTIONS: readonly OptionSpec[] = [
  { key: 'port', flag: '--port', env: 'PORT', parse: parsePort, help: 'port to listen on; 0 picks a free one (default 8080)' },
  { key: 'host', flag: '--host', env: 'HOST', parse: parseHost, help: 'address to listen on (default 127.0.0.1)' },
  { key: 'dataDir', flag: '--data-dir', env: 'HOOKSCOPE_DATA_DIR', parse: parseNonEmpty, help: 'where captured requests are stored (default ./data)' },
  {
    key: 'publicUrl',
    flag: '--public-url',
    env: 'HOOKSCOPE_PUBLIC_URL',
    parse: parsePublicUrl,
    help: 'origin used in capture URLs, e.g. https://hooks.example.com (default: the origin each request used)',
  },
  {
    key: 'maxBodySize',
    flag: '--max-body-size',
    env: 'HOOKSCOPE_MAX_BODY_SIZE',
    parse: parseByteSize,
    help: 'largest body accepted, in bytes or with kb/mb/gb (default 25mb)',
  },
  {
    key: 'maxRequestsPerBin',
    flag: '--max-requests-per-bin',
    env: 'HOOKSCOPE_MAX_REQUESTS_PER_BIN',
    parse: parseRequestCap,
    help: 'requests kept per bin, oldest evicted first (default 1000)',
  },
  {
    key: 'cacheSize',
    flag: '--cache-size',
    env: 'HOOKSCOPE_CACHE_SIZE',
    parse: parseByteSize,
    help: 'memory for the requests of recently used bins; the others are read from disk when next used (default 256mb)',
  },
  {
    key: 'maxBodyMemory',
    flag: '--max-body-memory',
    env: 'HOOKSCOPE_MAX_BODY_MEMORY',
    parse: parseByteSize,
    help: 'memory shared by capture bodies being received at once; an upload that does not fit gets 503 with Retry-After (default 256mb)',
  },
  {
    key: 'bodyTimeoutMs',
    flag: '--body-timeout',
    env: 'HOOKSCOPE_BODY_TIMEOUT',
    parse: parseDuration,
    help: 'a capture body that sends nothing for this long gets 408 and is not stored, e.g. 30s, 2m, or off (default 30s)',
  },
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
  {
    key: 'accessToken',
    flag: '--access-token',
    env: 'HOOKSCOPE_ACCESS_TOKEN',
    parse: parseAccessToken,
    help: 'require this secret (16+ characters) for the inspector, API and WebSocket; capture URLs stay open (default: none on loopback, generated on a public address)',
  },
  {
    key: 'noAuth',
    flag: '--no-auth',
    env: 'HOOKSCOPE_NO_AUTH',
    parse: parseBoolean,
    switch: true,
    help: 'listen beyond loopback without an access token (say it explicitly: data is then open to anyone)',
  },
  {
    key: 'assumePublic',
    flag: '--public',
    env: 'HOOKSCOPE_PUBLIC',
    parse: parseBoolean,
    switch: true,
    help: 'behave as on a public host (generated token, strict target policy, access log) even on loopback',
  },
  { key: 'logFormat', flag: '--log-format', env: 'HOOKSCOPE_LOG_FORMAT', parse: parseLogFormat, help: 'access log lines as text or json (default text)' },
  {
    key: 'accessLog',
    flag: '--access-log',
    env: 'HOOKSCOPE_ACCESS_LOG',
    parse: parseAccessLog,
    help: 'one line per request: auto (on a public host only), on, off (default auto); never bodies or query strings',
  },
  {
    key: 'rateLimit',
    flag: '--rate-limit',
    env: 'HOOKSCOPE_RATE_LIMIT',
    parse: parseRate,
    help: 'captures per bin, e.g. 100/s:200 (burst 200) or off; excess gets 429 with Retry-After (default on a public host 100/s:200, on loopback off)',
  },
  {
    key: 'rateLimitPerAddress',
    flag: '--rate-limit-per-address',
    env: 'HOOKSCOPE_RATE_LIMIT_PER_ADDRESS',
    parse: parseRate,
    help: 'captures per source address (default on a public host 200/s:400, on loopback off)',
  },
  {
    key: 'binCreationLimit',
    flag: '--bin-creation-limit',
    env: 'HOOKSCOPE_BIN_CREATION_LIMIT',
    parse: parseRate,
    help: 'bins created per source address (default on a public host 60/min:30, on loopback off)',
  },
  {
    key: 'retentionMs',
    flag: '--retention',
    env: 'HOOKSCOPE_RETENTION',
    parse: parseDuration,
    help: 'remove requests older than this, e.g. 7d, 12h, or off (default off: only the per-bin count applies)',
  },
  {
    key: 'binExpiryMs',
    flag: '--bin-expiry',
    env: 'HOOKSCOPE_BIN_EXPIRY',
    parse: parseDuration,
    help: 'delete bins that received nothing for this long, e.g. 30d (default off)',
  },
  {
    key: 'trustProxy',
    flag: '--trust-proxy',
    env: 'HOOKSCOPE_TRUST_PROXY',
    parse: parseBoolean,
    switch: true,
    help: 'behind a reverse proxy: the client address is the last X-Forwarded-For entry, the protocol X-Forwarded-Proto, the host X-Forwarded-Host (for per-address limits, recorded addresses, capture URLs, the Secure cookie, the Host check)',
  },
  {
    key: 'allowedHosts',
    flag: '--allowed-hosts',
    env: 'HOOKSCOPE_ALLOWED_HOSTS',
    parse: parseAllowedHosts,
    help: 'comma-separated host names the inspector, API and WebSocket answer under besides loopback and the --public-url host, e.g. hooks.example.com,.example.org (a domain and its subdomains), or all to switch the check off; capture URLs answer under any host',
  },
  {
    key: 'captureOrigin',
    flag: '--capture-origin',
    env: 'HOOKSCOPE_CAPTURE_ORIGIN',
    parse: parsePublicUrl,
    help: "hand out capture URLs on this origin, another host name pointing at this server, e.g. https://hooks-content.example.net, so their answers never run on the inspector's origin nor receive its cookie; the inspector refuses that host (default: capture URLs on the inspector's origin)",
  },
  {
    key: 'maxDataSize',
    flag: '--max-data-size',
    env: 'HOOKSCOPE_MAX_DATA_SIZE',
    parse: parseOptionalByteSize,
    help: 'stored requests beyond this size lose their oldest first, e.g. 10gb (default off)',
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
    if (option.switch && inline === undefined) {
      values[option.key] = true;
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new ConfigError(name, 'needs a value');
    values[option.key] = option.parse(raw, name);
  }
  checkCaptureOrigin(values as unknown as Config);
  return Object.freeze(values as unknown as Config);
}

/** Cookies are shared by every port of a host name, so a capture origin must be another name. */
function checkCaptureOrigin(config: Config): void {
  if (config.captureOrigin === null || config.publicUrl === null) return;
  if (new URL(config.captureOrigin).hostname === new URL(config.publicUrl).hostname) {
    throw new ConfigError('--capture-origin', 'must use another host name than --public-url (cookies are shared by every port of one host name)');
  }
}

function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

export function helpText(): string {
  const rows = OPTIONS.map((o) => `  ${(o.switch ? o.flag : `${o.flag} <value>`).padEnd(30)} ${o.help}\n  ${''.padEnd(30)} env: ${o.env}`);
  return [
    'hookscope: capture, inspect and replay webhooks',
    '',
    'Usage: hookscope [options]',
    '       hookscope forward <capture-url> --to <url> [--replay-missed] [--path-forwarding]   (relay a bin to a local server; forward --help)',
    '       hookscope send <receiver-url> --kind krea-job|langgraph-run [--state …] [--flavor python|js]   (simulate a sender; send --help)',
    '       hookscope mcp --url <hookscope-url> [--access-token <token>]   (tools for AI agents over stdio, Model Context Protocol; mcp --help)',
    '',
    'Options (each also settable by the environment variable shown; flags win):',
    ...rows,
    `  ${'--help'.padEnd(30)} show this help`,
    `  ${'--version'.padEnd(30)} print the version`,
    '',
    'Once listening, hookscope prints "hookscope listening on http://HOST:PORT".',
  ].join('\n');
}
