// Issue 11, item 5: one 16 KB JSON body nested 8000 deep used to overflow the stack of every
// reader that turned it back into JSON. Its raw bytes are kept and served; the parsed view is not
// built (a note says why) and every reader works: live push, /ws resync, the smee stream,
// `hookscope forward --replay-missed`, request detail, wait, NDJSON and HAR export, the checks.
import { describe, expect, it } from 'vitest';
import type { CapturedRequest } from '../shared/api-types.js';
import { MAX_JSON_DEPTH } from '../shared/json-depth.js';
import { Relay } from '../server/forward/relay.js';
import { AS_JSON, capture } from './helpers/capture.js';
import { eventually } from './helpers/eventually.js';
import { createBin, getJson, type TestServer } from './helpers/server.js';
import { useServerAndTarget, type TargetServer } from './helpers/target-server.js';
import { LiveClient } from './helpers/ws-client.js';

const DEEP_OBJECT = '{"a":'.repeat(8000) + '1' + '}'.repeat(8000); // 48 KB
const DEEP_ARRAY = '['.repeat(8000) + ']'.repeat(8000); // 16 KB: the payload
const AT_LIMIT = '{"a":'.repeat(MAX_JSON_DEPTH) + '"x"' + '}'.repeat(MAX_JSON_DEPTH);
const NOTE = `nested deeper than ${MAX_JSON_DEPTH} levels: shown as raw`;

let srv: TestServer;
let target: TargetServer;
useServerAndTarget((server, receiver) => ([srv, target] = [server, receiver]));

describe('a body nested 8000 deep', () => {
  it('is stored and served byte for byte, with the JSON view marked instead of built, in detail and wait', async () => {
    const bin = await createBin(srv.url);
    const first = await capture(bin.url, '{"before":true}', AS_JSON);
    const waiting = getJson<CapturedRequest>(`${srv.url}/api/bins/${bin.id}/requests/wait?after=${first}&timeout=10`);
    const id = await capture(bin.url, DEEP_ARRAY, AS_JSON);
    const waited = await waiting;
    expect(waited.status).toBe(200);
    expect(waited.body.id).toBe(id);
    expect(waited.body.jsonOmitted).toBe(NOTE);

    const detail = await getJson<CapturedRequest>(`${srv.url}/api/bins/${bin.id}/requests/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).not.toHaveProperty('json');
    expect(detail.body.jsonOmitted).toBe(NOTE);
    expect(detail.body.body).toEqual({ encoding: 'utf8', data: DEEP_ARRAY });
    const raw = await fetch(`${srv.url}/api/bins/${bin.id}/requests/${id}/body`);
    expect(Buffer.from(await raw.arrayBuffer()).toString()).toBe(DEEP_ARRAY);
  });

  it('reaches live subscribers, and a /ws resync across it completes instead of closing with 1011', async () => {
    const bin = await createBin(srv.url);
    const live = new LiveClient(srv.url, bin.id);
    await live.waitFor((m) => m[0]?.type === 'hello');
    const before = await capture(bin.url, '{"n":0}', AS_JSON);
    const deep = await capture(bin.url, DEEP_OBJECT, AS_JSON);
    const after = await capture(bin.url, '{"n":2}', AS_JSON);
    await live.waitFor(() => live.requestIds.length === 3);
    const pushed = live.messages.find((m) => m.type === 'request.created' && m.request.id === deep);
    expect(pushed?.type === 'request.created' && pushed.full?.jsonOmitted).toBe(NOTE);
    expect(pushed?.type === 'request.created' && pushed.full?.body.data).toBe(DEEP_OBJECT);
    live.close();

    const resync = new LiveClient(srv.url, bin.id, { after: before });
    await resync.waitFor(() => resync.requestIds.length === 2);
    expect(resync.requestIds).toEqual([deep, after]);
    expect(resync.messages[0]).toMatchObject({ type: 'hello', resync: 'complete' });
    const closed = Promise.race([resync.closed, new Promise((resolve) => setTimeout(() => resolve('still open'), 300))]);
    expect(await closed).toBe('still open');
    resync.close();
  });

  it('exports as NDJSON and HAR, every line and entry whole', async () => {
    const bin = await createBin(srv.url);
    await capture(bin.url, DEEP_ARRAY, AS_JSON);
    await capture(bin.url, '{"after":1}', AS_JSON);
    const ndjson = await fetch(`${srv.url}/api/bins/${bin.id}/export?format=ndjson`);
    expect(ndjson.status).toBe(200);
    const lines = (await ndjson.text())
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as CapturedRequest);
    expect(lines).toHaveLength(2);
    expect(lines[0]!.body.data).toBe(DEEP_ARRAY);
    expect(lines[0]!.jsonOmitted).toBe(NOTE);
    expect(lines[1]!.json).toEqual({ after: 1 });
    const har = await (await fetch(`${srv.url}/api/bins/${bin.id}/export?format=har`)).json();
    expect(har.log.entries.map((e: { request: { postData: { text: string } } }) => e.request.postData.text)).toEqual([DEEP_ARRAY, '{"after":1}']);
  });

  it('streams to smee clients as text, and the stream goes on', async () => {
    const bin = await createBin(srv.url);
    const first = await capture(bin.url, '{}', AS_JSON);
    const deep = await capture(bin.url, DEEP_ARRAY, AS_JSON);
    const last = await capture(bin.url, '{"last":true}', AS_JSON);
    const controller = new AbortController();
    const stream = await fetch(`${srv.url}/h/${bin.id}`, { headers: { accept: 'text/event-stream', 'last-event-id': first }, signal: controller.signal });
    const reader = stream.body!.getReader();
    let text = '';
    while (!text.includes(`id: ${last}\n`) || !text.endsWith('\n\n')) {
      const { value, done } = await reader.read();
      if (done) break; // the stream died: the assertions below say what was missing
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    const messages = [...text.matchAll(/^id: (\S+)\ndata: (.*)$/gm)].map(([, id, data]) => ({ id, message: JSON.parse(data!) }));
    expect(messages.map((m) => m.id)).toEqual([deep, last]);
    expect(messages[0]!.message.body).toBe(DEEP_ARRAY);
    expect(messages[1]!.message.body).toEqual({ last: true });
  });

  it('hookscope forward --replay-missed delivers it byte for byte, once, and goes on', async () => {
    const bin = await createBin(srv.url);
    await capture(`${bin.url}/deep`, DEEP_ARRAY, AS_JSON);
    await capture(`${bin.url}/then`, '{"then":1}', AS_JSON);
    const start = target.received.length;
    const lines: string[] = [];
    const relay = new Relay({
      server: srv.url,
      binId: bin.id,
      to: new URL(`${target.url}/relay`),
      replayMissed: true,
      pathForwarding: true,
      timeoutMs: 5000,
      accessToken: null,
      log: (l) => lines.push(l),
      warn: () => undefined,
      fatal: (m) => lines.push(`fatal: ${m}`),
    });
    relay.start();
    try {
      await target.waitFor(start + 2);
      await capture(`${bin.url}/live`, '{"live":1}', AS_JSON);
      await target.waitFor(start + 3);
      const got = target.received.slice(start);
      expect(got.map((r) => r.url)).toEqual(['/relay/deep', '/relay/then', '/relay/live']);
      expect(got[0]!.body.toString()).toBe(DEEP_ARRAY);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(target.received.length).toBe(start + 3); // no loop: nothing delivered twice
    } finally {
      await relay.stop();
    }
  });

  it('is checked as "check skipped: too deeply nested", whatever the schema choice, except none', async () => {
    for (const schema of ['auto', 'krea-job'] as const) {
      const bin = await createBin(srv.url, { schema });
      const id = await capture(bin.url, DEEP_OBJECT, AS_JSON);
      const { body } = await getJson<CapturedRequest>(`${srv.url}/api/bins/${bin.id}/requests/${id}`);
      expect(body.checks).toMatchObject({ valid: false, skipped: { reason: 'too_deep' }, errors: [] });
      expect(body.checks!.skipped!.message).toMatch(/^check skipped: too deeply nested/);
    }
    const off = await createBin(srv.url, { schema: 'none' });
    const id = await capture(off.url, DEEP_OBJECT, AS_JSON);
    const { body } = await getJson<CapturedRequest>(`${srv.url}/api/bins/${off.id}/requests/${id}`);
    expect(body.checks).toMatchObject({ schema: 'none', valid: true });
    expect(body.checks).not.toHaveProperty('skipped');
  });

  it(`still builds the view of a body nested exactly ${MAX_JSON_DEPTH} deep`, async () => {
    const bin = await createBin(srv.url);
    const id = await capture(bin.url, AT_LIMIT, AS_JSON);
    const { body } = await getJson<CapturedRequest>(`${srv.url}/api/bins/${bin.id}/requests/${id}`);
    expect(body).not.toHaveProperty('jsonOmitted');
    let node = body.json as Record<string, unknown>;
    for (let i = 1; i < MAX_JSON_DEPTH; i++) node = node.a as Record<string, unknown>;
    expect(node).toEqual({ a: 'x' });
    const deeper = await capture(bin.url, `[${AT_LIMIT}]`, AS_JSON);
    expect((await getJson<CapturedRequest>(`${srv.url}/api/bins/${bin.id}/requests/${deeper}`)).body.jsonOmitted).toBe(NOTE);
  });

  it('refuses an API body nested that deep with a 400, and brackets inside strings do not count', async () => {
    const deep = await fetch(`${srv.url}/api/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"schema":"auto","payload":${DEEP_ARRAY}}`,
    });
    expect(deep.status).toBe(400);
    expect((await deep.json()).error.message).toMatch(/deeper than 256 levels/);
    const inString = await fetch(`${srv.url}/api/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payload: { text: '['.repeat(10_000) } }),
    });
    expect(inString.status).toBe(200);
    const bin = await createBin(srv.url);
    const id = await capture(bin.url, JSON.stringify({ text: '{['.repeat(10_000), q: 'a\\"[[[' }), AS_JSON);
    await eventually(async () => (await getJson(`${srv.url}/api/bins/${bin.id}/requests/${id}`)).body.json?.text?.length === 20_000, 'the parsed view');
  });
});
