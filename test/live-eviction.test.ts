// Evictions are announced live (requests.evicted), on the embedded store and on Redis, so a live
// list can drop what the store dropped; and the bin says its limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveMessage } from '../shared/live-messages.js';
import { AS_JSON, capture } from './helpers/capture.js';
import { startRedis, type TestRedis } from './helpers/redis.js';
import { createBin, getJson, serversClosedAfterEach } from './helpers/server.js';
import { LiveClient } from './helpers/ws-client.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.close();
});
const startServer = serversClosedAfterEach();

type Evicted = Extract<LiveMessage, { type: 'requests.evicted' }>;

describe.each([
  ['the embedded store', () => ({})],
  ['Redis', () => ({ redisUrl: redis.url })],
])('evictions on %s', (_name, options) => {
  it('names the oldest request kept after each capture at the limit, after its request.created, never going back', async () => {
    const srv = await startServer({ ...options(), maxRequestsPerBin: 3 });
    const bin = await createBin(srv.url, { name: 'evictions' });
    expect(bin.requestLimit).toBe(3);
    const live = new LiveClient(srv.url, bin.id);
    await live.opened;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await capture(bin.url, `{"n":${i}}`, AS_JSON));
    await live.waitFor((messages) => messages.filter((m) => m.type === 'request.created').length === 3);
    // The third capture fills the bin (3 of 3): at the limit, nothing evicted yet.
    await live.waitFor((messages) => messages.some((m) => m.type === 'requests.evicted'));
    const atLimit = live.messages.filter((m): m is Evicted => m.type === 'requests.evicted');
    expect(atLimit.every((m) => m.oldestKept === ids[0] && m.limit === 3)).toBe(true);
    for (let i = 3; i < 5; i++) ids.push(await capture(bin.url, `{"n":${i}}`, AS_JSON));
    await live.waitFor((messages) => messages.some((m) => m.type === 'requests.evicted' && m.oldestKept === ids[2]));
    const evicted = live.messages.filter((m): m is Evicted => m.type === 'requests.evicted');
    // Each announcement comes after the request.created that caused it, and never goes back.
    const order = live.messages.map((m) => m.type);
    expect(order.indexOf('requests.evicted')).toBeGreaterThan(order.indexOf('request.created'));
    const kept = evicted.map((m) => m.oldestKept);
    expect([...kept].sort()).toEqual(kept);
    expect(kept.at(-1)).toBe(ids[2]);
    expect((await getJson(`${srv.url}/api/bins/${bin.id}/requests`)).body.requests.map((r: { id: string }) => r.id)).toEqual([ids[4], ids[3], ids[2]]);
    live.ws.close();
  });

  it('announces evictions from what the append reported: a capture at the limit neither counts nor reads the store', async () => {
    const srv = await startServer({ ...options(), maxRequestsPerBin: 2 });
    const bin = await createBin(srv.url, { name: 'lean' });
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) ids.push(await capture(bin.url, `{"fill":${i}}`, AS_JSON));
    // Every store call from here on is counted by name (the same store object the capture path holds).
    const store = srv.server.store as unknown as Record<string, unknown>;
    const calls = new Map<string, number>();
    for (const name of ['requestCount', 'binUsage', 'requestsAfter', 'listRequests', 'listSummaries', 'getRequest', 'appendRequest']) {
      const original = store[name];
      if (typeof original !== 'function') continue;
      store[name] = (...args: unknown[]) => {
        calls.set(name, (calls.get(name) ?? 0) + 1);
        return (original as (...a: unknown[]) => unknown).apply(srv.server.store, args);
      };
    }
    const live = new LiveClient(srv.url, bin.id);
    await live.opened;
    await live.waitFor((messages) => messages[0]?.type === 'hello');
    calls.clear(); // the hello reads the store; captures must not
    for (let i = 0; i < 3; i++) ids.push(await capture(bin.url, `{"n":${i}}`, AS_JSON));
    await live.waitFor((messages) => messages.some((m) => m.type === 'requests.evicted' && m.oldestKept === ids[3]));
    // Each capture, then at once what it evicted: the oldest kept is the one stored before it.
    const order = live.messages
      .slice(1)
      .map((m) => (m.type === 'request.created' ? m.request.id : m.type === 'requests.evicted' ? `kept ${m.oldestKept}` : m.type));
    expect(order).toEqual([ids[2], `kept ${ids[1]}`, ids[3], `kept ${ids[2]}`, ids[4], `kept ${ids[3]}`]);
    expect(Object.fromEntries(calls)).toEqual({ appendRequest: 3 });
    live.ws.close();
  });
});
