// Two hookscope instances on one Redis behave as one server: captures on either reach live
// subscribers of both, in one order; paging, eviction, bins and duplicate detection agree.
import http from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newBinId } from '../server/ids.js';
import { BINS_INDEX_KEY, binKeys } from '../server/store/redis/keys.js';
import type { CheckResult } from '../shared/checks/types.js';
import type { LiveMessage } from '../shared/live-messages.js';
import { KREA_REFERENCE_EXAMPLES } from './fixtures/payloads/index.js';
import { AS_JSON, capture } from './helpers/capture.js';
import { eventually } from './helpers/eventually.js';
import { startRedis, type TestRedis } from './helpers/redis.js';
import { createBin, getJson, startServer, type TestServer } from './helpers/server.js';
import { LiveClient } from './helpers/ws-client.js';

let redis: TestRedis;
let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.close());
beforeEach(async () => {
  await redis.command(['FLUSHALL']);
  [a, b] = await Promise.all([startServer({ redisUrl: redis.url, maxRequestsPerBin: 10 }), startServer({ redisUrl: redis.url, maxRequestsPerBin: 10 })]);
});
afterEach(async () => {
  await Promise.all([a.close(), b.close()]);
});

const listIds = async (srv: TestServer, binId: string, query = 'limit=100') =>
  (await getJson(`${srv.url}/api/bins/${binId}/requests?${query}`)).body.requests.map((r: { id: string }) => r.id) as string[];

describe('two instances on one Redis', () => {
  it('tells every instance about bins created, changed and deleted on another', async () => {
    const bin = await createBin(a.url, { name: 'first' });
    await eventually(() => b.server.store.getBin(bin.id)?.name === 'first', 'B to learn of the new bin'); // by the notice alone: nothing asked B
    expect((await getJson(`${b.url}/api/bins`)).body.bins.map((x: { id: string }) => x.id)).toEqual([bin.id]);
    await fetch(`${b.url}/api/bins/${bin.id}`, {
      headers: { 'content-type': 'application/json' },
      method: 'PATCH',
      body: JSON.stringify({ name: 'second', token: 't' }),
    });
    await eventually(() => a.server.store.getBin(bin.id)?.name === 'second', 'A to learn of the rename');
    expect(a.server.store.getBin(bin.id)).toMatchObject({ token: 't' });
    await fetch(`${a.url}/api/bins/${bin.id}`, { method: 'DELETE' });
    await eventually(() => b.server.store.getBin(bin.id) === undefined, 'B to learn of the deletion');
  });

  it('serves a bin created on A from B at once: API, capture and WebSocket', async () => {
    const bin = await createBin(a.url, { name: 'shared' });
    expect((await getJson(`${b.url}/api/bins/${bin.id}`)).body).toMatchObject({ id: bin.id, name: 'shared' });
    const id = await capture(`${b.url}/h/${bin.id}`, '{"from":"b"}', AS_JSON);
    const client = new LiveClient(b.url, bin.id, { after: '00000000000000000000000000' });
    await client.waitFor(() => client.requestIds.length === 1);
    expect(client.requestIds).toEqual([id]);
    client.close();
    // And a bin deleted on B is gone on A.
    await fetch(`${b.url}/api/bins/${bin.id}`, { method: 'DELETE' });
    expect((await fetch(`${a.url}/h/${bin.id}`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await getJson(`${a.url}/api/bins`)).body.bins).toEqual([]);
  });

  it("serves the smee stream of a bin B has not heard of (its notice lost), with A's captures on it", async () => {
    // Written into Redis the way an instance stores a bin, but announced to nobody: neither
    // instance has it in memory, so only a look-up in Redis finds it.
    const binId = newBinId();
    await redis.command(['SADD', BINS_INDEX_KEY, binId]);
    await redis.command([
      'HSET',
      binKeys(binId).bin,
      'name',
      '"unannounced"',
      'token',
      'null',
      'requireToken',
      'false',
      'createdAt',
      JSON.stringify(new Date().toISOString()),
    ]);
    expect(b.server.store.getBin(binId)).toBeUndefined();
    const stream = openEventStream(`${b.url}/h/${binId}`);
    expect(await stream.status).toBe(200);
    await eventually(() => stream.text.includes('event: ready'), 'the ready event');
    const id = await capture(`${a.url}/h/${binId}`, '{"from":"a"}', AS_JSON);
    await eventually(() => stream.text.includes(`id: ${id}\n`), 'the capture on the stream');
    const message = stream.text.split('\n\n').find((block) => block.startsWith(`id: ${id}\n`))!;
    expect(JSON.parse(message.split('\n')[1]!.slice('data: '.length))).toMatchObject({ body: { from: 'a' } });
    stream.close();
    // An id Redis does not hold is still a 404 on either instance.
    const unknown = openEventStream(`${a.url}/h/${newBinId()}`);
    expect(await unknown.status).toBe(404);
    unknown.close();
  });

  it('pushes captures made on A to WebSocket clients on B, in one order on both', async () => {
    const bin = await createBin(a.url);
    const onB = new LiveClient(b.url, bin.id);
    const onA = new LiveClient(a.url, bin.id);
    await Promise.all([onA, onB].map((c) => c.waitFor((m) => m[0]?.type === 'hello')));
    const sent = await Promise.all(Array.from({ length: 30 }, (_, i) => capture(`${(i % 3 === 0 ? b : a).url}/h/${bin.id}`, JSON.stringify({ i }), AS_JSON)));
    await onB.waitFor(() => onB.requestIds.length === 30);
    await onA.waitFor(() => onA.requestIds.length === 30);
    expect(new Set(onB.requestIds)).toEqual(new Set(sent));
    expect(onB.requestIds).toEqual([...onB.requestIds].sort()); // live order is id order
    expect(onA.requestIds).toEqual(onB.requestIds);
    const created = onB.messages.find((m) => m.type === 'request.created' && m.full?.json && (m.full.json as { i: number }).i === 4);
    expect(created).toBeDefined();
    // Deletes and clears made on B reach A's client after the captures they follow.
    expect((await fetch(`${b.url}/api/bins/${bin.id}/requests/${onB.requestIds.at(-1)}`, { method: 'DELETE' })).status).toBe(204);
    await fetch(`${b.url}/api/bins/${bin.id}/requests`, { method: 'DELETE' });
    await onA.waitFor((m) => m.at(-1)?.type === 'requests.cleared');
    expect(onA.messages.slice(-2).map((m) => m.type)).toEqual(['request.deleted', 'requests.cleared']);
    // Eviction notices are part of that one order: each right after the capture at the cap that made it.
    await onB.waitFor((m) => m.at(-1)?.type === 'requests.cleared');
    const sequence = (messages: LiveMessage[]) =>
      messages.map((m) => (m.type === 'request.created' ? m.request.id : m.type === 'requests.evicted' ? `evicted:${m.oldestKept}` : m.type));
    expect(sequence(onA.messages)).toEqual(sequence(onB.messages));
    const evictions = onA.messages.flatMap((m, i) => (m.type === 'requests.evicted' ? [[onA.messages[i - 1], m] as const] : []));
    expect(evictions).toHaveLength(30 - 10 + 1); // from the capture that filled the bin (10 of 10) on
    for (const [before] of evictions) expect(before?.type).toBe('request.created');
    onA.close();
    onB.close();
  });

  it('resyncs a client on B with what was captured on A while it was away: no gaps, no duplicates', async () => {
    const bin = await createBin(a.url);
    const first = new LiveClient(b.url, bin.id);
    await first.waitFor((m) => m[0]?.type === 'hello');
    await capture(`${a.url}/h/${bin.id}`, '{"n":0}', AS_JSON);
    await first.waitFor(() => first.requestIds.length === 1);
    first.close();
    await first.closed;
    const missed = [await capture(`${a.url}/h/${bin.id}`, '{"n":1}', AS_JSON), await capture(`${b.url}/h/${bin.id}`, '{"n":2}', AS_JSON)];
    const second = new LiveClient(b.url, bin.id, { after: first.requestIds[0] });
    const live = await Promise.all(Array.from({ length: 8 }, (_, i) => capture(`${(i % 2 ? a : b).url}/h/${bin.id}`, `{"live":${i}}`, AS_JSON)));
    await second.waitFor(() => second.requestIds.length >= 10);
    await new Promise((r) => setTimeout(r, 200)); // let any duplicate arrive before asserting
    expect(second.requestIds.slice(0, 2)).toEqual(missed);
    expect(new Set(second.requestIds)).toEqual(new Set([...missed, ...live]));
    expect(second.requestIds).toHaveLength(10);
    second.close();
  });

  it('pages and evicts alike on both instances', async () => {
    const bin = await createBin(b.url);
    const sent: string[] = [];
    for (let i = 0; i < 25; i++) sent.push(await capture(`${(i % 2 ? a : b).url}/h/${bin.id}`, `{"n":${i}}`, AS_JSON));
    const kept = [...sent].reverse().slice(0, 10);
    expect(await listIds(a, bin.id)).toEqual(kept);
    expect(await listIds(b, bin.id)).toEqual(kept);
    const page = (await getJson(`${b.url}/api/bins/${bin.id}/requests?limit=4&before=${kept[3]}`)).body;
    expect(page.requests.map((r: { id: string }) => r.id)).toEqual(kept.slice(4, 8));
    expect(await listIds(a, bin.id, `limit=4&before=${kept[3]}`)).toEqual(kept.slice(4, 8));
    expect((await getJson(`${a.url}/api/bins/${bin.id}`)).body.requestCount).toBe(10);
    expect((await getJson(`${b.url}/api/bins/${bin.id}/requests/${sent[0]}`)).status).toBe(404);
  });

  it('flags a delivery that reaches A and then B as a duplicate, and one of concurrent ones as the original', async () => {
    const bin = await createBin(a.url);
    const checksOf = async (id: string) => (await getJson(`${b.url}/api/bins/${bin.id}/requests/${id}`)).body.checks as CheckResult;
    const first = await capture(`${a.url}/h/${bin.id}`, KREA_REFERENCE_EXAMPLES.completed, AS_JSON);
    const again = await capture(`${b.url}/h/${bin.id}`, KREA_REFERENCE_EXAMPLES.completed, AS_JSON);
    expect((await checksOf(first)).duplicateOf).toBeUndefined();
    expect((await checksOf(again)).duplicateOf).toBe(first);

    const racing = await Promise.all(
      Array.from({ length: 8 }, (_, i) => capture(`${(i % 2 ? a : b).url}/h/${bin.id}`, KREA_REFERENCE_EXAMPLES.failed, AS_JSON)),
    );
    const verdicts = await Promise.all(racing.map(checksOf));
    const originals = racing.filter((_, i) => verdicts[i]!.duplicateOf === undefined);
    expect(originals).toHaveLength(1);
    for (const v of verdicts) if (v.duplicateOf !== undefined) expect(v.duplicateOf).toBe(originals[0]);
  });

  it('lists the same simulated sends on every instance, the newest 50', async () => {
    const bin = await createBin(a.url);
    const sendVia = async (srv: TestServer, n: number) => {
      const res = await fetch(`${srv.url}/api/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ target: bin.url, kind: 'custom', options: { body: { n } } }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { id: string }).id;
    };
    const ids: string[] = [];
    for (let n = 0; n < 52; n++) ids.push(await sendVia(n % 2 ? a : b, n));
    const newestFirst = ids.slice(-50).reverse();
    for (const srv of [a, b]) {
      expect((await getJson(`${srv.url}/api/sends`)).body.sends.map((s: { id: string }) => s.id)).toEqual(newestFirst);
      expect((await getJson(`${srv.url}/api/sends/${ids.at(-1)}`)).body.id).toBe(ids.at(-1));
      expect((await getJson(`${srv.url}/api/sends/${ids[0]}`)).status).toBe(404);
    }
  });

  it('walks one scripted-response sequence, whichever instance each request reaches', async () => {
    const bin = await createBin(a.url);
    const rules = [{ id: 'flaky', match: {}, sequence: { steps: [{ response: { status: 503 }, times: 2 }, { response: { status: 200 } }] } }];
    const patched = await fetch(`${a.url}/api/bins/${bin.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ responses: { rules } }),
    });
    expect(patched.status).toBe(200);
    // B learns of the new settings by notice (a few ms); wait until it has them.
    await eventually(async () => (await getJson(`${b.url}/api/bins/${bin.id}`)).body.responses.rules.length > 0, 'B to see the new settings');
    const statuses = [];
    for (const srv of [a, b, a, b]) statuses.push((await fetch(`${srv.url}/h/${bin.id}`, { method: 'POST', body: '{}' })).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
  });
});
/** A smee-style event stream (`Accept: text/event-stream`) whose text so far is `text`. */
function openEventStream(url: string): { status: Promise<number>; readonly text: string; close(): void } {
  let text = '';
  const req = http.get(url, { headers: { accept: 'text/event-stream' } });
  const status = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => {
      resolve(res.statusCode!);
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
    });
    req.on('error', reject);
  });
  return {
    status,
    get text() {
      return text;
    },
    close: () => req.destroy(),
  };
}
