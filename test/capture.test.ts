import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedRequest } from '../shared/api-types.js';
import { rawRequest } from './helpers/raw-http.js';
import { createBin, getJson, startServer, type TestServer } from './helpers/server.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer({ maxBodySize: 1024 * 1024 });
});
afterAll(() => srv.close());

async function captured(binId: string, requestId: string): Promise<CapturedRequest> {
  const { status, body } = await getJson<CapturedRequest>(`${srv.url}/api/bins/${binId}/requests/${requestId}`);
  expect(status).toBe(200);
  return body;
}

async function rawBody(binId: string, requestId: string): Promise<Buffer> {
  const res = await fetch(`${srv.url}/api/bins/${binId}/requests/${requestId}/body`);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe('capture', () => {
  it('records every method, with the sub-path and the exact query', async () => {
    const bin = await createBin(srv.url);
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND']) {
      const res = await rawRequest(srv.url, { method, path: `/h/${bin.id}/webhooks/krea/${method.toLowerCase()}?x=1` });
      expect(res.status, method).toBe(200);
      const id = res.headers['x-hookscope-request-id'] as string;
      const request = await captured(bin.id, id);
      expect(request.method).toBe(method);
      expect(request.path).toBe(`/webhooks/krea/${method.toLowerCase()}`);
      expect(request.queryString).toBe('x=1');
      if (method !== 'HEAD') expect(JSON.parse(res.body.toString())).toEqual({ ok: true, id });
    }
  });

  it('keeps "" for no sub-path and a lone slash as sent', async () => {
    const bin = await createBin(srv.url);
    const a = await (await fetch(`${srv.url}/h/${bin.id}`, { method: 'POST' })).json();
    const b = await (await fetch(`${srv.url}/h/${bin.id}/`, { method: 'POST' })).json();
    expect((await captured(bin.id, a.id)).path).toBe('');
    expect((await captured(bin.id, b.id)).path).toBe('/');
  });

  it('keeps every value of repeated query keys and headers, and raw headers in order and case', async () => {
    const bin = await createBin(srv.url);
    const res = await rawRequest(srv.url, {
      method: 'POST',
      path: `/h/${bin.id}/x?tag=a&tag=b&tag=c&single=1&enc=a%20b%2Bc&plus=a+b&empty=`,
      headers: ['Host', 'hooks.test', 'X-Multi', 'one', 'X-Multi', 'two', 'X-Signature', 'v1,abc', 'Content-Type', 'text/plain'],
      body: 'hi',
    });
    const request = await captured(bin.id, res.headers['x-hookscope-request-id'] as string);
    expect(request.query).toEqual({ tag: ['a', 'b', 'c'], single: '1', enc: 'a b+c', plus: 'a b', empty: '' });
    expect(request.queryString).toBe('tag=a&tag=b&tag=c&single=1&enc=a%20b%2Bc&plus=a+b&empty=');
    expect(request.headers['x-multi']).toEqual(['one', 'two']);
    expect(request.headers['x-signature']).toBe('v1,abc');
    const names = request.rawHeaders.map(([name]) => name);
    expect(names.slice(0, 5)).toEqual(['Host', 'X-Multi', 'X-Multi', 'X-Signature', 'Content-Type']);
    expect(request.rawHeaders[2]).toEqual(['X-Multi', 'two']);
    expect(request.remoteAddress).toMatch(/127\.0\.0\.1/);
    expect(request.contentType).toBe('text/plain');
    expect(new Date(request.receivedAt).toISOString()).toBe(request.receivedAt);
  });

  it('returns UTF-8, invalid UTF-8 and binary bodies byte for byte', async () => {
    const bin = await createBin(srv.url);
    const bodies = {
      utf8: Buffer.from('{"prompt":"caf\\u00e9 \\/ ☕ 日本語","emoji":"🎉"}\n', 'utf8'),
      bom: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]),
      invalidUtf8: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
      binary: randomBytes(70_000), // above the inline limit: stored in its own file
      empty: Buffer.alloc(0),
    };
    for (const [name, bytes] of Object.entries(bodies)) {
      const res = await fetch(`${srv.url}/h/${bin.id}/${name}`, { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
      const { id } = await res.json();
      expect(Buffer.compare(await rawBody(bin.id, id), bytes), name).toBe(0);
      const request = await captured(bin.id, id);
      expect(request.size).toBe(bytes.length);
      expect(Buffer.compare(Buffer.from(request.body.data, request.body.encoding), bytes), name).toBe(0);
      if (name === 'invalidUtf8' || name === 'binary') expect(request.body.encoding).toBe('base64');
      else expect(request.body.encoding).toBe('utf8');
    }
  });

  it('parses JSON by content as well as by content type, and records malformed JSON with the error', async () => {
    const bin = await createBin(srv.url);
    const asText = await (
      await fetch(`${srv.url}/h/${bin.id}`, {
        method: 'POST',
        body: '{"run_id":"r1","status":"success"}',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
      })
    ).json();
    expect((await captured(bin.id, asText.id)).json).toEqual({ run_id: 'r1', status: 'success' });

    const broken = '{"job_id": "abc", "status": completed}';
    const bad = await fetch(`${srv.url}/h/${bin.id}`, { method: 'POST', body: broken, headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(200);
    const request = await captured(bin.id, (await bad.json()).id);
    expect(request.json).toBeUndefined();
    expect(request.jsonError).toMatch(/JSON|Unexpected/);
    expect(request.body).toEqual({ encoding: 'utf8', data: broken });
  });

  it('parses urlencoded forms', async () => {
    const bin = await createBin(srv.url);
    const res = await fetch(`${srv.url}/h/${bin.id}/slack`, {
      method: 'POST',
      body: 'payload=%7B%22a%22%3A1%7D&x=1&x=2',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const request = await captured(bin.id, (await res.json()).id);
    expect(request.form).toEqual({ payload: '{"a":1}', x: ['1', '2'] });
  });

  it('parses multipart bodies and serves each file part byte for byte', async () => {
    const bin = await createBin(srv.url);
    const file = randomBytes(5000);
    const form = new FormData();
    form.append('job_id', '550e8400-e29b-41d4-a716-446655440000');
    form.append('image', new Blob([file], { type: 'image/png' }), 'out.png');
    form.append('note', 'héllo');
    const res = await fetch(`${srv.url}/h/${bin.id}/upload`, { method: 'POST', body: form });
    const request = await captured(bin.id, (await res.json()).id);
    expect(request.parts).toEqual([
      { index: 0, name: 'job_id', contentType: 'text/plain', size: 36, value: '550e8400-e29b-41d4-a716-446655440000' },
      { index: 1, name: 'image', filename: 'out.png', contentType: 'image/png', size: 5000 },
      { index: 2, name: 'note', contentType: 'text/plain', size: 6, value: 'héllo' },
    ]);
    const part = await fetch(`${srv.url}/api/bins/${bin.id}/requests/${request.id}/parts/1?download`);
    expect(part.status).toBe(200);
    expect(part.headers.get('content-type')).toBe('image/png');
    expect(part.headers.get('content-disposition')).toMatch(/^attachment; filename="out.png"/);
    expect(Buffer.compare(Buffer.from(await part.arrayBuffer()), file)).toBe(0);
    expect((await fetch(`${srv.url}/api/bins/${bin.id}/requests/${request.id}/parts/7`)).status).toBe(404);
    // The raw body is still the exact multipart bytes.
    expect((await rawBody(bin.id, request.id)).length).toBe(request.size);
  });

  it('records a malformed multipart body with the parse error', async () => {
    const bin = await createBin(srv.url);
    const res = await fetch(`${srv.url}/h/${bin.id}`, { method: 'POST', body: '--nope\r\ngarbage', headers: { 'content-type': 'multipart/form-data' } });
    const request = await captured(bin.id, (await res.json()).id);
    expect(request.partsError).toMatch(/multipart/);
    expect(request.body.data).toBe('--nope\r\ngarbage');
  });

  it('records the query token as valid, invalid or missing, and with requireToken refuses but still records', async () => {
    const open = await createBin(srv.url, { token: 's3cret' });
    const strict = await createBin(srv.url, { token: 's3cret', requireToken: true });
    const none = await createBin(srv.url);
    const cases: [typeof open, string, number, string][] = [
      [open, '?token=s3cret', 200, 'valid'],
      [open, '?token=nope', 200, 'invalid'],
      [open, '', 200, 'missing'],
      [strict, '?token=s3cret', 200, 'valid'],
      [strict, '?token=nope', 401, 'invalid'],
      [strict, '?other=1', 401, 'missing'],
      [none, '?token=anything', 200, 'none'],
    ];
    for (const [bin, query, status, token] of cases) {
      const res = await fetch(`${srv.url}/h/${bin.id}/lg${query}`, { method: 'POST', body: '{}' });
      expect(res.status, `${query} on ${bin.name}`).toBe(status);
      const id = res.headers.get('x-hookscope-request-id')!;
      const request = await captured(bin.id, id);
      expect(request.token).toBe(token);
      if (status === 401) {
        const error = (await res.json()).error;
        expect(error.code).toBe(token === 'missing' ? 'token_missing' : 'token_invalid');
        expect(request.rejection).toMatchObject({ status: 401, code: error.code });
      } else expect(request.rejection).toBeUndefined();
    }
  });

  it('answers 404 for unknown and hostile bin ids and records nothing', async () => {
    const bin = await createBin(srv.url);
    const hostile = [
      '/h/6f1c0000-0000-4000-8000-000000000000',
      '/h/../../etc/passwd',
      '/h/..%2F..%2Fetc%2Fpasswd',
      `/h/${bin.id.toUpperCase()}`,
      `/h/${bin.id}%2F..%2F..%2Fbins.json`,
      `/h/${'a'.repeat(5000)}`,
      '/h/',
      '/h/%00',
    ];
    for (const path of hostile) {
      const res = await rawRequest(srv.url, { method: 'POST', path, body: 'x' });
      expect(res.status, path).toBe(404);
      const error = JSON.parse(res.body.toString());
      expect(error.error.code).toBe('bin_not_found');
      expect(error.error.message.length).toBeLessThan(300);
    }
    expect((await getJson(`${srv.url}/api/bins/${bin.id}`)).body.requestCount).toBe(0);
    for (const path of ['/api/bins/..%2F..%2Fetc', `/api/bins/${bin.id}/requests/..%2F..%2Fbins.json`, `/api/bins/${bin.id}/requests/${'Z'.repeat(26)}/body`]) {
      const res = await rawRequest(srv.url, { path });
      expect(res.status, path).toBe(404);
      expect(JSON.parse(res.body.toString()).error.code).toMatch(/not_found/);
    }
  });

  it('answers 413 as soon as an oversized body crosses the limit, records the refusal, and keeps serving', async () => {
    const bin = await createBin(srv.url);
    // Declared length over the limit: refused before reading.
    const declared = await rawRequest(srv.url, {
      method: 'POST',
      path: `/h/${bin.id}/big`,
      headers: { 'content-length': String(2 * 1024 * 1024) },
      body: Buffer.alloc(10),
    });
    expect(declared.status).toBe(413);
    // Chunked upload with no length: refused when the limit is crossed.
    const chunked = await streamUntilAnswered(`${srv.url}/h/${bin.id}/chunked`, 64 * 1024, 200);
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).error.code).toBe('body_too_large');
    expect(chunked.bytesSent).toBeLessThan(8 * 1024 * 1024);

    const after = await fetch(`${srv.url}/h/${bin.id}/after`, { method: 'POST', body: 'still here' });
    expect(after.status).toBe(200);
    const list = (await getJson(`${srv.url}/api/bins/${bin.id}/requests`)).body;
    const refused = list.requests.find((r: any) => r.path === '/chunked');
    expect(refused.rejection).toMatchObject({ status: 413, code: 'body_too_large' });
    expect(refused.size).toBe(0);
  });

  it('keeps all concurrent captures to one bin, in receivedAt order', async () => {
    const bin = await createBin(srv.url);
    const n = 200;
    const ids = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        fetch(`${srv.url}/h/${bin.id}/c`, { method: 'POST', body: JSON.stringify({ i }) })
          .then((r) => r.json())
          .then((b) => b.id as string),
      ),
    );
    const list = (await getJson(`${srv.url}/api/bins/${bin.id}/requests?limit=1000`)).body.requests as { id: string; receivedAt: string }[];
    expect(list).toHaveLength(n);
    expect(new Set(list.map((r) => r.id))).toEqual(new Set(ids));
    const times = list.map((r) => r.receivedAt).reverse();
    expect([...times].sort()).toEqual(times);
    const order = list.map((r) => r.id).reverse();
    expect([...order].sort()).toEqual(order);
  });
});

/** Streams `chunkSize` chunks without a Content-Length until the server answers or `maxChunks` are sent. */
function streamUntilAnswered(url: string, chunkSize: number, maxChunks: number): Promise<{ status: number; body: string; bytesSent: number }> {
  return import('node:http').then(
    (http) =>
      new Promise((resolve, reject) => {
        let bytesSent = 0;
        let answered = false;
        const req = http.request(url, { method: 'POST', headers: { 'transfer-encoding': 'chunked' }, agent: false }, (res) => {
          answered = true;
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, bytesSent }));
        });
        req.on('error', (error) => (answered ? undefined : reject(error)));
        const chunk = Buffer.alloc(chunkSize, 0x61);
        const pump = (i: number) => {
          if (answered || i >= maxChunks) return void req.end();
          bytesSent += chunk.length;
          req.write(chunk, () => setImmediate(() => pump(i + 1)));
        };
        pump(0);
      }),
  );
}
