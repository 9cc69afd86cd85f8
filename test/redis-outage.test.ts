// Redis dies (SIGKILL) under traffic and comes back: captures get 503 with Retry-After while it
// is gone, nothing that was answered 200 is lost (AOF, appendfsync always, same dir), the live
// push says so, and both instances resume by themselves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveMessage } from '../shared/live-messages.js';
import { AS_JSON, sendCapture } from './helpers/capture.js';
import { eventually } from './helpers/eventually.js';
import { startRedis, type TestRedis } from './helpers/redis.js';
import { createBin, getJson, startServer, type TestServer } from './helpers/server.js';
import { LiveClient } from './helpers/ws-client.js';

let redis: TestRedis;
let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  redis = await startRedis();
  [a, b] = await Promise.all([startServer({ redisUrl: redis.url }), startServer({ redisUrl: redis.url })]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
  await redis.close();
});

interface Outcome {
  status: number;
  id?: string;
  retryAfter: string | null;
  code?: string;
}

async function capture(srv: TestServer, binId: string, n: number): Promise<Outcome> {
  try {
    const res = await sendCapture(`${srv.url}/h/${binId}`, JSON.stringify({ n }), AS_JSON);
    const body = JSON.parse(res.body.toString()) as { id?: string; error?: { code: string } };
    return {
      status: res.status,
      retryAfter: (res.headers['retry-after'] as string | undefined) ?? null,
      ...(body.id ? { id: body.id } : {}),
      ...(body.error ? { code: body.error.code } : {}),
    };
  } catch {
    return { status: 0, retryAfter: null }; // the connection broke: not acknowledged
  }
}

const statusMessages = (client: LiveClient) =>
  client.messages.filter((m): m is Extract<LiveMessage, { type: 'server.status' }> => m.type === 'server.status').map((m) => m.store);

describe('Redis outage', () => {
  it('answers 503 while Redis is down, loses nothing acknowledged, and resumes by itself', async () => {
    const bin = await createBin(a.url);
    const watcher = new LiveClient(b.url, bin.id);
    await watcher.waitFor((m) => m[0]?.type === 'hello');
    const outcomes: Outcome[] = [];
    let stop = false;
    let n = 0;
    // Four senders, alternating instances, until told to stop (bounded by the test's own steps).
    const senders = Array.from({ length: 4 }, async (_, s) => {
      while (!stop && n < 5000) {
        outcomes.push(await capture(s % 2 ? a : b, bin.id, n++));
        await new Promise((r) => setTimeout(r, 5));
      }
    });
    await eventually(() => outcomes.filter((o) => o.status === 200).length >= 40, '40 acknowledged captures');
    await redis.stop('SIGKILL');
    const killedAt = outcomes.length;
    await eventually(() => outcomes.slice(killedAt).filter((o) => o.status === 503).length >= 20, '20 refusals once Redis is down');

    const refused = outcomes.slice(killedAt).find((o) => o.status === 503)!;
    expect(refused).toMatchObject({ code: 'store_unavailable', retryAfter: '5' });
    const api = await fetch(`${a.url}/api/bins/${bin.id}/requests`);
    expect(api.status).toBe(503);
    expect(api.headers.get('retry-after')).toBe('5');
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('store_unavailable');
    await watcher.waitFor(() => statusMessages(watcher).includes('unavailable'));
    // A client connecting during the outage is told why and asked to come back later.
    const latecomer = new LiveClient(a.url, bin.id);
    expect((await latecomer.closed).code).toBe(1013);
    expect(statusMessages(latecomer)).toEqual(['unavailable']);

    await redis.restart();
    const restartedAt = outcomes.length;
    await eventually(() => outcomes.slice(restartedAt).filter((o) => o.status === 200).length >= 20, '20 acknowledged captures once Redis is back', 20_000);
    stop = true;
    await Promise.all(senders);
    expect(outcomes.every((o) => o.status === 200 || o.status === 503 || o.status === 0)).toBe(true);
    // The watcher heard the store come back, then was closed to resync.
    expect((await watcher.closed).code).toBe(1012);
    expect(statusMessages(watcher)).toEqual(['unavailable', 'ok']);

    const acknowledged = outcomes.filter((o) => o.status === 200).map((o) => o.id!);
    const stored = new Set<string>((await getJson(`${b.url}/api/bins/${bin.id}/requests?limit=1000`)).body.requests.map((r: { id: string }) => r.id));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);

    // Reconnecting from the last id it saw, the watcher gets exactly what it missed.
    const seen = watcher.requestIds;
    const again = new LiveClient(a.url, bin.id, { after: seen.at(-1)! });
    const missed = [...stored].filter((id) => id > seen.at(-1)!);
    await again.waitFor(() => again.requestIds.length === missed.length);
    expect(again.requestIds).toEqual(missed.sort());
    again.close();
  });
});
