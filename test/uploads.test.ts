import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../server/config.js';
import { eventually } from './helpers/eventually.js';
import { rawRequest } from './helpers/raw-http.js';
import { createBin, getJson, serversClosedAfterEach, type TestServer } from './helpers/server.js';

/** An upload that sends `first` now and the rest only when `finish()` is called. */
function heldUpload(url: string, body: Buffer, first: number, headers: http.OutgoingHttpHeaders = { 'content-length': String(body.length) }) {
  let release!: () => void;
  const answered = new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.write(body.subarray(0, first));
    release = () => req.end(body.subarray(first));
  });
  return { answered, finish: () => release() };
}

async function rawBody(srv: TestServer, binId: string, requestId: string): Promise<Buffer> {
  const res = await fetch(`${srv.url}/api/bins/${binId}/requests/${requestId}/body`);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** Byte-for-byte equality without a structural diff (slow on large buffers). */
function expectSameBytes(actual: Buffer, expected: Buffer): void {
  expect(actual.length).toBe(expected.length);
  expect(actual.equals(expected)).toBe(true);
}

const start = serversClosedAfterEach();

/** Posts `size` bytes of the value `fill` to `path`, all at once with a Content-Length. */
function postBytes(srv: TestServer, path: string, size: number, fill: number) {
  return rawRequest(srv.url, { method: 'POST', path, headers: { 'content-length': String(size) }, body: Buffer.alloc(size, fill) });
}

/** Waits until the server has taken `bytes` of its body budget (the upload's head has arrived). */
const budgetHeld = (srv: TestServer, bytes: number) => eventually(() => srv.server.bodyBudget.held >= bytes, `the body budget to reach ${bytes} bytes`);

/**
 * A server with a 1 MB body budget and a bin, and an upload of `body` to the bin's `path` that
 * holds its room: the first `sent` bytes are sent (and counted) and the rest wait for finish().
 */
async function budgetHeldByUpload(path: string, body: Buffer, sent: number) {
  const srv = await start({ maxBodyMemory: 1024 * 1024 });
  const bin = await createBin(srv.url);
  const upload = heldUpload(`${srv.url}/h/${bin.id}${path}`, body, sent);
  await budgetHeld(srv, body.length);
  return { srv, bin, body, upload };
}

describe('bodies in flight share a memory budget (--max-body-memory)', () => {
  it('refuses an upload that does not fit with 503 and Retry-After at once, records the refusal, and takes uploads again once room is free', async () => {
    const { srv, bin, body: big, upload: first } = await budgetHeldByUpload('/first', Buffer.alloc(800 * 1024, 7), 1000);

    const second = await postBytes(srv, `/h/${bin.id}/second`, 400 * 1024, 1);
    expect(second.status).toBe(503);
    expect(second.headers['retry-after']).toBe('5');
    const error = JSON.parse(second.body.toString()).error;
    expect(error.code).toBe('server_busy');
    expect(error.message).toContain('--max-body-memory');

    first.finish();
    const done = await first.answered;
    expect(done.status).toBe(200);
    expectSameBytes(await rawBody(srv, bin.id, JSON.parse(done.body).id), big);

    const third = await postBytes(srv, `/h/${bin.id}/third`, 400 * 1024, 3);
    expect(third.status).toBe(200);

    const list = (await getJson(`${srv.url}/api/bins/${bin.id}/requests`)).body.requests as {
      path: string;
      size: number;
      rejection?: { status: number; code: string };
    }[];
    const refused = list.find((r) => r.path === '/second')!;
    expect(refused.rejection).toMatchObject({ status: 503, code: 'server_busy' });
    expect(refused.size).toBe(0);
    expect(list.find((r) => r.path === '/third')!.rejection).toBeUndefined();
  });

  it('refuses a chunked upload when its chunks stop fitting, and keeps whole the one that holds the room', async () => {
    const { srv, bin, body: holder, upload: first } = await budgetHeldByUpload('/holder', Buffer.alloc(700 * 1024, 9), 10);
    // No Content-Length: the room is taken chunk by chunk, and runs out on the way.
    const chunked = heldUpload(`${srv.url}/h/${bin.id}/chunked`, Buffer.alloc(600 * 1024, 2), 600 * 1024, { 'transfer-encoding': 'chunked' });
    const refused = await chunked.answered;
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body).error.code).toBe('server_busy');
    first.finish();
    const kept = await first.answered;
    expect(kept.status).toBe(200);
    expectSameBytes(await rawBody(srv, bin.id, JSON.parse(kept.body).id), holder);
  });
});

describe('a body that stops arriving (--body-timeout)', () => {
  it('is given up with 408 after the idle time, recorded as refused, and the server goes on', async () => {
    const srv = await start({ bodyTimeoutMs: 300 });
    const bin = await createBin(srv.url);
    const started = Date.now();
    const stalled = heldUpload(`${srv.url}/h/${bin.id}/stalled`, Buffer.alloc(100, 1), 10);
    const answer = await stalled.answered;
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body).error.code).toBe('body_timeout');
    expect(Date.now() - started).toBeLessThan(5000);
    const list = (await getJson(`${srv.url}/api/bins/${bin.id}/requests`)).body.requests as { path: string; rejection?: { code: string } }[];
    expect(list.find((r) => r.path === '/stalled')!.rejection?.code).toBe('body_timeout');
    expect((await fetch(`${srv.url}/h/${bin.id}/after`, { method: 'POST', body: 'ok' })).status).toBe(200);
  });

  it('is not given up while it keeps arriving, however slowly overall', async () => {
    const srv = await start({ bodyTimeoutMs: 400 });
    const bin = await createBin(srv.url);
    const body = Buffer.from('0123456789');
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(`${srv.url}/h/${bin.id}/slow`, { method: 'POST', headers: { 'content-length': String(body.length) }, agent: false }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      let sent = 0;
      const tick = setInterval(() => {
        req.write(body.subarray(sent, sent + 1));
        if (++sent === body.length) {
          clearInterval(tick);
          req.end();
        }
      }, 150); // 1.5 s in all, never 400 ms without a byte
    });
    expect(answer.status).toBe(200);
    expectSameBytes(await rawBody(srv, bin.id, JSON.parse(answer.text).id), body);
  });
});

describe('header lines', () => {
  it('records every header line, however many (Node keeps only the first 1000 by default)', async () => {
    const srv = await start();
    const bin = await createBin(srv.url);
    const raw: string[] = [];
    for (let i = 0; i < 1500; i++) raw.push(`x-h${i}`, String(i));
    raw.push('X-Signature', 'sha256=last');
    const res = await rawRequest(srv.url, { method: 'POST', path: `/h/${bin.id}`, headers: raw, body: 'x' });
    expect(res.status).toBe(200);
    const record = (await getJson(`${srv.url}/api/bins/${bin.id}/requests/${JSON.parse(res.body.toString()).id}`)).body;
    const names = (record.rawHeaders as [string, string][]).map(([name]) => name);
    expect(names.filter((n) => n.startsWith('x-h'))).toHaveLength(1500);
    expect(record.rawHeaders).toContainEqual(['X-Signature', 'sha256=last']);
  });

  it('answers 431 to headers larger than the header size limit instead of dropping some', async () => {
    const srv = await start();
    const bin = await createBin(srv.url);
    const res = await rawRequest(srv.url, { method: 'POST', path: `/h/${bin.id}`, headers: { 'x-big': 'a'.repeat(20 * 1024) }, body: 'x' }).catch(
      (e: NodeJS.ErrnoException) => ({ status: e.code, headers: {}, body: Buffer.alloc(0) }),
    );
    expect(res.status).toBe(431);
  });
});

describe('budget options', () => {
  it('reads --max-body-memory and --body-timeout, with a one-line error for bad values', () => {
    const config = readConfig(['--max-body-memory', '64mb', '--body-timeout', '2m'], {});
    expect(config.maxBodyMemory).toBe(64 * 1024 * 1024);
    expect(config.bodyTimeoutMs).toBe(120_000);
    expect(readConfig(['--body-timeout', 'off'], {}).bodyTimeoutMs).toBeNull();
    expect(() => readConfig(['--max-body-memory', 'lots'], {})).toThrow(/--max-body-memory must be a size/);
    expect(() => readConfig([], { HOOKSCOPE_BODY_TIMEOUT: 'soon' })).toThrow(/HOOKSCOPE_BODY_TIMEOUT \(--body-timeout\) must be a duration/);
  });
});
