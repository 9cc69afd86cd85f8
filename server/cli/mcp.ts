import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { HookscopeApi } from '../mcp/api-client.js';
import { fetchTransport } from '../mcp/fetch-transport.js';
import { createMcpServer } from '../mcp/mcp-server.js';

export const MCP_USAGE = [
  'Usage: hookscope mcp --url <hookscope-url> [--access-token <token>]',
  '',
  "Serves hookscope's tools to an AI agent over stdio (Model Context Protocol): the agent can",
  'create capture URLs, wait for webhooks, read their verdicts, replay them and send test ones.',
  'The tools use the HTTP API of the hookscope at --url, local or remote.',
  '',
  '  --url <url>           the hookscope server, e.g. http://127.0.0.1:8080',
  '  --access-token <t>    its access token, when it has one (or env HOOKSCOPE_ACCESS_TOKEN)',
  '',
  'An MCP client runs it as: { "command": "npx", "args": ["hookscope", "mcp", "--url", "http://127.0.0.1:8080"] }',
  'stdout carries the protocol; messages go to stderr.',
].join('\n');

interface McpArgs {
  url: string;
  accessToken: string | null;
}

/** A usage mistake: printed with the usage hint, exit code 2. */
export class McpUsageError extends Error {}

/** Parses `hookscope mcp …` arguments (after the word mcp). Throws McpUsageError. */
export function parseMcpArgs(argv: readonly string[], env: Record<string, string | undefined> = {}): McpArgs {
  let url: string | undefined;
  let accessToken: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i] ?? fail(`${flag} needs a value`);
    if (flag === '--url') url = serverUrl(value());
    else if (flag === '--access-token') accessToken = value();
    else if (flag.startsWith('-')) fail(`${flag} is not a known option`);
    else fail(`unexpected argument "${flag}"`);
  }
  if (url === undefined) fail('--url <url> is required: the hookscope server, e.g. http://127.0.0.1:8080');
  return { url: url!, accessToken: accessToken ?? (env.HOOKSCOPE_ACCESS_TOKEN || null) };
}

/**
 * `hookscope mcp …`: an MCP server on stdin/stdout until stdin closes. Exit 2 for a usage
 * mistake. A server that cannot be reached is reported on stderr and by each tool, not fatal:
 * it may be started later.
 */
export async function runMcp(argv: readonly string[], env: Record<string, string | undefined> = {}): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) return console.log(MCP_USAGE);
  let args: McpArgs;
  try {
    args = parseMcpArgs(argv, env);
  } catch (error) {
    if (!(error instanceof McpUsageError)) throw error;
    console.error(`hookscope mcp: ${error.message} (hookscope mcp --help shows the usage)`);
    process.exitCode = 2;
    return;
  }
  const api = new HookscopeApi(fetchTransport(args.url, args.accessToken));
  await createMcpServer(api).connect(new StdioServerTransport());
  console.error(`hookscope mcp: serving the hookscope at ${args.url} over stdio`);
  await api.status().catch((error: Error) => console.error(`hookscope mcp: warning: ${error.message} Each tool will say so until this is fixed.`));
}

/** An http(s) URL without query or fragment; a trailing slash is dropped. */
function serverUrl(raw: string): string {
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash)
    fail(`--url must be the http(s) URL of a hookscope server, e.g. http://127.0.0.1:8080 (got "${raw}")`);
  return `${url!.origin}${url!.pathname.replace(/\/+$/, '')}`;
}

function fail(message: string): never {
  throw new McpUsageError(message);
}
