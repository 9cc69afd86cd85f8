// smee.io compatibility: the real smee-client package, pointed at a hookscope capture URL,
// forwards a captured webhook to a local target; the stream resumes from Last-Event-ID.
import http from 'node:http';
import SmeeClient from 'smee-client';
import { describe, expect, it } from 'vitest';
import { verifyStandardWebhook } from '../server/checks/signature.js';
import { capture } from './helpers/capture.js';
import { eventually } from './helpers/eventually.js';
import { createBin, getJson, type TestServer } from './helpers/server.js';
import { useServerAndTarget, type TargetServer } from './helpers/target-server.js';
import { signedHeaders, SIGNING_SECRET } from './helpers/webhook-bodies.js';

let srv: TestServer;
let target: TargetServer;
useServerAndTarget((server, receiver) => ([srv, target] = [server, receiver]));

/** Reads an SSE response until `until` holds over the text received, then hangs up. */
function readStream(url: string, headers: Record<string, string>, until: (text: string) => boolean): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (until(text)) {
          req.destroy();
          resolve({ status: res.statusCode!, text });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', (error) => (error.message === 'socket hang up' ? undefined : reject(error)));
  });
}

describe('smee-client against a hookscope capture URL', () => {
  it('forwards a captured JSON webhook (re-serialised, as smee-client always does)', async () => {
    const bin = await createBin(srv.url);
    const logs: string[] = [];
    const logger = { info: (...args: unknown[]) => logs.push(args.join(' ')), error: (...args: unknown[]) => logs.push(`error: ${args.join(' ')}`) };
    const smee = new SmeeClient({ source: bin.url, target: `${target.url}/github`, logger });
    await smee.start();
    const body = Buffer.from('{"action":"opened","url":"https:\\/\\/github.com\\/o\\/r","title":"caf\\u00e9"}');
    const before = target.received.length;
    const res = await fetch(`${bin.url}?installation=42`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-github-event': 'issues', ...pairsToObject(signedHeaders(body)) },
    });
    expect(res.status).toBe(200);
    await target.waitFor(before + 1);
    const got = target.received[before]!;
    expect(got.method).toBe('POST');
    expect(got.url).toBe('/github?installation=42');
    expect(got.headers['x-github-event']).toBe('issues');
    expect(got.headers['content-type']).toBe('application/json');
    expect(JSON.parse(got.body.toString())).toEqual(JSON.parse(body.toString()));
    // smee-client re-serialises the JSON: the bytes differ and the signature no longer verifies,
    // which is why hookscope forward exists.
    expect(got.body.equals(body)).toBe(false);
    expect(verifyStandardWebhook({ secret: SIGNING_SECRET, headers: got.headers, body: got.body, now: Date.now() }).status).toBe('invalid');
    await eventually(() => logs.some((line) => line.includes(' - 200')), 'smee-client to log the delivery');
    await smee.stop();
  });
});

describe('the event stream', () => {
  it("sends smee.io's ready event, then resumes after Last-Event-ID with the missed requests", async () => {
    const bin = await createBin(srv.url);
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push(await capture(`${bin.url}?n=${n}`, `{"n":${n}}`, { headers: { 'x-n': String(n) } }));
    const { status, text } = await readStream(bin.url, { 'last-event-id': ids[0]! }, (t) => t.includes(`id: ${ids[2]}`) && t.endsWith('\n\n'));
    expect(status).toBe(200);
    expect(text.startsWith('event: ready\ndata: {}\n\n')).toBe(true);
    const messages = text.split('\n\n').filter((block) => block.startsWith('id: '));
    expect(messages.map((block) => block.split('\n')[0])).toEqual([`id: ${ids[1]}`, `id: ${ids[2]}`]);
    const data = JSON.parse(messages[0]!.split('\n')[1]!.slice('data: '.length));
    expect(data).toMatchObject({ 'x-n': '2', body: { n: 2 }, query: { n: '2' } });
    expect(typeof data.timestamp).toBe('number');
  });

  it('resumes only after an id the bin holds: a made-up Last-Event-ID (all zeros) replays no history', async () => {
    const bin = await createBin(srv.url);
    for (const n of [1, 2]) expect((await fetch(bin.url, { method: 'POST', body: `{"old":${n}}` })).status).toBe(200);
    let fresh = '';
    let seen = '';
    const stream = readStream(bin.url, { 'last-event-id': '0'.repeat(26) }, (t) => {
      seen = t;
      return fresh !== '' && t.includes(`id: ${fresh}`) && t.endsWith('\n\n');
    });
    await eventually(() => seen.includes('event: ready'), 'the ready event');
    await new Promise((r) => setTimeout(r, 300)); // room for any history to follow the ready event
    fresh = await capture(bin.url, '{"new":true}');
    const { text } = await stream;
    const messages = text.split('\n\n').filter((block) => block.startsWith('id: '));
    expect(messages.map((block) => block.split('\n')[0])).toEqual([`id: ${fresh}`]);
  });

  it('is not recorded as a capture; an unknown bin is a 404; a plain GET is still captured', async () => {
    const bin = await createBin(srv.url);
    const stream = await readStream(bin.url, {}, (t) => t.includes('event: ready'));
    expect(stream.status).toBe(200);
    expect((await getJson(`${srv.url}/api/bins/${bin.id}`)).body.requestCount).toBe(0);
    expect((await readStream(`${srv.url}/h/00000000-0000-4000-8000-000000000000`, {}, () => false)).status).toBe(404);
    expect((await fetch(bin.url)).status).toBe(200);
    expect((await getJson(`${srv.url}/api/bins/${bin.id}`)).body.requestCount).toBe(1);
  });
});

function pairsToObject(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < pairs.length; i += 2) out[pairs[i]!] = pairs[i + 1]!;
  return out;
}
