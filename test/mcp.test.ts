// The MCP server at /mcp (streamable HTTP) through the SDK's own client against a real server on
// 127.0.0.1: the agent loop (tools, capture, wait, verdict, replay to a local receiver,
// validation), resources, settings, the simulator, and the same guard as /api: 401 without
// credentials on a protected server, 403 for a foreign Host or Origin. Every address is loopback.
import { describe, expect, it } from 'vitest';
import { rawRequest } from './helpers/raw-http.js';
import { runAgentLoop } from './helpers/mcp-agent-loop.js';
import { callJson, callTool, connectHttp } from './helpers/mcp-client.js';
import { serversClosedAfterEach } from './helpers/server.js';
import { eventually } from './helpers/eventually.js';
import { startTarget } from './helpers/target-server.js';
import { openForFile } from './helpers/for-file.js';

const start = serversClosedAfterEach();
const TOKEN = 'mcp-test-access-token-0123456789';
const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
};
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** The JSON text of a resource read's first content. */
function resourceJson(read: { contents: ({ text: string } | { blob: string })[] }): any {
  const [first] = read.contents;
  if (!first || !('text' in first)) throw new Error('expected a text resource');
  return JSON.parse(first.text);
}

const target = await openForFile(() => startTarget());

describe('/mcp over streamable HTTP', () => {
  it('runs the agent loop: tools, create_bin, a Krea job waited for with its verdict, replay to a local receiver, validate_payload', async () => {
    const srv = await start();
    const client = await connectHttp(srv.url);
    await runAgentLoop(client, target);
    await client.close();
  }, 60_000); // several round trips (and child processes) on two shared cores

  it('gives read-only resources for a bin and a request', async () => {
    const srv = await start();
    const client = await connectHttp(srv.url);
    const bin = await callJson(client, 'create_bin', { name: 'resources' });
    const { id } = (await (await fetch(bin.url, { method: 'PUT', body: Buffer.from([0xff, 0x00, 0xfe]) })).json()) as { id: string };
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate).sort()).toEqual(['hookscope://bins/{binId}', 'hookscope://bins/{binId}/requests/{requestId}']);
    const { resources } = await client.listResources();
    expect(resources).toContainEqual(expect.objectContaining({ uri: `hookscope://bins/${bin.id}`, name: 'resources' }));

    const binResource = await client.readResource({ uri: `hookscope://bins/${bin.id}` });
    const binView = resourceJson(binResource);
    expect(binView.bin).toMatchObject({ id: bin.id, url: bin.url, requestCount: 1 });
    expect(binView.latestRequests.map((r: { id: string }) => r.id)).toEqual([id]);

    const request = await client.readResource({ uri: `hookscope://bins/${bin.id}/requests/${id}` });
    expect(request.contents[0]!.mimeType).toBe('application/json');
    expect(resourceJson(request)).toMatchObject({
      id,
      method: 'PUT',
      body: { encoding: 'base64', size: 3, truncated: false, data: Buffer.from([0xff, 0x00, 0xfe]).toString('base64') },
    });
    await expect(client.readResource({ uri: `hookscope://bins/${bin.id}/requests/01ARZ3NDEKTSV4RRFFQ69G5FAV` })).rejects.toThrow(
      /No request "01ARZ3NDEKTSV4RRFFQ69G5FAV" in this bin/,
    );
    await client.close();
  });

  it('update_bin changes settings and expected ids; send_test_webhook delivers a simulated LangGraph Run to the bin', async () => {
    const srv = await start();
    const client = await connectHttp(srv.url);
    const bin = await callJson(client, 'create_bin', { name: 'settings' });
    const updated = await callJson(client, 'update_bin', {
      binId: bin.id,
      schema: 'langgraph-run',
      token: 's3cret',
      expectedIds: ['1EF6A5B8-4457-6db0-8b15-cffd3797fa04'],
      responses: { default: { status: 202 } },
    });
    expect(updated).toMatchObject({ id: bin.id, schema: 'langgraph-run', token: 's3cret', expectedIdCount: 1 });
    const refused = await callTool(client, 'update_bin', { binId: bin.id, forward: { target: 'ftp://nowhere' } });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/forward/);
    expect(await callTool(client, 'update_bin', { binId: bin.id })).toEqual({ isError: true, text: expect.stringContaining('Give at least one setting') });

    const sent = await callJson(client, 'send_test_webhook', { target: `${bin.url}/hook`, kind: 'langgraph-run', state: 'error', token: 's3cret' });
    expect(sent).toMatchObject({
      kind: 'langgraph-run',
      state: 'error',
      delivered: true,
      deliveries: [{ label: 'first', delivered: true, attempts: [{ try: 1, status: 202 }] }],
    });
    const got = await callJson(client, 'wait_for_request', { binId: bin.id, after: 'start', timeoutSeconds: 5 });
    expect(got).toMatchObject({ path: '/hook', token: 'valid', answeredStatus: 202 });
    expect(got.verdict.schema).toBe('langgraph-run');
    expect(got.verdict.errors.map((e: { code: string }) => e.code)).toContain('id.unexpected'); // a fresh run id, not the expected one
    await client.close();
  });

  it('refuses arguments outside the input schema as a tool error, and the session goes on', async () => {
    const srv = await start();
    const client = await connectHttp(srv.url);
    const bin = await callJson(client, 'create_bin', {});
    const tooMany = await callTool(client, 'list_requests', { binId: bin.id, limit: 5000 });
    expect(tooMany.isError).toBe(true);
    expect(tooMany.text).toMatch(/limit/);
    expect(await callTool(client, 'validate_payload', { payloadJson: '{"status":' })).toEqual({
      isError: true,
      text: expect.stringContaining('payloadJson is not valid JSON'),
    });
    expect(await callTool(client, 'validate_payload', { payloadJson: `${'['.repeat(300)}${']'.repeat(300)}` })).toEqual({
      isError: true,
      text: expect.stringContaining('deeper than 256 levels'),
    });
    expect(await callTool(client, 'wait_for_request', { binId: bin.id, after: 'not-an-id', timeoutSeconds: 1 })).toEqual({
      isError: true,
      text: expect.stringContaining('is not a request id'),
    });
    expect((await callJson(client, 'list_requests', { binId: bin.id })).requests).toEqual([]);
    // A __proto__ key reaches the API as it was sent (and is refused there), not a prototype on the way.
    const hostile = await callTool(client, 'send_test_webhook', { target: `${target.url}/x`, kind: 'krea-job', overrides: JSON.parse('{"__proto__": "x"}') });
    expect(hostile).toEqual({ isError: true, text: expect.stringContaining('"options.overrides" key "__proto__" is not a JSON Pointer') });
    expect(target.received.filter((r) => r.url === '/x')).toEqual([]);
    await client.close();
  });

  it('hands out capture URLs under the host name the agent used', async () => {
    const srv = await start();
    const client = await connectHttp(srv.url.replace('127.0.0.1', 'localhost'));
    const bin = await callJson(client, 'create_bin', {});
    expect(bin.url).toBe(`${srv.url.replace('127.0.0.1', 'localhost')}/h/${bin.id}`);
    await client.close();
  });

  it('does not hold the shutdown for a wait_for_request in flight', async () => {
    const srv = await start();
    const client = await connectHttp(srv.url);
    const bin = await callJson(client, 'create_bin', {});
    const bus = srv.server.bus;
    const subscribe = bus.subscribe.bind(bus);
    let waiting = 0;
    bus.subscribe = (binId, listener) => (waiting++, subscribe(binId, listener)); // observed, not changed
    const call = callTool(client, 'wait_for_request', { binId: bin.id, timeoutSeconds: 50 }).catch((error: Error) => error);
    await eventually(() => waiting > 0, 'the wait to reach the API');
    const stopping = Date.now();
    await srv.stop();
    expect(Date.now() - stopping).toBeLessThan(20_000); // the wait would have held it 50 s
    expect(await call).toBeInstanceOf(Error); // the connection was closed under it
    await client.close();
  });

  it('answers GET and DELETE with 405: a stateless server has no stream and no session', async () => {
    const srv = await start();
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(`${srv.url}/mcp`, { method, headers: { accept: 'text/event-stream' } });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect((await res.json()).error.code).toBe('method_not_allowed');
    }
  });
});

describe('/mcp behind the same guard as /api', () => {
  it('answers 401 without credentials (or with wrong ones) on a protected server, and works with the access token', async () => {
    const srv = await start({ accessToken: TOKEN, assumePublic: true }, { log: () => {} });
    for (const headers of [MCP_HEADERS, { ...MCP_HEADERS, authorization: 'Bearer not-the-token-at-all-000000' }]) {
      const res = await fetch(`${srv.url}/mcp`, { method: 'POST', headers, body: JSON.stringify(INITIALIZE) });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="hookscope"');
      expect((await res.json()).error.code).toBe('unauthorized');
    }
    await expect(connectHttp(srv.url)).rejects.toThrow();

    const client = await connectHttp(srv.url, { authorization: `Bearer ${TOKEN}` });
    expect((await client.listTools()).tools).toHaveLength(9);
    const bin = await callJson(client, 'create_bin', { name: 'protected' });
    expect(bin.name).toBe('protected');
    expect((await callJson(client, 'list_bins')).bins.map((b: { id: string }) => b.id)).toEqual([bin.id]);
    // Public mode's strict target policy applies to tools as to the API: loopback targets are refused.
    const sent = await callTool(client, 'send_test_webhook', { target: `${target.url}/x`, kind: 'krea-job' });
    expect(sent.isError).toBe(true);
    expect(sent.text).toMatch(/--allow-forward-to/);
    await client.close();
  });

  it('refuses a foreign Origin and a Host that is not allowed, like /api', async () => {
    const srv = await start();
    const foreign = await fetch(`${srv.url}/mcp`, {
      method: 'POST',
      headers: { ...MCP_HEADERS, origin: 'http://evil.example' },
      body: JSON.stringify(INITIALIZE),
    });
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error.code).toBe('origin_not_allowed');
    const sameOrigin = await fetch(`${srv.url}/mcp`, { method: 'POST', headers: { ...MCP_HEADERS, origin: srv.url }, body: JSON.stringify(INITIALIZE) });
    expect(sameOrigin.status).toBe(200);

    const body = Buffer.from(JSON.stringify(INITIALIZE));
    const headers = (host: string) => [
      'Host',
      host,
      'Content-Type',
      'application/json',
      'Accept',
      'application/json, text/event-stream',
      'Content-Length',
      String(body.length),
    ];
    const rebound = await rawRequest(srv.url, { method: 'POST', path: '/mcp', headers: headers('evil.example'), body });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body.toString()).error.code).toBe('host_not_allowed');
    const api = await rawRequest(srv.url, { method: 'GET', path: '/api/bins', headers: ['Host', 'evil.example', 'Accept', 'application/json'] });
    expect(api.status).toBe(403);
    const loopbackName = await rawRequest(srv.url, { method: 'POST', path: '/mcp', headers: headers(`localhost:${new URL(srv.url).port}`), body });
    expect(loopbackName.status).toBe(200);
  });
});
