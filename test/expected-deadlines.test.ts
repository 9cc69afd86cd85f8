// Lost webhooks: expected ids with a deadline, judged on the server's injected clock — pending,
// arrived (with the request) or overdue — over the API, the live push and the CI wait.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWithin } from '../server/checks/expected-deadlines.js';
import { createBin, getJson, startServer, type TestServer } from './helpers/server.js';
import { kreaJob } from './helpers/webhook-bodies.js';
import { LiveClient } from './helpers/ws-client.js';

let clock = Date.parse('2025-01-15T10:30:00.000Z');
let srv: TestServer;
beforeAll(async () => {
  srv = await startServer({}, { now: () => clock });
});
afterAll(() => srv.close());

const JOB_A = '550e8400-e29b-41d4-a716-446655440000';
const JOB_B = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const JOB_C = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
const job = (jobId: string) => kreaJob(jobId, 'completed');
const post = (path: string, body: unknown) =>
  fetch(`${srv.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('expected ids with a deadline', () => {
  it('lists each id as pending, arrived with its request, or overdue once the clock passes the deadline', async () => {
    const bin = await createBin(srv.url);
    const live = new LiveClient(srv.url, bin.id);
    await live.opened;
    expect((await post(`/api/bins/${bin.id}/expected`, { ids: [JOB_A, JOB_B], within: '10m' })).status).toBe(200);
    expect((await post(`/api/bins/${bin.id}/expected`, { ids: [JOB_C] })).status).toBe(200); // no deadline
    const due = '2025-01-15T10:40:00.000Z';
    expect((await getJson(`${srv.url}/api/bins/${bin.id}/expected`)).body.expected).toEqual([
      { id: JOB_A, state: 'pending', due },
      { id: JOB_B, state: 'pending', due },
      { id: JOB_C, state: 'pending' },
    ]);

    const res = await fetch(`${srv.url}/h/${bin.id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: job(JOB_A) });
    const { id: requestId } = (await res.json()) as { id: string };
    clock += 10 * 60_000 + 1; // past the deadline
    await srv.server.deadlines.sweep();
    const { body } = await getJson(`${srv.url}/api/bins/${bin.id}/expected`);
    expect(body.ids).toEqual([JOB_A, JOB_B, JOB_C]);
    expect(body.expected).toEqual([
      { id: JOB_A, state: 'arrived', due, requestId },
      { id: JOB_B, state: 'overdue', due },
      { id: JOB_C, state: 'pending' },
    ]);

    // Pushed live once, however often the sweep runs.
    await live.waitFor((messages) => messages.some((m) => m.type === 'expected.overdue'));
    await srv.server.deadlines.sweep();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const pushed = live.messages.filter((m) => m.type === 'expected.overdue');
    expect(pushed).toEqual([{ type: 'expected.overdue', binId: bin.id, expected: [{ id: JOB_B, state: 'overdue', due }] }]);
    live.close();

    // A late arrival turns overdue into arrived.
    await fetch(`${srv.url}/h/${bin.id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: job(JOB_B) });
    expect((await getJson(`${srv.url}/api/bins/${bin.id}/expected`)).body.expected[1]).toMatchObject({ id: JOB_B, state: 'arrived' });
  });

  it('the CI wait ends when all arrived, when one is overdue, or at its timeout', async () => {
    const bin = await createBin(srv.url);
    await post(`/api/bins/${bin.id}/expected`, { ids: [JOB_A], within: '1m' });
    const timedOut = await getJson(`${srv.url}/api/bins/${bin.id}/expected/wait?timeoutMs=300`);
    expect(timedOut.body).toMatchObject({ outcome: 'timeout', expected: [{ id: JOB_A, state: 'pending' }] });
    const waiting = getJson(`${srv.url}/api/bins/${bin.id}/expected/wait?timeoutMs=10000`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await fetch(`${srv.url}/h/${bin.id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: job(JOB_A) });
    expect((await waiting).body).toMatchObject({ outcome: 'arrived', expected: [{ id: JOB_A, state: 'arrived' }] });

    await post(`/api/bins/${bin.id}/expected`, { ids: [JOB_B], within: '1m' });
    clock += 60_001;
    expect((await getJson(`${srv.url}/api/bins/${bin.id}/expected/wait?timeoutMs=10000`)).body).toMatchObject({
      outcome: 'overdue',
      expected: [{ state: 'arrived' }, { id: JOB_B, state: 'overdue' }],
    });
  });

  it('refuses a deadline it cannot read, with 400', async () => {
    const bin = await createBin(srv.url);
    const res = await post(`/api/bins/${bin.id}/expected`, { ids: [JOB_A], within: 'soon' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('"within" must be a duration');
    expect([parseWithin('90s'), parseWithin('10m'), parseWithin('2h'), parseWithin('1d'), parseWithin(500), parseWithin('8d'), parseWithin('0s')]).toEqual([
      90_000,
      600_000,
      7_200_000,
      86_400_000,
      500,
      null,
      null,
    ]);
  });
});
