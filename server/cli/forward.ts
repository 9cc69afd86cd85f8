import { isBinId } from '../../shared/ids.js';
import { DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS } from '../forward/settings.js';
import { Relay, type RelayOptions } from '../forward/relay.js';

export const FORWARD_USAGE = [
  'Usage: hookscope forward <capture-url> --to <url> [--replay-missed] [--path-forwarding] [--timeout <ms>]',
  '',
  "Follows a bin's live stream on a hookscope server (local or remote) and delivers every new",
  'request to <url>, byte for byte, so signatures over the raw body still verify.',
  '',
  '  --to <url>            where to deliver, e.g. http://localhost:3000/webhook',
  '  --replay-missed       first deliver what the bin already holds (default: only what arrives from now)',
  "  --path-forwarding     append each request's sub-path (after /h/<binId>) to the --to path",
  `  --timeout <ms>        per delivery (default ${DEFAULT_TIMEOUT_MS})`,
  "  --access-token <t>    the server's access token, when it has one (or env HOOKSCOPE_ACCESS_TOKEN)",
  '',
  'Prints one line per delivery; reconnects by itself and catches up; Ctrl-C stops it.',
].join('\n');

type ForwardArgs = Pick<RelayOptions, 'server' | 'binId' | 'to' | 'replayMissed' | 'pathForwarding' | 'timeoutMs' | 'accessToken'>;

/** A usage mistake: the message is printed with the usage hint, and the exit code is 2. */
export class ForwardUsageError extends Error {}

/** Parses `hookscope forward …` arguments (after the word forward). Throws ForwardUsageError. */
export function parseForwardArgs(argv: readonly string[]): ForwardArgs {
  const args: Partial<ForwardArgs> = { replayMissed: false, pathForwarding: false, timeoutMs: DEFAULT_TIMEOUT_MS, accessToken: null };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] =
      argv[i]!.startsWith('--') && argv[i]!.includes('=')
        ? [argv[i]!.slice(0, argv[i]!.indexOf('=')), argv[i]!.slice(argv[i]!.indexOf('=') + 1)]
        : [argv[i]!, undefined];
    const value = () => inline ?? argv[++i] ?? fail(`${flag} needs a value`);
    if (flag === '--to') args.to = httpUrl(value(), '--to');
    else if (flag === '--replay-missed') args.replayMissed = true;
    else if (flag === '--path-forwarding') args.pathForwarding = true;
    else if (flag === '--timeout') args.timeoutMs = timeout(value());
    else if (flag === '--access-token') args.accessToken = value();
    else if (flag.startsWith('-')) fail(`${flag} is not a known option`);
    else if (args.binId) fail(`unexpected argument "${flag}"`);
    else Object.assign(args, captureUrl(flag));
  }
  if (!args.binId) fail('give the capture URL of a bin, e.g. http://127.0.0.1:8080/h/<binId>');
  if (!args.to) fail('--to <url> is required: where to deliver, e.g. http://localhost:3000/webhook');
  return args as ForwardArgs;
}

/** Runs the relay until SIGINT/SIGTERM (exit 0) or a fatal problem (exit 1). */
export async function runForward(argv: readonly string[], env: Record<string, string | undefined> = {}): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) return console.log(FORWARD_USAGE);
  let args: ForwardArgs;
  try {
    args = parseForwardArgs(argv);
    if (args.accessToken === null && env.HOOKSCOPE_ACCESS_TOKEN) args.accessToken = env.HOOKSCOPE_ACCESS_TOKEN;
  } catch (error) {
    if (!(error instanceof ForwardUsageError)) throw error;
    console.error(`hookscope forward: ${error.message} (hookscope forward --help shows the usage)`);
    process.exitCode = 2;
    return;
  }
  const finish = (code: number) => void relay.stop().then(() => process.exit(code));
  const relay = new Relay({
    ...args,
    log: (line) => console.log(line),
    warn: (line) => console.error(`hookscope forward: ${line}`),
    fatal: (message) => {
      console.error(`hookscope forward: ${message}`);
      finish(1);
    },
  });
  console.error(`hookscope forward: relaying ${args.server}/h/${args.binId} → ${args.to.href}`);
  relay.start();
  process.once('SIGINT', () => finish(0));
  process.once('SIGTERM', () => finish(0));
}

/** Splits `http(s)://host[:port][/prefix]/h/<binId>[/…]` into the server base and the bin id. */
function captureUrl(raw: string): Pick<ForwardArgs, 'server' | 'binId'> {
  const url = httpUrl(raw, 'the capture URL');
  const match = /^(.*?)\/h\/([^/]+)/.exec(url.pathname);
  if (!match || !isBinId(match[2])) fail(`"${raw}" is not a capture URL; it looks like http://127.0.0.1:8080/h/<binId>`);
  return { server: `${url.origin}${match![1]}`, binId: match![2]! };
}

function httpUrl(raw: string, what: string): URL {
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) fail(`${what} must be an http(s) URL (got "${raw}")`);
  return url!;
}

function timeout(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_TIMEOUT_MS) fail(`--timeout must be milliseconds from 1 to ${MAX_TIMEOUT_MS} (got "${raw}")`);
  return Number(raw);
}

function fail(message: string): never {
  throw new ForwardUsageError(message);
}
