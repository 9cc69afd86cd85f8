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
});
