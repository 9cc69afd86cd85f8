import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { expect } from 'vitest';
import { LANGGRAPH_REFERENCE_EXAMPLE } from '../fixtures/payloads/langgraph.js';
import { KREA_REFERENCE_EXAMPLES } from '../fixtures/payloads/krea.js';
import { callJson, callTool } from './mcp-client.js';
import type { TargetServer } from './target-server.js';

export const TOOL_NAMES = [
  'create_bin',
  'get_request',
  'list_bins',
  'list_requests',
  'replay_request',
  'send_test_webhook',
  'update_bin',
  'validate_payload',
  'wait_for_request',
];

/**
 * The loop an agent runs, through the SDK's client, whatever the transport: list the tools,
 * create a bin, a Krea job captured with fetch, wait_for_request returns it with its verdict,
 * replay_request reaches a local receiver, validate_payload flags a broken LangGraph Run, and a
 * bad id is a tool error after which the session goes on. Returns the bin id.
 */
export async function runAgentLoop(client: Client, target: TargetServer): Promise<string> {
  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name).sort()).toEqual(TOOL_NAMES);
  for (const tool of tools) {
    expect(tool.description!.length).toBeGreaterThan(30);
    expect(tool.inputSchema.type).toBe('object');
  }
  expect(tools.find((tool) => tool.name === 'get_request')!.inputSchema.required).toEqual(['binId', 'requestId']);
  const updateInput = tools.find((tool) => tool.name === 'update_bin')!.inputSchema.properties as Record<string, { type?: unknown }>;
  expect([updateInput.responses!.type, updateInput.forward!.type]).toEqual(['object', ['object', 'null']]);

  const bin = await callJson(client, 'create_bin', { name: 'agent run', schema: 'krea-job' });
  expect(bin).toMatchObject({ name: 'agent run', schema: 'krea-job', requestCount: 0 });
  expect(bin.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/h\/[0-9a-f-]{36}$/);

  // The webhook comes before the agent asks for it: after "start" still finds it.
  const krea = KREA_REFERENCE_EXAMPLES.completed;
  const captured = await fetch(`${bin.url}/webhooks/krea`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: krea });
  expect(captured.status).toBe(200);
  const { id } = (await captured.json()) as { id: string };
  const got = await callJson(client, 'wait_for_request', { binId: bin.id, after: 'start', timeoutSeconds: 10 });
  expect(got).toMatchObject({
    id,
    method: 'POST',
    path: '/webhooks/krea',
    size: krea.length,
    body: { encoding: 'text', size: krea.length, truncated: false, data: krea },
  });
  expect(got.verdict).toMatchObject({ schema: 'krea-job', valid: true, errorCount: 0, errors: [] });
  expect(got.headers).toContainEqual(['content-type', 'application/json']);

  // Nothing newer yet: "none yet", not an error.
  const none = await callTool(client, 'wait_for_request', { binId: bin.id, after: id, timeoutSeconds: 1 });
  expect(none).toEqual({ isError: false, text: expect.stringMatching(/^none yet: no request newer than .+ arrived in 1 s/) });

  const listed = await callJson(client, 'list_requests', { binId: bin.id, q: 'method:POST' });
  expect(listed.requests.map((r: { id: string }) => r.id)).toEqual([id]);
  expect(listed.requests[0].verdict.valid).toBe(true);

  const cut = await callJson(client, 'get_request', { binId: bin.id, requestId: id, maxBodyBytes: 10 });
  expect(cut.body).toEqual({ encoding: 'text', size: krea.length, truncated: true, data: krea.slice(0, 10) });

  const before = target.received.length;
  const replay = await callJson(client, 'replay_request', { binId: bin.id, requestId: id, target: `${target.url}/local/webhook` });
  expect(replay).toMatchObject({ status: 200, method: 'POST', response: { encoding: 'text', data: 'ok', size: 2 } });
  await target.waitFor(before + 1);
  expect(target.received[before]!.url).toBe('/local/webhook');
  expect(target.received[before]!.body.toString()).toBe(krea);

  const broken = JSON.stringify({ ...JSON.parse(LANGGRAPH_REFERENCE_EXAMPLE), status: 'succeeded' });
  const flagged = await callJson(client, 'validate_payload', { schema: 'langgraph-run', payloadJson: broken });
  expect(flagged).toMatchObject({ schema: 'langgraph-run', valid: false });
  expect(flagged.errors).toContainEqual(expect.objectContaining({ code: 'schema.enum', path: '/status' }));
  const fine = await callJson(client, 'validate_payload', { payload: JSON.parse(LANGGRAPH_REFERENCE_EXAMPLE) });
  expect(fine).toMatchObject({ schema: 'langgraph-run', valid: true });
  const custom = { type: 'object', required: ['job_id'], properties: { job_id: { type: 'string' } } };
  const customVerdict = await callJson(client, 'validate_payload', { schema: { custom }, payload: { job_id: 7 } });
  expect(customVerdict).toMatchObject({ schema: 'custom', valid: false, errors: [expect.objectContaining({ path: '/job_id', code: 'schema.type' })] });

  // hookscope's own message as a tool error; the session goes on.
  const missing = await callTool(client, 'get_request', { binId: '7b3c1a52-9d1e-4c3f-8a2b-0e5f6a7b8c9d', requestId: id });
  expect(missing).toEqual({ isError: true, text: expect.stringContaining('No bin with id "7b3c1a52-9d1e-4c3f-8a2b-0e5f6a7b8c9d"') });
  const badId = await callTool(client, 'get_request', { binId: '../sends', requestId: id });
  expect(badId).toEqual({ isError: true, text: expect.stringContaining('is not a bin id') });
  expect((await callJson(client, 'list_bins')).bins.map((b: { id: string }) => b.id)).toContain(bin.id);
  return bin.id;
}
