import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN_ID_PATTERN } from '../shared/ids.js';
import { createBin, getJson, startServer, type TestServer } from './helpers/server.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(() => srv.close());

const send = (method: string, path: string, body?: unknown) =>
  fetch(`${srv.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('bins API', () => {
  it('creates a bin with an unguessable id and an absolute capture URL', async () => {
    const res = await send('POST', '/api/bins', { name: 'Krea staging', token: 's3cret', requireToken: true });
    expect(res.status).toBe(201);
    const bin = await res.json();
    expect(bin).toMatchObject({ name: 'Krea staging', token: 's3cret', requireToken: true, requestCount: 0 });
    expect(bin.id).toMatch(BIN_ID_PATTERN);
    expect(bin.url).toBe(`${srv.url}/h/${bin.id}`);
    expect(res.headers.get('location')).toBe(`/api/bins/${bin.id}`);
    expect(new Date(bin.createdAt).toISOString()).toBe(bin.createdAt);
    const ids = new Set((await Promise.all(Array.from({ length: 20 }, () => createBin(srv.url)))).map((b) => b.id));
    expect(ids.size).toBe(20);
  });

  it('defaults a name, no token, and accepts an empty body', async () => {
    const res = await fetch(`${srv.url}/api/bins`, { method: 'POST' });
    expect(res.status).toBe(201);
    const bin = await res.json();
    expect(bin.name).toMatch(/^Bin [0-9a-f]{8}$/);
    expect(bin.token).toBeNull();
    expect(bin.requireToken).toBe(false);
  });

  it('lists, gets, updates and deletes bins', async () => {
    const bin = await createBin(srv.url, { name: 'one' });
    const list = (await getJson(`${srv.url}/api/bins`)).body;
    expect(list.bins.map((b: { id: string }) => b.id)).toContain(bin.id);
    expect((await getJson(`${srv.url}/api/bins/${bin.id}`)).body).toEqual(bin);

    await fetch(`${bin.url}/x`, { method: 'POST', body: 'hi' });
    const patched = await send('PATCH', `/api/bins/${bin.id}`, { name: 'two', token: 'abc' });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id: bin.id, name: 'two', token: 'abc', requireToken: false, requestCount: 1 });
    expect((await send('PATCH', `/api/bins/${bin.id}`, { token: null })).status).toBe(200);
    expect((await getJson(`${srv.url}/api/bins/${bin.id}`)).body.token).toBeNull();

    expect((await send('DELETE', `/api/bins/${bin.id}`)).status).toBe(204);
    expect((await getJson(`${srv.url}/api/bins/${bin.id}`)).status).toBe(404);
    expect((await fetch(`${bin.url}/x`, { method: 'POST', body: 'hi' })).status).toBe(404);
    expect((await send('DELETE', `/api/bins/${bin.id}`)).status).toBe(404);
  });

  it('uses --public-url for capture URLs', async () => {
    const other = await startServer({ publicUrl: 'https://hooks.example.com' });
    try {
      const bin = await createBin(other.url);
      expect(bin.url).toBe(`https://hooks.example.com/h/${bin.id}`);
    } finally {
      await other.close();
    }
  });

  it('refuses invalid settings with a 400 that says what is wrong', async () => {
    const cases: [unknown, RegExp][] = [
      ['{not json', /not valid JSON/],
      ['[1,2]', /JSON object/],
      [{ name: 42 }, /"name"/],
      [{ name: 'x'.repeat(201) }, /"name"/],
      [{ token: '' }, /"token"/],
      [{ token: 'has space' }, /"token"/],
      [{ requireToken: 'yes' }, /"requireToken"/],
      [{ requireToken: true }, /needs a "token"/],
      [{ nmae: 'typo' }, /Unknown field "nmae"/],
    ];
    for (const [body, message] of cases) {
      const res = await send('POST', '/api/bins', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = await res.json();
      expect(error.error.message).toMatch(message);
      expect(typeof error.error.code).toBe('string');
    }
  });

  it('answers unknown routes and methods with JSON errors', async () => {
    const missing = await send('GET', '/api/nothing-here');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');
    const wrongMethod = await send('PUT', '/api/bins');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toMatch(/GET/);
    expect((await wrongMethod.json()).error.message).toMatch(/PUT is not supported/);
    const tooBig = await send('POST', '/api/bins', JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }));
    expect(tooBig.status).toBe(413);
  });
});
