// Replay through the real API to a real target on 127.0.0.1: exact bytes and headers, signatures,
// edits, history, live push, the remembered target, and every way a target can fail.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../server/api/openapi.js';
import { verifyStandardWebhook } from '../server/checks/signature.js';
import type { Bin, ReplayAttempt, ReplaySummary } from '../shared/api-types.js';
import { capture, sendCapture } from './helpers/capture.js';
import { createBin, getJson, type TestServer } from './helpers/server.js';
import { freePort, startTarget, useServerAndTarget, type TargetServer } from './helpers/target-server.js';
import { bodyCases, expectedHeaders, signedHeaders, SIGNING_SECRET } from './helpers/webhook-bodies.js';
import { LiveClient } from './helpers/ws-client.js';

let srv: TestServer;
let target: TargetServer;
useServerAndTarget((server, receiver) => ([srv, target] = [server, receiver]));

const ajv = new Ajv2020({ strict: false });
addFormats.default(ajv);
ajv.addSchema(openApiDocument, 'openapi');
const matches = (name: string, value: unknown) => ajv.validate(`openapi#/components/schemas/${name}`, value) || ajv.errorsText();

async function replay(bin: Bin, requestId: string, input: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${srv.url}/api/bins/${bin.id}/requests/${requestId}/replay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  return { status: res.status, body: await res.json() };
}

describe('replay', () => {
  for (const { name, contentType, body } of bodyCases()) {
    it(`delivers ${name} byte for byte with method, query and headers, and the signature still verifies`, async () => {
      const bin = await createBin(srv.url);
      const headers = ['Content-Type', contentType, 'X-Custom', 'A', 'x-custom', 'b', ...signedHeaders(body)];
      const captured = await sendCapture(`${bin.url}/webhooks/krea?ignored=sub`, body, { method: 'PUT', rawHeaders: headers });
      expect(captured.status).toBe(200);
      const [id, sent] = [captured.id!, captured.sent!];
      const before = target.received.length;
      const { status, body: attempt } = await replay(bin, id, { target: `${target.url}/hook?x=1` });
      expect(status).toBe(200);
      expect(attempt).toMatchObject({
        trigger: 'replay',
        status: 200,
        method: 'PUT',
        target: `${target.url}/hook?x=1&ignored=sub`,
        body: { encoding: 'utf8', data: 'ok' },
      });
      expect(matches('ReplayAttempt', attempt)).toBe(true);
      const got = target.received[before]!;
      expect(got.method).toBe('PUT');
      expect(got.url).toBe('/hook?x=1&ignored=sub');
      expect(got.body.equals(body)).toBe(true);
      expect(got.rawHeaders).toEqual([...expectedHeaders(sent, `127.0.0.1:${target.port}`), 'Connection', 'close']);
      expect(verifyStandardWebhook({ secret: SIGNING_SECRET, headers: got.headers, body: got.body, now: Date.now() }).status).toBe('valid');
    });
  }

  it('appends the sub-path when asked, and applies edits (method, headers, body, query)', async () => {
    const bin = await createBin(srv.url);
    const id = await capture(`${bin.url}/a/b`, Buffer.from('original'), { rawHeaders: ['X-Keep', '1', 'X-Drop', '2', 'Content-Type', 'text/plain'] });
    const before = target.received.length;
    const edits = {
      target: `${target.url}/base/`,
      appendPath: true,
      method: 'PATCH',
      headers: { 'x-drop': null, 'X-New': 'yes' },
      body: Buffer.from([0xff, 0x00]).toString('base64'),
      bodyEncoding: 'base64',
      queryString: 'q=2',
    };
    const { body: attempt } = await replay(bin, id, edits);
    expect(attempt.modified).toEqual(['method', 'headers', 'body', 'queryString']);
    const got = target.received[before]!;
    expect(got.method).toBe('PATCH');
    expect(got.url).toBe('/base/a/b?q=2');
    expect(got.body).toEqual(Buffer.from([0xff, 0x00]));
    expect(got.headers['x-drop']).toBeUndefined();
    expect(got.headers['x-new']).toBe('yes');
    expect(got.headers['content-length']).toBe('2');
    const unchanged = await replay(bin, id, { method: 'POST', queryString: '' });
    expect(unchanged.body.modified).toBeUndefined();
  });

  it('records attempts on the request, pushes them live, and remembers the target per bin', async () => {
    const bin = await createBin(srv.url);
    const id = await capture(bin.url, Buffer.from('{}'), { rawHeaders: [] });
    const live = new LiveClient(srv.url, bin.id);
    await live.opened;
    await live.waitFor((m) => m.some((x) => x.type === 'hello'));
    const first = (await replay(bin, id, { target: `${target.url}/remembered` })).body as ReplayAttempt;
    await live.waitFor((m) => m.some((x) => x.type === 'request.replayed'));
    const pushed = live.messages.find((m) => m.type === 'request.replayed');
    expect(pushed).toMatchObject({ binId: bin.id, requestId: id, attempt: { id: first.id, status: 200 } });
    expect(live.messages.some((m) => m.type === 'bin.updated' && m.bin.replayTarget === `${target.url}/remembered`)).toBe(true);
    live.close();

    expect((await getJson(`${srv.url}/api/bins/${bin.id}`)).body.replayTarget).toBe(`${target.url}/remembered`);
    const second = (await replay(bin, id, {})).body as ReplayAttempt; // no target: the remembered one
    expect(second.target).toBe(`${target.url}/remembered`);
    const history = (await getJson(`${srv.url}/api/bins/${bin.id}/requests/${id}/replays`)).body;
    expect(history.replays.map((a: ReplayAttempt) => a.id)).toEqual([first.id, second.id]);
    const full = (await getJson(`${srv.url}/api/bins/${bin.id}/requests/${id}`)).body;
    expect(full.replays).toHaveLength(2);
    expect(matches('CapturedRequest', full)).toBe(true);
    // The list shows each request's latest delivery.
    const [row] = (await getJson(`${srv.url}/api/bins/${bin.id}/requests`)).body.requests;
    expect(row.lastReplay).toEqual({ at: second.at, trigger: 'replay', status: 200, target: `${target.url}/remembered` });
  });

  it('keeps only the newest 20 attempts', async () => {
    const bin = await createBin(srv.url);
    const id = await capture(bin.url, undefined, { rawHeaders: [] });
    for (let i = 0; i < 22; i++) await replay(bin, id, { target: target.url });
    expect((await getJson(`${srv.url}/api/bins/${bin.id}/requests/${id}/replays`)).body.replays).toHaveLength(20);
  });

  it('replays many in arrival order with a summary', async () => {
    const bin = await createBin(srv.url);
    const ids = [];
    for (const n of [1, 2, 3]) ids.push(await capture(`${bin.url}/n${n}`, Buffer.from(String(n)), { rawHeaders: [] }));
    const before = target.received.length;
    const res = await fetch(`${srv.url}/api/bins/${bin.id}/replay`, {
      headers: { 'content-type': 'application/json' },
      method: 'POST',
      body: JSON.stringify({ target: target.url, appendPath: true }),
    });
    const summary = (await res.json()) as ReplaySummary;
    expect(matches('ReplaySummary', summary)).toBe(true);
    expect(summary).toMatchObject({ total: 3, succeeded: 3, failed: 0, notFound: [] });
    expect(target.received.slice(before).map((r) => r.url)).toEqual(['/n1', '/n2', '/n3']);

    const missing = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
    const picked = await fetch(`${srv.url}/api/bins/${bin.id}/replay`, {
      headers: { 'content-type': 'application/json' },
      method: 'POST',
      body: JSON.stringify({ target: target.url, requestIds: [ids[2], missing, ids[0]] }),
    });
    const some = (await picked.json()) as ReplaySummary;
    expect(some.results.map((r) => r.requestId)).toEqual([ids[0], ids[2]]);
    expect(some.notFound).toEqual([missing]);
  });
});

describe('replay failures are attempts, never hookscope errors', () => {
  let bin: Bin;
  let id: string;
  beforeAll(async () => {
    bin = await createBin(srv.url);
    id = await capture(bin.url, Buffer.from('{"a":1}'), { rawHeaders: [] });
  });

  it('connection refused', async () => {
    const port = await freePort();
    const { status, body } = await replay(bin, id, { target: `http://localhost:${port}/x` });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: null, body: null, headers: [], error: `connection refused at localhost:${port}` });
    // A target that never answered does not become the bin's remembered one.
    expect((await getJson(`${srv.url}/api/bins/${bin.id}`)).body.replayTarget).not.toBe(`http://localhost:${port}/x`);
  });

  it('timeout', async () => {
    const hanging = await startTarget(() => 'hang');
    const started = Date.now();
    const { status, body } = await replay(bin, id, { target: hanging.url, timeoutMs: 300 });
    expect(status).toBe(200);
    expect(body.error).toBe('timed out after 0.3 s');
    expect(Date.now() - started).toBeLessThan(3000);
    await hanging.close();
  });

  it('DNS failure', async () => {
    const { status, body } = await replay(bin, id, { target: 'http://nosuchhost.invalid/hook' });
    expect(status).toBe(200);
    expect(body.error).toBe('DNS lookup failed for nosuchhost.invalid');
  });

  it('a 500 from the target is recorded with its body', async () => {
    const failing = await startTarget(() => ({ status: 500, headers: ['Content-Type', 'text/plain', 'X-Why', 'boom'], body: 'internal error' }));
    const { status, body } = await replay(bin, id, { target: failing.url });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 500, body: { encoding: 'utf8', data: 'internal error' }, size: 14 });
    expect(body.headers).toContainEqual(['X-Why', 'boom']);
    expect(body.error).toBeUndefined();
    await failing.close();
  });

  it('a huge response is kept up to 1 MB (16 KB in the stored history)', async () => {
    const huge = Buffer.alloc(2 * 1024 * 1024 + 5, 'a');
    const big = await startTarget(() => ({ status: 200, body: huge }));
    const { status, body } = await replay(bin, id, { target: big.url });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 200,
      size: huge.length,
      warning: 'target answered with more than 1 MB; kept the first 1 MB',
      body: { truncated: true },
    });
    expect(body.body.data).toHaveLength(1024 * 1024);
    const stored = (await getJson(`${srv.url}/api/bins/${bin.id}/requests/${id}/replays`)).body.replays.at(-1);
    expect(stored.id).toBe(body.id);
    expect(stored.body.data).toHaveLength(16 * 1024);
    await big.close();
  });

  it('a compressed answer is kept as sent and also decoded for reading (gzip, deflate, br)', async () => {
    const text = JSON.stringify({ ok: true, note: 'déjà vu '.repeat(50) });
    const codings = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync } as const;
    for (const [coding, compress] of Object.entries(codings)) {
      const wire = compress(Buffer.from(text));
      const compressing = await startTarget(() => ({ status: 200, headers: ['Content-Type', 'application/json', 'Content-Encoding', coding], body: wire }));
      const { body } = await replay(bin, id, { target: compressing.url });
      expect(Buffer.from(body.body.data, body.body.encoding).equals(wire)).toBe(true);
      expect(body).toMatchObject({ size: wire.length, decodedBody: { encoding: 'utf8', data: text } });
      expect(body.decodedBody.truncated).toBeUndefined();
      expect(matches('ReplayAttempt', body)).toBe(true);
      const stored = (await getJson(`${srv.url}/api/bins/${bin.id}/requests/${id}/replays`)).body.replays.at(-1);
      expect(stored.decodedBody).toEqual({ encoding: 'utf8', data: text });
      await compressing.close();
    }
  });

  it('a decompression bomb is decoded only up to 1 MB, and a broken encoding is a warning', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024)); // about 50 KB that inflate to 50 MB
    const bombing = await startTarget((_req, i) => ({ status: 200, headers: ['Content-Encoding', 'gzip'], body: i === 0 ? bomb : 'not gzip at all' }));
    const { body } = await replay(bin, id, { target: bombing.url });
    expect(body).toMatchObject({ size: bomb.length, decodedBody: { truncated: true } });
    expect(Buffer.from(body.decodedBody.data, body.decodedBody.encoding)).toHaveLength(1024 * 1024);
    const stored = (await getJson(`${srv.url}/api/bins/${bin.id}/requests/${id}/replays`)).body.replays.at(-1);
    expect(Buffer.from(stored.decodedBody.data, stored.decodedBody.encoding)).toHaveLength(16 * 1024);

    const { body: broken } = await replay(bin, id, { target: bombing.url });
    expect(broken.decodedBody).toBeUndefined();
    expect(broken.body).toEqual({ encoding: 'utf8', data: 'not gzip at all' });
    expect(broken.warning).toMatch(/^the gzip body could not be decoded past 0 bytes: /);
    await bombing.close();
  });

  it('bad input is a 400 naming the field', async () => {
    expect((await replay(bin, id, { target: 'ftp://x/' })).body.error.code).toBe('invalid_target');
    const noTarget = await createBin(srv.url);
    const other = await capture(noTarget.url, undefined, { rawHeaders: [] });
    expect((await replay(noTarget, other, {})).body.error.message).toMatch(/Give a "target"/);
    expect((await replay(bin, id, { target: target.url, headers: [['Bad Name', 'x']] })).status).toBe(400);
    expect((await replay(bin, id, { target: target.url, headers: { 'X-A': 'line\r\nbreak' } })).status).toBe(400);
    expect((await replay(bin, id, { target: target.url, timeoutMs: 0 })).body.error.code).toBe('invalid_timeout');
    expect((await replay(bin, id, { target: target.url, bogus: 1 })).body.error.message).toMatch(/Unknown field "bogus"/);
  });
});
