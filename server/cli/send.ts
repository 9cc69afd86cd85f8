import { readFileSync } from 'node:fs';
import { dictionary } from '../../shared/safe-keys.js';
import { HttpError } from '../http-error.js';
import { parseSimulationInput } from '../simulator/input.js';
import { simulate, type SimulationResult } from '../simulator/simulate.js';

export const SEND_USAGE = [
  'Usage: hookscope send <receiver-url> --kind krea-job|langgraph-run|custom [options]',
  '',
  'Sends a realistic webhook to your receiver the way the real sender does (headers, retries,',
  'timeouts) and prints every attempt. Exits 0 when the receiver answered 2xx, 1 when it never',
  'did (usable in CI), 2 for a usage mistake. Runs on its own: no hookscope server needed.',
  '',
  '  --kind <kind>             krea-job, langgraph-run, or custom (with --body-file)',
  '  --state <state>           krea-job: completed|failed|cancelled; langgraph-run: success|error|interrupted|timeout',
  '  --flavor python|js        LangGraph server to imitate: python (3 tries, JSON) or js (1 try, text/plain)',
  '  --token <token>           add ?token=<token> (LangGraph echoes it in kwargs.webhook)',
  '  --secret <whsec_…>        sign with Standard Webhooks headers',
  '  --duplicate-after <ms>    deliver the same webhook again after <ms>',
  '  --set <pointer>=<json>    override a field, e.g. --set /status=\'"processing"\' (repeatable)',
  '  --body-file <file>        the JSON body for --kind custom',
  '  --time-scale <x>          shorten every wait and timeout (0.0001–1), e.g. for tests',
  '  --json                    print the whole result as JSON',
].join('\n');

/** `hookscope send …` (the words after "send"). */
export async function runSend(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) return console.log(SEND_USAGE);
  let input;
  let json = false;
  try {
    const parsed = parseSendArgs(argv);
    json = parsed.json;
    input = parseSimulationInput(parsed.body);
  } catch (error) {
    if (!(error instanceof HttpError || error instanceof UsageError)) throw error;
    console.error(`hookscope send: ${error.message} (hookscope send --help shows the usage)`);
    process.exitCode = 2;
    return;
  }
  // A local command run by its user: any target is theirs to reach, loopback included.
  const result = await simulate(input, { mode: 'open', allow: [] }).catch((error: unknown) => {
    if (!(error instanceof HttpError)) throw error;
    console.error(`hookscope send: ${error.message}`); // e.g. an override that JSON cannot hold
    process.exitCode = 2;
    return null;
  });
  if (!result) return;
  if (json) console.log(JSON.stringify(result, null, 2));
  else printResult(result);
  process.exitCode = result.delivered ? 0 : 1;
}

class UsageError extends Error {}

function parseSendArgs(argv: readonly string[]): { body: Record<string, unknown>; json: boolean } {
  const options: Record<string, unknown> = {};
  const body: Record<string, unknown> = { options };
  const overrides = dictionary<unknown>(); // keys are pointers typed by the user
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => argv[++i] ?? usage(`${arg} needs a value`);
    if (arg === '--kind') body.kind = value();
    else if (arg === '--state') body.state = value();
    else if (arg === '--flavor') options.flavor = value();
    else if (arg === '--token') options.token = value();
    else if (arg === '--secret') options.signingSecret = value();
    else if (arg === '--duplicate-after') options.duplicateAfterMs = Number(value());
    else if (arg === '--time-scale') options.timeScale = Number(value());
    else if (arg === '--body-file') options.body = readJson(value());
    else if (arg === '--set') {
      const [pointer, set] = parseOverride(value());
      overrides[pointer] = set;
    } else if (arg === '--json') json = true;
    else if (arg.startsWith('-')) usage(`${arg} is not a known option`);
    else if (body.target === undefined) body.target = arg;
    else usage(`unexpected argument "${arg}"`);
  }
  if (body.target === undefined) usage('give the receiver URL, e.g. http://localhost:3000/webhooks/krea');
  if (Object.keys(overrides).length > 0) options.overrides = overrides;
  return { body, json };
}

/** `/status="failed"` or `/status=failed` (a value that is not JSON is taken as a string). */
function parseOverride(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq < 0) usage(`--set takes <pointer>=<value>, e.g. /status=failed (got "${text}")`);
  const raw = text.slice(eq + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // a bare word: keep it as a string
  }
  return [text.slice(0, eq), value];
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return usage(`--body-file ${file}: ${(error as Error).message}`);
  }
}

function usage(message: string): never {
  throw new UsageError(message);
}

function printResult(result: SimulationResult): void {
  console.log(`${result.sender} → ${result.target} (${result.kind} ${result.state})`);
  for (const delivery of result.deliveries) {
    for (const attempt of delivery.attempts) {
      const outcome = attempt.status !== null ? `${attempt.status}` : `failed: ${attempt.error}`;
      const next = attempt.nextTryInMs !== undefined ? `, next try in ${attempt.nextTryInMs} ms` : '';
      console.log(`  ${delivery.label} delivery, try ${attempt.try}: ${outcome} in ${attempt.durationMs} ms${next}`);
    }
  }
  console.log(result.delivered ? 'delivered: the receiver answered 2xx' : 'NOT delivered: the receiver never answered 2xx');
}
