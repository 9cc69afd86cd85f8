// Scripted responses through the real capture path: what the sender receives, and what is
// recorded about it with each captured request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sequenceStep } from '../server/responses/script.js';
import { globToRegExp } from '../shared/responses/match.js';
import { createBin, getJson, startServer, type TestServer } from './helpers/server.js';

let srv: TestServer;
beforeAll(async () => {
  // A fixed sequence of "random" numbers makes failure rates exact in tests.
  let i = 0;
  srv = await startServer({}, { random: () => [0.1, 0.5, 0.9, 0.25, 0.75][i++ % 5]! });
});
afterAll(() => srv.close());

const patch = (binId: string, body: unknown) =>
  fetch(`${srv.url}/api/bins/${binId}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function binWith(responses: unknown) {
  const bin = await createBin(srv.url);
  const res = await patch(bin.id, { responses });
  expect(res.status, await res.clone().text()).toBe(200);
  return bin;
}

async function hit(binId: string, options: { method?: string; path?: string; body?: string; headers?: Record<string, string> } = {}) {
  const started = Date.now();
  const res = await fetch(`${srv.url}/h/${binId}${options.path ?? ''}`, { method: options.method ?? 'POST', body: options.body, headers: options.headers });
  const text = await res.text();
  const id = res.headers.get('x-hookscope-request-id');
  const recorded = id ? (await getJson(`${srv.url}/api/bins/${binId}/requests/${id}`)).body : undefined;
  return { status: res.status, headers: res.headers, text, ms: Date.now() - started, recorded };
}

describe('default response', () => {
  it('answers with the configured status, headers, body and content type, and records it', async () => {
    const bin = await binWith({ default: { status: 202, headers: { 'x-receiver': 'hookscope-test' }, body: '<ok/>', contentType: 'application/xml' } });
    const res = await hit(bin.id, { body: '{}' });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-receiver')).toBe('hookscope-test');
    expect(res.headers.get('content-type')).toBe('application/xml');
    expect(res.text).toBe('<ok/>');
    expect(res.recorded.response).toEqual({ status: 202, delayMs: 0, headers: expect.objectContaining({ 'x-receiver': 'hookscope-test' }), bodySize: 5 });
  });

  it("keeps hookscope's own JSON answer when no body is set", async () => {
    const bin = await binWith({ default: { status: 503 } });
    const res = await hit(bin.id);
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text)).toMatchObject({ id: res.recorded.id });
  });

  it('waits at least the configured delay', async () => {
    const bin = await binWith({ default: { delayMs: 400 } });
    const res = await hit(bin.id);
    expect(res.status).toBe(200);
    expect(res.ms).toBeGreaterThanOrEqual(390);
    expect(res.recorded.response.delayMs).toBe(400);
  });

  it('answers CORS preflights and adds CORS headers when enabled', async () => {
    const bin = await binWith({ cors: true });
    const preflight = await hit(bin.id, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-sig' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type,x-sig');
    expect(preflight.recorded.response.ruleId).toBe('cors-preflight');
    const post = await hit(bin.id, { headers: { origin: 'https://app.example' }, body: '{}' });
    expect(post.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const plain = await hit((await binWith({})).id, { headers: { origin: 'https://app.example' } });
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('rules', () => {
  it('match on method, sub-path glob, header and JSON field; first match wins', async () => {
    const bin = await binWith({
      rules: [
        { id: 'get', match: { methods: ['GET'] }, response: { status: 405 } },
        { id: 'krea', match: { path: '/webhooks/*/krea' }, response: { status: 201 } },
        { id: 'deep', match: { path: '/deep/**' }, response: { status: 202 } },
        { id: 'signed', match: { header: { name: 'X-Signature' } }, response: { status: 401 } },
        { id: 'failed', name: 'failed jobs', match: { json: { pointer: '/status', equals: 'failed' } }, response: { status: 500, body: 'boom' } },
      ],
    });
    expect((await hit(bin.id, { method: 'GET', path: '/webhooks/a/krea' })).status).toBe(405);
    expect((await hit(bin.id, { path: '/webhooks/a/krea' })).status).toBe(201);
    expect((await hit(bin.id, { path: '/webhooks/a/b/krea' })).status).toBe(200); // * stays in one segment
    expect((await hit(bin.id, { path: '/deep/a/b/c' })).status).toBe(202);
    expect((await hit(bin.id, { headers: { 'x-signature': 'v1' } })).status).toBe(401);
    const failed = await hit(bin.id, { body: '{"job_id":"j","status":"failed"}' });
    expect(failed.status).toBe(500);
    expect(failed.text).toBe('boom');
    expect(failed.recorded.response).toMatchObject({ status: 500, ruleId: 'failed', ruleName: 'failed jobs' });
    expect((await hit(bin.id, { body: '{"status":"completed"}' })).recorded.response.ruleId).toBeUndefined();
  });

  it('play sequences over consecutive requests, then keep the last step (or loop)', async () => {
    const bin = await binWith({
      rules: [
        { id: 'flaky', match: { path: '/flaky' }, sequence: { steps: [{ response: { status: 503 }, times: 2 }, { response: { status: 200 } }] } },
        { id: 'loop', match: { path: '/loop' }, sequence: { steps: [{ response: { status: 429 } }, { response: { status: 204 } }], loop: true } },
      ],
    });
    const flaky = [];
    for (let i = 0; i < 4; i++) flaky.push((await hit(bin.id, { path: '/flaky' })).status);
    expect(flaky).toEqual([503, 503, 200, 200]);
    const loop = [];
    for (let i = 0; i < 4; i++) loop.push((await hit(bin.id, { path: '/loop' })).status);
    expect(loop).toEqual([429, 204, 429, 204]);
    // Saving the settings starts sequences over.
    await patch(bin.id, { name: 'renamed' });
    expect((await hit(bin.id, { path: '/flaky' })).recorded.response).toMatchObject({ status: 503, step: 0 });
  });

  it('delays one step of a sequence (the 2nd request), not the others', async () => {
    const bin = await binWith({
      rules: [{ id: 'slow2nd', match: {}, sequence: { steps: [{ response: {} }, { response: { delayMs: 500 } }, { response: {} }] } }],
    });
    const times = [];
    for (let i = 0; i < 3; i++) times.push((await hit(bin.id)).ms);
    expect(times[1]).toBeGreaterThanOrEqual(490);
    expect(times[0]).toBeLessThan(400);
    expect(times[2]).toBeLessThan(400);
  });

  it('fail a share of requests', async () => {
    const bin = await binWith({ rules: [{ id: 'rate', match: {}, failRate: { percent: 30, response: { status: 500 } } }] });
    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push((await hit(bin.id)).status);
    // random() cycles 0.1, 0.5, 0.9, 0.25, 0.75: below 0.30 fails.
    expect(statuses).toEqual([500, 200, 200, 500, 200, 500, 200, 200, 500, 200]);
  });

  it('answer a trailing status in the path when enabled', async () => {
    const bin = await binWith({ statusFromPath: true });
    expect((await hit(bin.id, { path: '/503' })).status).toBe(503);
    expect((await hit(bin.id, { path: '/hooks/404' })).recorded.response).toMatchObject({ status: 404, ruleId: 'path-status' });
    expect((await hit(bin.id, { path: '/hooks/1234' })).status).toBe(200);
    const off = await binWith({});
    expect((await hit(off.id, { path: '/503' })).status).toBe(200);
  });

  it('never override a token refusal', async () => {
    const bin = await createBin(srv.url, { token: 't', requireToken: true });
    await patch(bin.id, { responses: { default: { status: 202 } } });
    expect((await hit(bin.id)).status).toBe(401);
    expect((await hit(bin.id, { path: '?token=t' })).status).toBe(202);
  });

  it("answer at once when a rule sets no delay, not after the default's; the default's delay stays with the default answer", async () => {
    const bin = await binWith({
      default: { delayMs: 1500 },
      statusFromPath: true,
      rules: [
        { id: 'fast', match: { path: '/fast' }, response: { status: 202 } },
        { id: 'step', match: { path: '/step' }, sequence: { steps: [{ response: { status: 503 } }] } },
        { id: 'never', match: { path: '/rate' }, failRate: { percent: 0, response: { status: 500 } } },
      ],
    });
    // Saved as sent: an empty delay is not stored as a value.
    const { body: saved } = await getJson(`${srv.url}/api/bins/${bin.id}`);
    expect(saved.responses.rules[0].response).toEqual({ status: 202 });
    // In parallel, so the three default-delayed answers cost one wait; the margins are wide (timing under load).
    const [fast, step, rate, pathStatus, unmatched] = await Promise.all(
      ['/fast', '/step', '/rate', '/hooks/404', '/other'].map((path) => hit(bin.id, { path })),
    );
    expect([fast!.status, step!.status, rate!.status, pathStatus!.status, unmatched!.status]).toEqual([202, 503, 200, 404, 200]);
    expect(fast!.ms).toBeLessThan(1000);
    expect(step!.ms).toBeLessThan(1000);
    expect([fast!.recorded.response.delayMs, step!.recorded.response.delayMs]).toEqual([0, 0]);
    // The failure rate's others get the default answer, and a path status is the default's with another status: both wait.
    for (const res of [rate!, pathStatus!, unmatched!]) {
      expect(res.ms).toBeGreaterThanOrEqual(1490);
      expect(res.recorded.response.delayMs).toBe(1500);
    }
  });
});

describe('invalid settings', () => {
  it('are refused with a 400 naming the field', async () => {
    const bin = await createBin(srv.url);
    const cases: [unknown, RegExp][] = [
      [{ default: { status: 99 } }, /responses\.default\.status must be a whole number from 100 to 599/],
      [{ default: { status: 102 } }, /informational/],
      [{ default: { delayMs: 31_000 } }, /responses\.default\.delayMs must be a whole number from 0 to 30000/],
      [{ rules: [{ match: {}, response: { delayMs: 121_000 } }] }, /rules\[0\]\.response\.delayMs .* 0 to 120000/],
      [{ default: { headers: { 'bad name': 'x' } } }, /valid HTTP token/],
      [{ default: { headers: { 'x-ok': 'line\r\nbreak' } } }, /without line breaks/],
      [{ default: { headers: { 'content-length': '5' } } }, /cannot set "content-length"/],
      [{ default: { body: 'x'.repeat(70_000) } }, /larger than 64 KB/],
      [{ rules: [{ match: {} }] }, /exactly one of/],
      [{ rules: [{ match: {}, sequence: { steps: [] } }] }, /at least one step/],
      [{ rules: [{ match: { json: { pointer: 'status', equals: 1 } }, response: {} }] }, /JSON Pointer/],
      [{ rules: [{ match: {}, failRate: { percent: 130, response: {} } }] }, /percent must be a number from 0 to 100/],
      [{ defualt: {} }, /unknown field "defualt"/],
    ];
    for (const [responses, message] of cases) {
      const res = await patch(bin.id, { responses });
      expect(res.status, JSON.stringify(responses)).toBe(400);
      expect((await res.json()).error.message).toMatch(message);
    }
  });
});

describe('pure parts', () => {
  it('pick sequence steps', () => {
    const steps = [{ times: 2 }, {}, { times: 3 }];
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => sequenceStep(steps, n, false))).toEqual([0, 0, 1, 2, 2, 2, 2, 2]);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => sequenceStep(steps, n, true))).toEqual([0, 0, 1, 2, 2, 2, 0, 0]);
  });

  it('match globs', () => {
    expect(globToRegExp('/a/*/c').test('/a/b/c')).toBe(true);
    expect(globToRegExp('/a/*/c').test('/a/b/x/c')).toBe(false);
    expect(globToRegExp('/a/**').test('/a/b/x/c')).toBe(true);
    expect(globToRegExp('/v?.json').test('/v1.json')).toBe(true);
    expect(globToRegExp('/a.b').test('/aXb')).toBe(false);
  });
});
