// `hookscope mcp` as a real child process (the built CLI) driven by the SDK's own stdio client,
// against a real server on 127.0.0.1 started first on port 0: the agent loop, a protected
// server (token by flag or environment; without it each tool says 401 and the session goes on),
// a server that is not there, and usage mistakes (exit 2).
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/child-server.js';
import { runAgentLoop } from './helpers/mcp-agent-loop.js';
import { callJson, callTool, connectStdio } from './helpers/mcp-client.js';
import { serversClosedAfterEach } from './helpers/server.js';
import { eventually } from './helpers/eventually.js';
import { freePort, startTarget } from './helpers/target-server.js';
import { openForFile } from './helpers/for-file.js';

const start = serversClosedAfterEach();
const TOKEN = 'mcp-stdio-access-token-0123456789';

const target = await openForFile(() => startTarget());

describe('hookscope mcp (stdio)', () => {
  it('runs the agent loop against a running hookscope over its HTTP API', async () => {
    const srv = await start();
    const { client, stderr } = await connectStdio(['--url', srv.url]);
    await runAgentLoop(client, target);
    await eventually(() => stderr().includes(`hookscope mcp: serving the hookscope at ${srv.url} over stdio`), 'the start line on stderr');
    await client.close();
  }, 60_000); // several round trips (and child processes) on two shared cores

  it('uses the access token of a protected server, from --access-token or HOOKSCOPE_ACCESS_TOKEN', async () => {
    const srv = await start({ accessToken: TOKEN, assumePublic: true }, { log: () => {} });
    for (const [args, env] of [
      [['--url', srv.url, '--access-token', TOKEN], {}],
      [['--url', srv.url], { HOOKSCOPE_ACCESS_TOKEN: TOKEN }],
    ] as const) {
      const { client } = await connectStdio([...args], env);
      const bin = await callJson(client, 'create_bin', { name: 'remote' });
      expect((await callJson(client, 'list_bins')).bins.map((b: { id: string }) => b.id)).toContain(bin.id);
      await client.close();
    }
  }, 60_000); // several round trips (and child processes) on two shared cores

  it("without the token, each tool answers 401 with hookscope's message and the session goes on", async () => {
    const srv = await start({ accessToken: TOKEN, assumePublic: true }, { log: () => {} });
    const { client, stderr } = await connectStdio(['--url', srv.url]);
    for (let i = 0; i < 2; i++) {
      const refused = await callTool(client, 'list_bins');
      expect(refused).toEqual({ isError: true, text: expect.stringMatching(/This hookscope needs an access token.*\(unauthorized, HTTP 401\)$/) });
    }
    await eventually(() => /hookscope mcp: warning: This hookscope needs an access token/.test(stderr()), 'the warning on stderr');
    await client.close();
  });

  it('reports a server that cannot be reached as a tool error, not a crash', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const { client } = await connectStdio(['--url', url]);
    const first = await callTool(client, 'create_bin', {});
    expect(first).toEqual({ isError: true, text: expect.stringContaining(`Cannot reach hookscope at ${url}`) });
    expect((await client.listTools()).tools).toHaveLength(9); // still serving
    await client.close();
  });

  it('exits 2 with a one-line message for a usage mistake', async () => {
    for (const [args, message] of [
      [[], '--url <url> is required'],
      [['--url', 'ftp://x'], '--url must be the http(s) URL of a hookscope server'],
      [['--url', 'http://127.0.0.1:1', '--verbose'], '--verbose is not a known option'],
    ] as const) {
      const { code, stderr, stdout } = await runCli(['mcp', ...args]);
      expect(code).toBe(2);
      expect(stderr).toContain(`hookscope mcp: ${message}`);
      expect(stdout).toBe('');
    }
    const help = await runCli(['mcp', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: hookscope mcp --url <hookscope-url>');
  }, 60_000); // several round trips (and child processes) on two shared cores
});
