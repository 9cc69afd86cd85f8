// Issue 11, item 2: no key a sender or an API caller chooses (a header name, a query key, a JSON
// key, a JSON Pointer segment) reaches an object prototype. Writes by pointer or untrusted key
// refuse __proto__, constructor and prototype with a 400 naming the segment; maps built from
// untrusted keys keep such names as plain keys. Everything runs against the real server, and
// Object.prototype is checked in this process, where the server runs.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { capture } from './helpers/capture.js';
import { runCli } from './helpers/child-server.js';
import { rawRequest } from './helpers/raw-http.js';
import { createBin, getJson, serversClosedAfterEach } from './helpers/server.js';
import { startTarget, type TargetServer } from './helpers/target-server.js';

const startServer = serversClosedAfterEach();
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

let target: TargetServer;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(() => target.close());
afterEach(() => {
  // Nothing in the server process may have added to (or replaced anything on) Object.prototype.
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
  expect(({} as Record<string, unknown>).forward).toBeUndefined();
});

/**
 * The attack came as text/plain from any web page; the perimeter (item 3) now refuses
 * that, so the request is sent as JSON here, to reach what it targeted behind the perimeter.
 */
function postJson(url: string, body: unknown) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string } };
  return { status: res.status, ...body.error };
}

describe('JSON Pointer writes (simulator overrides)', () => {
  it.each([
    ['/__proto__/forward', '__proto__'],
    ['/constructor/prototype/forward', 'constructor'],
    ['/result/prototype', 'prototype'],
  ])('refuses %s with a 400 naming "%s", and sends nothing', async (pointer, segment) => {
    const srv = await startServer();
    const sent = target.received.length;
    const res = await postJson(`${srv.url}/api/send`, {
      target: `${target.url}/hook`,
      kind: 'krea-job',
      options: { overrides: { [pointer]: { target: `${target.url}/stolen` } } },
    });
    const error = await errorOf(res);
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_simulation');
    expect(error.message).toContain(`"${segment}"`);
    expect(target.received.length).toBe(sent);
    // The original attack: every bin created afterwards forwarded its captures.
    const bin = await createBin(srv.url);
    expect(bin.forward).toBeNull();
  });

  it('answers 400, not 500, for writes JSON cannot hold: into a string, past the end of an array', async () => {
    const srv = await startServer();
    const send = (options: Record<string, unknown>) => postJson(`${srv.url}/api/send`, { target: `${target.url}/hook`, kind: 'custom', options });
    const intoString = await errorOf(await send({ body: 'just text', overrides: { '/a': 1 } }));
    expect(intoString).toMatchObject({ status: 400, code: 'invalid_simulation' });
    const sparse = await errorOf(await send({ body: { list: [1] }, overrides: { '/list/999999999': 1 } }));
    expect(sparse.status).toBe(400);
    expect(sparse.message).toMatch(/indexes an array of 1 items/);
    const length = await errorOf(await send({ body: { list: [1] }, overrides: { '/list/length': -1 } }));
    expect(length.status).toBe(400);
    // A well-formed override still works, appending included.
    const sent = target.received.length;
    const ok = await send({ body: { list: [1], __proto__x: true }, overrides: { '/list/1': 2, '/nested/deep': 'yes' } });
    expect(ok.status).toBe(200);
    await target.waitFor(sent + 1);
    expect(JSON.parse(target.received.at(-1)!.body.toString())).toEqual({ list: [1, 2], __proto__x: true, nested: { deep: 'yes' } });
  });

  it('hookscope send --set __proto__=… is refused as not a pointer, not silently dropped', async () => {
    const res = await runCli(['send', `${target.url}/hook`, '--kind', 'krea-job', '--set', '__proto__={"forward":1}']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/not a JSON Pointer/);
  });
});

describe('settings keyed by untrusted names', () => {
  it('refuses a scripted response header named constructor or __proto__', async () => {
    const srv = await startServer();
    const bin = await createBin(srv.url);
    for (const name of ['constructor', '__proto__', 'Prototype']) {
      const body = `{"responses":{"default":{"headers":{"${name}":"x"}}}}`; // raw text: a JS literal would eat __proto__
      const res = await fetch(`${srv.url}/api/bins/${bin.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body });
      const error = await errorOf(res);
      expect(error).toMatchObject({ status: 400, code: 'invalid_responses' });
      expect(error.message).toContain(`"${name}"`);
    }
  });

  it('refuses a replay header patch named __proto__ or constructor, and replays pairs with those names unchanged', async () => {
    const srv = await startServer();
    const bin = await createBin(srv.url);
    const id = await capture(bin.url, '{}', { rawHeaders: ['constructor', 'c1', '__proto__', 'p1'] });
    const replay = (body: string) =>
      fetch(`${srv.url}/api/bins/${bin.id}/requests/${id}/replay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    for (const name of ['__proto__', 'constructor']) {
      const error = await errorOf(await replay(`{"target":"${target.url}/r","headers":{"${name}":"x"}}`));
      expect(error).toMatchObject({ status: 400, code: 'invalid_replay' });
      expect(error.message).toContain(`"${name}"`);
    }
    const sent = target.received.length;
    const ok = await replay(`{"target":"${target.url}/r"}`);
    expect(ok.status).toBe(200);
    await target.waitFor(sent + 1);
    const got = target.received.at(-1)!;
    expect(got.rawHeaders).toEqual(expect.arrayContaining(['constructor', 'c1', '__proto__', 'p1']));
  });

  it('a rule matching a header named constructor matches only a request that sent one', async () => {
    const srv = await startServer();
    const bin = await createBin(srv.url, {
      responses: {
        default: {},
        rules: [{ id: 'r1', match: { header: { name: 'constructor' } }, response: { status: 418 } }],
        statusFromPath: false,
        cors: false,
      },
    });
    const without = await rawRequest(srv.url, { method: 'POST', path: `/h/${bin.id}`, headers: ['Content-Length', '0'] });
    expect(without.status).toBe(200);
    const withIt = await rawRequest(srv.url, { method: 'POST', path: `/h/${bin.id}`, headers: ['Constructor', 'yes', 'Content-Length', '0'] });
    expect(withIt.status).toBe(418);
  });
});

describe('maps built from what a sender chose', () => {
  it('keeps headers, query keys and JSON keys named like prototype members as plain keys', async () => {
    const srv = await startServer();
    const bin = await createBin(srv.url);
    const body = '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"toString":"t"}';
    const res = await rawRequest(srv.url, {
      method: 'POST',
      path: `/h/${bin.id}?__proto__=q1&constructor=q2&hasOwnProperty=q3`,
      headers: [
        '__proto__',
        'p1',
        'constructor',
        'c1',
        'toString',
        't1',
        'hasOwnProperty',
        'h1',
        'Content-Type',
        'application/json',
        'Content-Length',
        String(Buffer.byteLength(body)),
      ],
      body,
    });
    expect(res.status).toBe(200);
    const { id } = JSON.parse(res.body.toString());
    const text = await (await fetch(`${srv.url}/api/bins/${bin.id}/requests/${id}`)).text();
    const detail = JSON.parse(text);
    expect(Object.hasOwn(detail.headers, '__proto__') && detail.headers.__proto__).toBe('p1');
    expect(detail.headers.constructor).toBe('c1');
    expect(detail.headers.tostring).toBe('t1');
    expect(Object.hasOwn(detail.query, '__proto__') && detail.query.__proto__).toBe('q1');
    expect(detail.query.constructor).toBe('q2');
    expect(Object.hasOwn(detail.json, '__proto__')).toBe(true);
    expect(detail.json.__proto__).toEqual({ polluted: 1 });
    expect(detail.json.constructor).toEqual({ prototype: { polluted: 2 } });
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('the smee stream sends a header named constructor as its value, not as function Object()', async () => {
    const srv = await startServer();
    const bin = await createBin(srv.url);
    const after = await capture(bin.url, undefined, { rawHeaders: [] });
    await rawRequest(srv.url, {
      method: 'POST',
      path: `/h/${bin.id}`,
      headers: ['constructor', 'c1', 'Constructor', 'c2', '__proto__', 'p1', 'toString', 't1', 'Content-Type', 'application/json', 'Content-Length', '7'],
      body: '{"a":1}',
    });
    const controller = new AbortController();
    const stream = await fetch(`${srv.url}/h/${bin.id}`, { headers: { accept: 'text/event-stream', 'last-event-id': after }, signal: controller.signal });
    const reader = stream.body!.getReader();
    let text = '';
    while (!/\nid: .*\ndata: (.*)\n\n/.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended: ${text}`);
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    const message = JSON.parse(/\nid: .*\ndata: (.*)\n\n/.exec(text)![1]!);
    expect(message.constructor).toBe('c1, c2');
    expect(Object.hasOwn(message, '__proto__') && message.__proto__).toBe('p1');
    expect(message.tostring).toBe('t1');
    expect(message.body).toEqual({ a: 1 });
  });

  it('a target answering "Content-Encoding: constructor" is recorded as it is, not a 500', async () => {
    const srv = await startServer();
    const bin = await createBin(srv.url);
    const encoded = await startTarget(() => ({ status: 200, headers: ['Content-Encoding', 'constructor'], body: 'x' }));
    try {
      const id = await capture(bin.url, 'a', { rawHeaders: [] });
      const res = await fetch(`${srv.url}/api/bins/${bin.id}/requests/${id}/replay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ target: encoded.url }),
      });
      expect(res.status).toBe(200);
      const attempt = await res.json();
      expect(attempt.status).toBe(200);
      expect(attempt.decodedBody).toBeUndefined();
      expect((await getJson(`${srv.url}/api/bins/${bin.id}/requests/${id}/replays`)).body.replays).toHaveLength(1);
    } finally {
      await encoded.close();
    }
  });
});
