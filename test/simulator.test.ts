// The sender simulator against real local receivers: payloads, headers, retries, back-off and
// timeouts as the real senders behave (on a shortened time scale), through the API and the CLI.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../shared/checks/types.js';
import { runCli } from './helpers/child-server.js';
import { createBin, getJson, startServer, type TestServer } from './helpers/server.js';
import { startTarget, type TargetServer } from './helpers/target-server.js';

let srv: TestServer;
let target: TargetServer | undefined;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(() => srv.close());
afterEach(async () => {
  await target?.close();
  target = undefined;
});

const SCALE = 0.01; // 1 s of real sender time = 10 ms here
const send = async (body: unknown) => {
  const res = await fetch(`${srv.url}/api/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
};
const header = (rawHeaders: string[], name: string) =>
  rawHeaders.find((_, i) => i % 2 === 0 && rawHeaders[i]!.toLowerCase() === name) &&
  rawHeaders[rawHeaders.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === name) + 1];

describe('LangGraph Python server', () => {
  it('retries 5xx and 429 with jittered exponential back-off and stops at another 4xx', async () => {
    const answers = [500, 429, 404, 200];
    target = await startTarget((_, i) => ({ status: answers[i] ?? 200 }));
    const { status, body } = await send({ target: `${target.url}/hook`, kind: 'langgraph-run', state: 'success', options: { timeScale: SCALE } });
    expect(status).toBe(200);
    const attempts = body.deliveries[0].attempts;
    expect(attempts.map((a: { status: number }) => a.status)).toEqual([500, 429, 404]);
    expect(body.delivered).toBe(false);
    // Waits actually taken: try 2 after 50–100 % of 1 s, try 3 after 50–100 % of 2 s (scaled).
    expect(attempts[0].nextTryInMs).toBeGreaterThanOrEqual(500 * SCALE);
    expect(attempts[0].nextTryInMs).toBeLessThanOrEqual(1000 * SCALE);
    expect(attempts[1].nextTryInMs).toBeGreaterThanOrEqual(1000 * SCALE);
    expect(attempts[1].nextTryInMs).toBeLessThanOrEqual(2000 * SCALE);
    const gaps = [target.received[1]!.at - target.received[0]!.at, target.received[2]!.at - target.received[1]!.at];
    expect(gaps[0]).toBeGreaterThanOrEqual(attempts[0].nextTryInMs - 1);
    expect(gaps[1]).toBeGreaterThanOrEqual(attempts[1].nextTryInMs - 1);
    expect(target.received).toHaveLength(3); // at most 3 tries
    const first = target.received[0]!;
    expect(header(first.rawHeaders, 'content-type')).toBe('application/json');
    expect(header(first.rawHeaders, 'user-agent')).toMatch(/^python-httpx\//);
    expect(JSON.parse(first.body.toString())).toMatchObject({ status: 'success', kwargs: { webhook: `${target.url}/hook` } });
    // Every try carries the same payload.
    expect(target.received.map((r) => r.body.toString())).toEqual(Array(3).fill(first.body.toString()));
  });

  it('is delivered once the receiver recovers', async () => {
    target = await startTarget((_, i) => ({ status: i === 0 ? 503 : 200 }));
    const { body } = await send({ target: target.url, kind: 'langgraph-run', state: 'error', options: { timeScale: SCALE } });
    expect(body.deliveries[0].attempts.map((a: { status: number }) => a.status)).toEqual([503, 200]);
    expect(body.delivered).toBe(true);
  });

  it('times out a receiver that hangs after the read timeout, and retries', async () => {
    target = await startTarget(() => 'hang');
    const started = Date.now();
    const { body } = await send({ target: target.url, kind: 'langgraph-run', state: 'timeout', options: { timeScale: SCALE } });
    const attempts = body.deliveries[0].attempts;
    expect(attempts).toHaveLength(3);
    for (const a of attempts) expect(a.error).toMatch(/timed out after 0\.35 s/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 350);
    expect(body.delivered).toBe(false);
  });
});

describe('LangGraph JS server and Krea', () => {
  it('JS: one attempt, JSON sent as text/plain, JS date format', async () => {
    target = await startTarget(() => ({ status: 500 }));
    const { body } = await send({ target: target.url, kind: 'langgraph-run', state: 'interrupted', options: { flavor: 'js', timeScale: SCALE } });
    expect(body.deliveries[0].attempts).toHaveLength(1);
    const received = target.received[0]!;
    expect(header(received.rawHeaders, 'content-type')).toBe('text/plain;charset=UTF-8');
    expect(header(received.rawHeaders, 'user-agent')).toBe('node');
    expect(JSON.parse(received.body.toString()).created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('Krea: one POST of the job, no retry', async () => {
    target = await startTarget(() => ({ status: 503 }));
    const { body } = await send({ target: target.url, kind: 'krea-job', state: 'failed', options: { timeScale: SCALE } });
    expect(body.deliveries[0].attempts).toHaveLength(1);
    expect(JSON.parse(target.received[0]!.body.toString())).toMatchObject({ status: 'failed', result: { error: expect.any(String) } });
  });
});

describe('payloads captured by a hookscope bin', () => {
  it("pass the bin's checks in every state and flavor, with the token, signed", async () => {
    const secret = `whsec_${Buffer.from('simulator test key, 32 bytes ok').toString('base64')}`;
    const bin = await createBin(srv.url, { token: 'tok', requireToken: true, signingSecret: secret });
    const cases = [
      ...['completed', 'failed', 'cancelled'].map((state) => ({ kind: 'krea-job', state, flavor: 'python' })),
      ...['success', 'error', 'interrupted', 'timeout'].flatMap((state) => ['python', 'js'].map((flavor) => ({ kind: 'langgraph-run', state, flavor }))),
    ];
    for (const c of cases) {
      const { body } = await send({
        target: `${bin.url}/hook`,
        kind: c.kind,
        state: c.state,
        options: { flavor: c.flavor, token: 'tok', signingSecret: secret, timeScale: SCALE },
      });
      expect(body.delivered, JSON.stringify(c)).toBe(true);
      const stored = (await getJson(`${srv.url}/api/bins/${bin.id}/requests?limit=1`)).body.requests[0];
      const checks = stored.checks as CheckResult;
      expect(checks, JSON.stringify(c)).toMatchObject({ schema: c.kind, valid: true, errors: [], token: 'valid', signature: 'valid' });
      expect(checks.warnings).toEqual([]);
    }
  });

  it('sends a duplicate delivery that the bin flags, and applies overrides', async () => {
    const bin = await createBin(srv.url);
    const { body } = await send({
      target: bin.url,
      kind: 'krea-job',
      state: 'completed',
      options: { duplicateAfterMs: 50, overrides: { '/status': 'processing' } },
    });
    expect(body.deliveries.map((d: { label: string }) => d.label)).toEqual(['first', 'duplicate']);
    expect(body.state).toBe('processing'); // the status sent, which the override set
    const [second, first] = (await getJson(`${srv.url}/api/bins/${bin.id}/requests`)).body.requests;
    expect(second.checks.duplicateOf).toBe(first.id);
    expect(first.checks.errors.map((e: { code: string }) => e.code)).toEqual(['status.not_terminal']);
    expect((await getJson(`${srv.url}/api/sends/${body.id}`)).body.id).toBe(body.id);
    expect((await getJson(`${srv.url}/api/sends`)).body.sends[0].id).toBe(body.id);
  });

  it('sends a custom JSON body', async () => {
    target = await startTarget();
    await send({ target: target.url, kind: 'custom', options: { body: { event: 'order.paid', n: 1 } } });
    expect(target.received[0]!.body.toString()).toBe('{"event":"order.paid","n":1}');
  });

  it('refuses invalid input clearly', async () => {
    const cases: [unknown, RegExp][] = [
      [{ target: 'ftp://x', kind: 'krea-job' }, /http/],
      [{ target: 'http://127.0.0.1:1', kind: 'stripe' }, /"kind"/],
      [{ target: 'http://127.0.0.1:1', kind: 'krea-job', state: 'success' }, /completed, failed, cancelled/],
      [{ target: 'http://127.0.0.1:1', kind: 'custom' }, /options\.body/],
      [{ target: 'http://127.0.0.1:1', kind: 'krea-job', options: { signingSecret: 'nope' } }, /whsec_/],
      [{ target: 'http://127.0.0.1:1', kind: 'krea-job', options: { overrides: { status: 1 } } }, /JSON Pointer/],
      [{ target: 'http://127.0.0.1:1', kind: 'krea-job', options: { timeScale: 5 } }, /timeScale/],
    ];
    for (const [input, message] of cases) {
      const { status, body } = await send(input);
      expect(status, JSON.stringify(input)).toBe(400);
      expect(body.error.message).toMatch(message);
    }
  });
});

describe('hookscope send (CLI)', () => {
  it('exits 0 when delivered, 1 when never answered 2xx, 2 on a usage mistake', async () => {
    target = await startTarget((_, i) => ({ status: i < 3 ? 500 : 200 }));
    const failed = await runCli(['send', target.url, '--kind', 'langgraph-run', '--state', 'success', '--time-scale', String(SCALE)]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/try 1: 500/);
    expect(failed.stdout).toMatch(/try 3: 500/);
    expect(failed.stdout).toMatch(/NOT delivered/);
    const ok = await runCli(['send', target.url, '--kind', 'krea-job', '--state', 'completed', '--set', '/result/urls=["https://x.test/a.png"]']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(target.received.at(-1)!.body.toString()).result.urls).toEqual(['https://x.test/a.png']);
    const bad = await runCli(['send', target.url, '--kind', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"kind" must be one of/);
  });
});

describe('hookscope send (CLI) summary', () => {
  it('says the status actually sent: "processing" when told --set /status=processing', async () => {
    target = await startTarget();
    const res = await runCli(['send', target.url, '--kind', 'krea-job', '--state', 'completed', '--set', '/status=processing']);
    expect(res.code).toBe(0);
    expect(JSON.parse(target.received.at(-1)!.body.toString()).status).toBe('processing');
    const summary = res.stdout.split('\n')[0]!;
    expect(summary).toMatch(/^Krea → http:\/\/127\.0\.0\.1:\d+\/ \(krea-job processing\)$/);
    // Without an override, the state asked for is the one sent.
    const plain = await runCli(['send', target.url, '--kind', 'langgraph-run', '--state', 'interrupted', '--time-scale', String(SCALE)]);
    expect(plain.stdout.split('\n')[0]).toMatch(/\(langgraph-run interrupted\)$/);
  });
});

describe("today's LangGraph variants, sent to a real bin", () => {
  it('sends a trimmed Run and the object error form, which the bin accepts with a note', async () => {
    const bin = await createBin(srv.url);
    const trimmed = await send({
      target: bin.url,
      kind: 'langgraph-run',
      state: 'success',
      options: { timeScale: SCALE, allowedFields: ['run_id', 'thread_id', 'status', 'values', 'webhook_sent_at'] },
    });
    expect(trimmed.status).toBe(200);
    expect(Object.keys(JSON.parse(trimmed.body.payload)).sort()).toEqual(['run_id', 'status', 'thread_id', 'values', 'webhook_sent_at']);
    const failed = await send({ target: bin.url, kind: 'langgraph-run', state: 'error', options: { timeScale: SCALE, errorForm: 'object' } });
    expect(JSON.parse(failed.body.payload).error).toEqual({ error: 'ValueError', message: 'bad tool args' });
    const { body } = await getJson(`${srv.url}/api/bins/${bin.id}/requests?limit=10`);
    const checks = (body.requests as { checks: CheckResult }[]).map((r) => r.checks).reverse();
    expect(checks[0]).toMatchObject({
      schema: 'langgraph-run',
      valid: true,
      warnings: [{ code: 'langgraph.trimmed' }],
      timing: { deliveryMs: expect.any(Number) },
    });
    expect(checks[1]).toMatchObject({ schema: 'langgraph-run', valid: true, warnings: [] });
    const refused = await send({ target: bin.url, kind: 'krea-job', options: { errorForm: 'object' } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('"options.errorForm" is for langgraph-run');
  });
});
