// Auto-forward and pass-through through the real capture path to a real target on 127.0.0.1:
// exact bytes, signatures, the sender's answer, retries as a real sender makes them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyStandardWebhook } from '../server/checks/signature.js';
import type { Bin, ForwardSetting, ReplayAttempt } from '../shared/api-types.js';
import { sendCapture } from './helpers/capture.js';
import { eventually } from './helpers/eventually.js';
import { createBin, getJson, startServer, type TestServer } from './helpers/server.js';
import { freePort, startTarget, type Answer, type TargetServer } from './helpers/target-server.js';
import { bodyCases, expectedHeaders, signedHeaders, SIGNING_SECRET } from './helpers/webhook-bodies.js';

const TIME_SCALE = 0.01; // retry waits run at 1/100: the LangGraph preset's 1 s becomes 10 ms
let srv: TestServer;
let target: TargetServer;
beforeAll(async () => {
  srv = await startServer({}, { forward: { timeScale: TIME_SCALE } });
  target = await startTarget();
});
afterAll(async () => {
  await target.close();
  await srv.close();
});

async function forwardingBin(forward: ForwardSetting): Promise<Bin> {
  const bin = await createBin(srv.url);
  const res = await fetch(`${srv.url}/api/bins/${bin.id}`, {
    headers: { 'content-type': 'application/json' },
    method: 'PATCH',
    body: JSON.stringify({ forward }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  expect((await res.json()).forward).toEqual({ ...forward, target: new URL(forward.target).href }); // stored normalised
  return bin;
}

/** What a sender posts unless a test says otherwise. */
const RUN = Buffer.from('{"run_id":"r1"}');

async function attempts(bin: Bin, requestId: string, count: number): Promise<ReplayAttempt[]> {
  return eventually(async () => {
    const replays = (await getJson(`${srv.url}/api/bins/${bin.id}/requests/${requestId}/replays`)).body.replays as ReplayAttempt[];
    return replays.length >= count && replays;
  }, `${count} attempts`);
}

/** A target answering with `statuses` in turn (then 200), on its own port. */
async function scripted(statuses: number[]): Promise<TargetServer> {
  return startTarget((_req, i): Answer => ({ status: statuses[i] ?? 200, body: `try ${i + 1}` }));
}

describe('auto-forward', () => {
  for (const { name, contentType, body } of bodyCases()) {
    it(`forwards ${name} byte for byte after storing it, and the signature verifies`, async () => {
      const bin = await forwardingBin({ target: `${target.url}/in` });
      const before = target.received.length;
      const res = await sendCapture(`${bin.url}/sub?q=1`, body, { rawHeaders: ['Content-Type', contentType, 'X-Order', '1', ...signedHeaders(body)] });
      const sent = res.sent!;
      expect(res.status).toBe(200);
      const id = res.id!;
      await target.waitFor(before + 1);
      const got = target.received[before]!;
      expect(got.url).toBe('/in?q=1');
      expect(got.body.equals(body)).toBe(true);
      expect(got.rawHeaders).toEqual([...expectedHeaders(sent, `127.0.0.1:${target.port}`), 'Connection', 'close']);
      expect(verifyStandardWebhook({ secret: SIGNING_SECRET, headers: got.headers, body: got.body, now: Date.now() }).status).toBe('valid');
      const [attempt] = await attempts(bin, id, 1);
      expect(attempt).toMatchObject({ trigger: 'forward', try: 1, status: 200 });
      expect(attempt!.nextTryInMs).toBeUndefined();
    });
  }

  it("does not hold the sender's answer while the target is slow", async () => {
    const hanging = await startTarget(() => 'hang');
    const bin = await forwardingBin({ target: hanging.url, timeoutMs: 1500 });
    const started = Date.now();
    const res = await sendCapture(bin.url, RUN, { rawHeaders: [] });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    const [attempt] = await attempts(bin, res.id!, 1);
    expect(attempt!.error).toBe('timed out after 1.5 s');
    await hanging.close();
  });

  it('does not forward requests hookscope refused (token)', async () => {
    const bin = await createBin(srv.url, { token: 'secret', requireToken: true });
    await fetch(`${srv.url}/api/bins/${bin.id}`, {
      headers: { 'content-type': 'application/json' },
      method: 'PATCH',
      body: JSON.stringify({ forward: { target: target.url } }),
    });
    const before = target.received.length;
    expect((await sendCapture(`${bin.url}?token=wrong`, RUN, { rawHeaders: [] })).status).toBe(401);
    expect((await sendCapture(`${bin.url}?token=secret`, RUN, { rawHeaders: [] })).status).toBe(200);
    await target.waitFor(before + 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(target.received.length).toBe(before + 1);
  });
});

describe('retries', () => {
  it('back off exponentially with jitter on 5xx and 429, and stop at the first other answer', async () => {
    const flaky = await scripted([503, 500, 429, 200]);
    const bin = await forwardingBin({ target: flaky.url, retry: { attempts: 5, baseDelayMs: 4000, maxDelayMs: 60000 } });
    const res = await sendCapture(bin.url, RUN, { rawHeaders: [] });
    const tries = await attempts(bin, res.id!, 4);
    expect(flaky.received).toHaveLength(4);
    expect(tries.map((t) => [t.try, t.status])).toEqual([
      [1, 503],
      [2, 500],
      [3, 429],
      [4, 200],
    ]);
    // Each wait is base × 2^n jittered to 50–100 %, so their ranges do not overlap: the order shows.
    const waits = tries.slice(0, 3).map((t) => t.nextTryInMs!);
    expect(waits[0]).toBeGreaterThanOrEqual(2000);
    expect(waits[0]).toBeLessThanOrEqual(4000);
    expect(waits[1]).toBeGreaterThanOrEqual(4000);
    expect(waits[1]).toBeLessThanOrEqual(8000);
    expect(waits[2]).toBeGreaterThanOrEqual(8000);
    expect(waits[2]).toBeLessThanOrEqual(16000);
    expect(tries[3]!.nextTryInMs).toBeUndefined();
    // At the target, the gaps between tries follow the (scaled) waits.
    const gaps = flaky.received.slice(1).map((r, i) => r.at - flaky.received[i]!.at);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(waits[i]! * TIME_SCALE - 5));
    await flaky.close();
  });

  it("wait as long as the target's Retry-After asks when that is longer than the back-off", async () => {
    const busy = await startTarget((_req, i): Answer =>
      i === 0 ? { status: 503, headers: ['Retry-After', '30'], body: 'busy' } : i === 1 ? { status: 429, headers: ['Retry-After', '0'] } : { status: 200 },
    );
    const bin = await forwardingBin({ target: busy.url, retry: { attempts: 3, baseDelayMs: 1000, maxDelayMs: 1000 } });
    const res = await sendCapture(bin.url, RUN, { rawHeaders: [] });
    const tries = await attempts(bin, res.id!, 3);
    expect(tries.map((t) => [t.status, t.nextTryInMs])).toEqual([
      [503, 30_000], // asked for 30 s: more than the 0.5–1 s back-off
      [429, expect.any(Number)], // asked for 0: the back-off still applies
      [200, undefined],
    ]);
    expect(tries[1]!.nextTryInMs).toBeGreaterThanOrEqual(500);
    expect(tries[1]!.nextTryInMs).toBeLessThanOrEqual(1000);
    expect(busy.received[1]!.at - busy.received[0]!.at).toBeGreaterThanOrEqual(30_000 * TIME_SCALE - 5);
    await busy.close();
  });

  it('send the same bytes on every try, large and binary bodies too (retries read them back from the store)', async () => {
    const flaky = await scripted([503, 503, 200]);
    const bin = await forwardingBin({ target: flaky.url, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 20 } });
    const body = Buffer.from(Array.from({ length: 200 * 1024 }, (_, i) => (i * 7919) % 256)); // over the inline limit, not UTF-8
    const res = await sendCapture(bin.url, body, { rawHeaders: [] });
    await attempts(bin, res.id!, 3);
    expect(flaky.received).toHaveLength(3);
    for (const received of flaky.received) expect(received.body.equals(body)).toBe(true);
    await flaky.close();
  });

  it('do not retry other 4xx answers', async () => {
    const refusing = await scripted([400, 200]);
    const bin = await forwardingBin({ target: refusing.url, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 10 } });
    const res = await sendCapture(bin.url, RUN, { rawHeaders: [] });
    const [only] = await attempts(bin, res.id!, 1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(only).toMatchObject({ status: 400, try: 1 });
    expect(refusing.received).toHaveLength(1);
    await refusing.close();
  });

  it('retry network errors up to the attempt count', async () => {
    const bin = await forwardingBin({ target: `http://127.0.0.1:${await freePort()}/`, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 20 } });
    const res = await sendCapture(bin.url, RUN, { rawHeaders: [] });
    const id = res.id!;
    const tries = await attempts(bin, id, 3);
    expect(tries.map((t) => t.error)).toEqual(tries.map(() => expect.stringMatching(/^connection refused at 127\.0\.0\.1:\d+$/)));
    await new Promise((resolve) => setTimeout(resolve, 100)); // no 4th try
    expect((await getJson(`${srv.url}/api/bins/${bin.id}/requests/${id}/replays`)).body.replays).toHaveLength(3);
  });

  it("'langgraph' makes 3 tries, as LangGraph's server does", async () => {
    const down = await scripted([500, 502, 503, 504]);
    const bin = await forwardingBin({ target: down.url, retry: 'langgraph' });
    const res = await sendCapture(bin.url, RUN, { rawHeaders: [] });
    const tries = await attempts(bin, res.id!, 3);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a 4th try would come within 40 ms
    expect(down.received).toHaveLength(3);
    expect(tries.map((t) => t.status)).toEqual([500, 502, 503]);
    expect(tries[0]!.nextTryInMs).toBeGreaterThanOrEqual(500);
    expect(tries[1]!.nextTryInMs).toBeGreaterThanOrEqual(1000);
    await down.close();
  });
});

describe('pass-through', () => {
  it("answers the sender with the target's status, headers and body", async () => {
    const receiver = await startTarget(() => ({
      status: 201,
      headers: ['X-Target', 'yes', 'Content-Type', 'text/plain', 'Connection', 'close'],
      body: 'made it',
    }));
    const bin = await forwardingBin({ target: receiver.url, respond: 'forward' });
    const res = await sendCapture(bin.url, Buffer.from('ping'), { rawHeaders: [] });
    expect(res.status).toBe(201);
    expect(res.headers['x-target']).toBe('yes');
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.body.toString()).toBe('made it');
    expect(receiver.received[0]!.body.toString()).toBe('ping');
    const id = res.headers['x-hookscope-request-id'] as string;
    expect((await attempts(bin, id, 1))[0]).toMatchObject({ trigger: 'pass-through', status: 201 });
    await receiver.close();
  });

  it('answers 502 with a JSON error when the target fails, and still records the request', async () => {
    const bin = await forwardingBin({ target: `http://localhost:${await freePort()}/`, respond: 'forward' });
    const res = await sendCapture(bin.url, RUN, { rawHeaders: [] });
    expect(res.status).toBe(502);
    const error = JSON.parse(res.body.toString()).error;
    expect(error.code).toBe('forward_failed');
    expect(error.message).toMatch(/connection refused at localhost:\d+/);
    const id = res.headers['x-hookscope-request-id'] as string;
    expect((await attempts(bin, id, 1))[0]!.error).toMatch(/connection refused/);
  });

  it('answers 502 after the timeout when the target does not answer', async () => {
    const hanging = await startTarget(() => 'hang');
    const bin = await forwardingBin({ target: hanging.url, respond: 'forward', timeoutMs: 300 });
    const started = Date.now();
    const res = await sendCapture(bin.url, RUN, { rawHeaders: [] });
    expect(res.status).toBe(502);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(JSON.parse(res.body.toString()).error.message).toMatch(/timed out after 0\.3 s/);
    await hanging.close();
  });

  it('refuses retries in pass-through mode, and bad settings, with a 400', async () => {
    const bin = await createBin(srv.url);
    const patch = (forward: unknown) =>
      fetch(`${srv.url}/api/bins/${bin.id}`, { headers: { 'content-type': 'application/json' }, method: 'PATCH', body: JSON.stringify({ forward }) }).then(
        async (r) => ({ status: r.status, body: await r.json() }),
      );
    expect((await patch({ target: target.url, respond: 'forward', retry: 'langgraph' })).status).toBe(400);
    expect((await patch({ target: 'file:///etc/passwd' })).body.error.code).toBe('invalid_target');
    expect((await patch({ target: target.url, retry: { attempts: 0, baseDelayMs: 1, maxDelayMs: 1 } })).status).toBe(400);
    expect((await patch({ target: target.url, extra: 1 })).body.error.message).toMatch(/forward\.extra/);
    expect((await patch(null)).body.forward).toBeNull();
  });
});
