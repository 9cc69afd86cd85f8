// What only the Redis store has to get right, beyond the shared contract: ids that keep
// increasing when several instances store into one bin, events published with the change, the
// key layout (one hash tag per bin), claims left by failed captures, and the --redis-url flag.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, readConfig } from '../server/config.js';
import { createRequestIdGenerator } from '../server/ids.js';
import { RedisConnection } from '../server/store/redis/connection.js';
import { RedisBus } from '../server/store/redis/redis-bus.js';
import { binKeys } from '../server/store/redis/keys.js';
import { estimatedSize } from '../server/store/usage.js';
import { RedisStore } from '../server/store/redis/redis-store.js';
import { toSummary } from '../server/views/request-view.js';
import type { ReplayAttempt } from '../shared/api-types.js';
import type { BinEvent } from '../server/live/bus.js';
import { eventually } from './helpers/eventually.js';
import { startRedis, type TestRedis } from './helpers/redis.js';
import { countedUsage, makeBin, makeRecord } from './helpers/stores.js';

let redis: TestRedis;
const stores: RedisStore[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.close());
beforeEach(() => redis.command(['FLUSHALL']));
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
async function openStore(maxRequestsPerBin = 1000): Promise<{ store: RedisStore; connection: RedisConnection }> {
  const connection = await RedisConnection.open(redis.url);
  const store = await RedisStore.open(connection, { maxRequestsPerBin });
  stores.push(store);
  return { store, connection };
}

describe('Redis store', () => {
  // An original may be stored under a newer id than it claimed with (another instance stored a
  // newer one first): its duplicates, flagged at claim time, must follow it, whether they were
  // stored before or after it.
  for (const order of ['duplicate stored first', 'original stored first'] as const) {
    it(`keeps a duplicate pointing at its original when the original's id changes on storing (${order})`, async () => {
      const { store } = await openStore();
      const bin = makeBin();
      await store.createBin(bin);
      // Large enough to have summaries kept (summaries.ts), which must follow the original too.
      const large = JSON.stringify({ job_id: 'j', pad: 'x'.repeat(5000) });
      const original = makeRecord(bin.id, large, 'job-j');
      const duplicate = makeRecord(bin.id, large, 'job-j');
      expect(await store.claimDelivery(bin.id, 'job-j', original.record.id)).toBeUndefined();
      const first = await store.claimDelivery(bin.id, 'job-j', duplicate.record.id);
      expect(first).toBe(original.record.id);
      duplicate.record.checks = { ...duplicate.record.checks!, duplicateOf: first! };
      const newer = makeRecord(bin.id, 'another instance got ahead');
      await store.appendRequest(newer.record, newer.body);
      const sequence = order === 'duplicate stored first' ? [duplicate, original] : [original, duplicate];
      for (const made of sequence) await store.appendRequest(made.record, made.body);

      const storedOriginal = await store.getRequest(bin.id, original.record.id);
      expect(storedOriginal?.checks?.deliveryKey).toBe('job-j');
      expect(await store.findDelivery(bin.id, 'job-j')).toBe(original.record.id);
      const storedDuplicate = await store.getRequest(bin.id, duplicate.record.id);
      expect(storedDuplicate?.checks?.duplicateOf).toBe(original.record.id);
      expect((await store.requestsAfter(bin.id, null, 10)).find((r) => r.id === duplicate.record.id)?.checks?.duplicateOf).toBe(original.record.id);
      expect(await redis.command(['HEXISTS', binKeys(bin.id).sum, duplicate.record.id])).toBe(':1');
      expect((await store.listSummaries(bin.id, { limit: 10 })).summaries.find((s) => s.id === duplicate.record.id)?.checks?.duplicateOf).toBe(
        original.record.id,
      );
    });
  }

  it('stores a request with an older id (another instance got ahead) under a newer one, and moves its claim', async () => {
    const { store } = await openStore();
    const bin = makeBin();
    await store.createBin(bin);
    const lagging = createRequestIdGenerator(() => Date.now() - 60_000); // an instance whose clock is a minute behind
    const ahead = makeRecord(bin.id, '{"first":true}');
    await store.appendRequest(ahead.record, ahead.body);
    const late = makeRecord(bin.id, '{"job_id":"j"}', 'job-j');
    const proposed = lagging().id;
    late.record.id = proposed;
    expect(await store.claimDelivery(bin.id, 'job-j', proposed)).toBeUndefined();
    await store.appendRequest(late.record, late.body);
    expect(late.record.id > ahead.record.id).toBe(true);
    expect((await store.requestsAfter(bin.id, null, 10)).map((r) => r.id)).toEqual([ahead.record.id, late.record.id]);
    expect(await store.findDelivery(bin.id, 'job-j')).toBe(late.record.id);
    expect(await store.getRequest(bin.id, late.record.id)).toEqual(late.record);
  });

  it('publishes request events with the change, and the bus delivers them in commit order', async () => {
    const { store, connection } = await openStore(3);
    const bus = new RedisBus(connection, store);
    const bin = makeBin();
    await store.createBin(bin);
    const events: BinEvent[] = [];
    const stop = bus.subscribe(bin.id, (event) => events.push(event));
    await bus.ready(bin.id);
    const big = makeRecord(bin.id, randomBytes(80_000));
    await store.appendRequest(big.record, big.body);
    const small = makeRecord(bin.id, 'small');
    await store.appendRequest(small.record, small.body);
    await store.updateRequest(bin.id, small.record.id, (r) => ({ ...r, method: 'PATCH' }));
    await store.deleteRequest(bin.id, small.record.id);
    await store.clearRequests(bin.id);
    bus.publish(bin.id, { type: 'request.deleted', binId: bin.id, requestId: 'ignored: the store published it' });
    bus.publish(bin.id, { type: 'bin.deleted', binId: bin.id });
    await eventually(() => events.length === 6, 'six events from the bus');
    expect(events.map((e) => e.type)).toEqual(['request.created', 'request.created', 'request.updated', 'request.deleted', 'requests.cleared', 'bin.deleted']);
    const first = events[0]!;
    expect(first.type === 'request.created' && Buffer.compare(first.body, big.body)).toBe(0);
    expect(first.type === 'request.created' && first.record).toEqual(big.record);
    stop();
  });

  it('keeps every key of a bin under its hash tag and removes them all with the bin', async () => {
    const { store } = await openStore(2);
    const bin = makeBin();
    await store.createBin(bin);
    for (let i = 0; i < 4; i++) {
      const { record, body } = makeRecord(bin.id, randomBytes(70_000), `k${i}`);
      await store.claimDelivery(bin.id, `k${i}`, record.id);
      await store.appendRequest(record, body);
    }
    const keys = (await redis.command(['KEYS', '*'])).split('\r\n').filter((line) => line.startsWith('hookscope'));
    expect(keys.filter((k) => k !== 'hookscope:bins').every((k) => k.startsWith(`hookscope:{${bin.id}}:`))).toBe(true);
    expect(keys.filter((k) => k.includes(':body:'))).toHaveLength(2); // evicted bodies went with their requests
    await store.deleteBin(bin.id);
    expect(await redis.command(['DBSIZE'])).toBe(':0');
  });

  it('lets a claim left by a capture that never stored its request lapse', async () => {
    const { store } = await openStore();
    const bin = makeBin();
    await store.createBin(bin);
    const failedCapture = createRequestIdGenerator(() => Date.now() - 10_000)().id; // claimed 10 s ago, never stored
    expect(await store.claimDelivery(bin.id, 'job-x', failedCapture)).toBeUndefined();
    const retry = makeRecord(bin.id, 'retry', 'job-x');
    expect(await store.claimDelivery(bin.id, 'job-x', retry.record.id)).toBeUndefined();
    // A fresh claim still counts while its capture is on its way to being stored.
    expect(await store.claimDelivery(bin.id, 'job-x', makeRecord(bin.id, 'dup').record.id)).toBe(retry.record.id);
  });

  it('lists the summaries kept beside large records exactly as the records would list, through updates, eviction and data stored without them', async () => {
    const { store } = await openStore(5);
    const bin = makeBin();
    await store.createBin(bin);
    const summaries = async () => Number((await redis.command(['HLEN', binKeys(bin.id).sum])).slice(1));
    // Pages of 2, newest first, as summaries and as records made into summaries: the same JSON, the same cursors.
    const expectSameList = async () => {
      for (let before: string | undefined; ;) {
        const options = { limit: 2, ...(before ? { before } : {}) };
        const [summaries, records] = await Promise.all([store.listSummaries(bin.id, options), store.listRequests(bin.id, options)]);
        expect(JSON.stringify(summaries)).toBe(JSON.stringify({ summaries: records.records.map(toSummary), nextBefore: records.nextBefore }));
        if (summaries.nextBefore === null) return;
        before = summaries.nextBefore;
      }
    };
    const made = [
      makeRecord(bin.id, randomBytes(60_000)),
      makeRecord(bin.id, '{"job_id":"a"}', 'job-a'),
      makeRecord(bin.id, randomBytes(100_000)),
      makeRecord(bin.id, 'x'),
    ];
    made[3]!.record.response = { status: 202, delayMs: 0, ruleId: 'r1', headers: { 'x-a': '1' }, bodySize: 2 };
    for (const { record, body } of made) await store.appendRequest(record, body);
    await expectSameList();
    expect(await summaries()).toBe(1); // only the 60 KB body is inline and large; 100 KB bodies have their own key
    const attempt = {
      id: 'r',
      at: new Date().toISOString(),
      trigger: 'replay',
      target: 'http://127.0.0.1:9/x',
      method: 'POST',
      status: 200,
      headers: [],
    } as unknown as ReplayAttempt;
    await store.updateRequest(bin.id, made[1]!.record.id, (r) => ({ ...r, replays: [attempt] }));
    expect((await store.listSummaries(bin.id, { limit: 10 })).summaries.find((s) => s.id === made[1]!.record.id)?.lastReplay).toMatchObject({ status: 200 });
    await expectSameList();
    // An update that makes a small record large gives it a summary; one that makes it small again takes it away.
    await store.updateRequest(bin.id, made[3]!.record.id, (r) => ({ ...r, rawHeaders: [...r.rawHeaders, 'X-Large', 'v'.repeat(5000)] }));
    expect(await summaries()).toBe(2);
    await expectSameList();
    await store.updateRequest(bin.id, made[3]!.record.id, (r) => ({ ...r, rawHeaders: r.rawHeaders.slice(0, -2) }));
    expect(await summaries()).toBe(1);
    for (let i = 0; i < 4; i++) {
      const { record, body } = makeRecord(bin.id, i % 2 === 1 ? randomBytes(8000) : `{"more":${i}}`);
      await store.appendRequest(record, body); // evicts the first three, the 60 KB one among them
    }
    await expectSameList();
    expect(await summaries()).toBe(2);
    // Stored by the previous version: no summaries; listed from the records.
    await redis.command(['DEL', binKeys(bin.id).sum]);
    await expectSameList();
    expect(await store.listSummaries(makeBin().id, { limit: 5 })).toEqual({ summaries: [], nextBefore: null });
  });

  it('keeps a head per request and the running size exact on every change, so usage reads no record', async () => {
    const { store } = await openStore(4);
    const bin = makeBin();
    await store.createBin(bin);
    const keys = binKeys(bin.id);
    const expectKept = async () => {
      const counted = await countedUsage(store, bin.id);
      expect(await redis.command(['HLEN', keys.head])).toBe(`:${counted.count}`);
      expect(await redis.command(['HGET', keys.usage, 'size'])).toBe(`$${String(counted.dataSize).length}\r\n${counted.dataSize}`);
    };
    const made = Array.from({ length: 7 }, (_, i) => makeRecord(bin.id, i === 0 ? randomBytes(80_000) : `{"n":${i}}`, `job-${i}`));
    for (const { record, body } of made) await store.appendRequest(record, body); // the last three evict
    await expectKept();
    await store.updateRequest(bin.id, made[5]!.record.id, (r) => ({ ...r, rawHeaders: [...r.rawHeaders, 'X-More', 'value'] }));
    await expectKept();
    await store.deleteRequest(bin.id, made[4]!.record.id);
    await expectKept();
    await store.clearRequests(bin.id);
    expect(await redis.command(['EXISTS', keys.head, keys.usage])).toBe(':0');
  });

  it('gives requests stored without heads (an earlier version) their heads and summaries once, so usage matches a full count', async () => {
    const { store } = await openStore(8);
    const bin = makeBin();
    await store.createBin(bin);
    const keys = binKeys(bin.id);
    for (let i = 0; i < 6; i++) {
      const { record, body } = makeRecord(bin.id, i === 2 ? randomBytes(90_000) : i === 3 ? `{"n":3,"pad":"${'x'.repeat(5000)}"}` : `{"n":${i}}`, `job-${i}`);
      await store.claimDelivery(bin.id, `job-${i}`, record.id);
      await store.appendRequest(record, body);
    }
    // What the previous version left: the same records, claims and ids, but no heads, running size or summaries.
    expect(await redis.command(['DEL', keys.head, keys.usage, keys.sum])).toBe(':3');
    const counted = await countedUsage(store, bin.id);
    expect(counted.count).toBe(6);
    expect(await store.binUsage(bin.id)).toEqual(counted);
    expect(await redis.command(['HLEN', keys.head])).toBe(':6'); // given once, then kept
    expect(await redis.command(['HLEN', keys.sum])).toBe(':1'); // the one large record
    expect((await store.listSummaries(bin.id, { limit: 10 })).summaries).toEqual((await store.listRequests(bin.id, { limit: 10 })).records.map(toSummary));
    expect(await store.binUsage(bin.id)).toEqual(counted);

    // Partly migrated data: two requests without heads, and heads of two requests an earlier
    // version removed without knowing of heads (their costs still counted).
    const all = await store.requestsAfter(bin.id, null, 10);
    for (const headless of [all[1]!, all[4]!]) {
      await redis.command(['HDEL', keys.head, headless.id]);
      await redis.command(['HINCRBY', keys.usage, 'size', String(-estimatedSize(headless))]);
    }
    for (const gone of [all[0]!, all[3]!]) {
      await redis.command(['ZREM', keys.ids, gone.id]);
      await redis.command(['HDEL', keys.req, gone.id]);
    }
    expect(await store.binUsage(bin.id)).toEqual(await countedUsage(store, bin.id));
    expect(await redis.command(['HLEN', keys.head])).toBe(':4');
    expect(await redis.command(['HLEN', keys.sum])).toBe(':0'); // the large one was among the removed

    // Requests without a head are still evicted and deleted with their claims.
    await redis.command(['DEL', keys.head, keys.usage]);
    expect(await store.deleteRequest(bin.id, all[1]!.id)).toBe(true);
    expect(await store.findDelivery(bin.id, 'job-1')).toBeUndefined();
    for (let i = 0; i < 8; i++) {
      const { record, body } = makeRecord(bin.id, `{"later":${i}}`);
      await store.appendRequest(record, body);
    }
    expect(await store.findDelivery(bin.id, 'job-5')).toBeUndefined(); // evicted
    expect(await store.binUsage(bin.id)).toEqual(await countedUsage(store, bin.id));
    expect(await redis.command(['HLEN', keys.head])).toBe(':8');
  });

  it('fails to start with a clear message when Redis cannot be reached', async () => {
    const dead = await startRedis();
    await dead.close();
    await expect(RedisConnection.open(dead.url)).rejects.toThrow(/cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+\/0/);
  });
});

describe('--redis-url', () => {
  it('is read from the flag or HOOKSCOPE_REDIS_URL, defaults to null, and is checked', () => {
    expect(DEFAULTS.redisUrl).toBeNull();
    expect(readConfig([], {}).redisUrl).toBeNull();
    expect(readConfig(['--redis-url', 'redis://10.0.0.5:6379/2'], {}).redisUrl).toBe('redis://10.0.0.5:6379/2');
    expect(readConfig([], { HOOKSCOPE_REDIS_URL: 'rediss://user:pw@cache.example:6380' }).redisUrl).toBe('rediss://user:pw@cache.example:6380');
    for (const bad of ['http://127.0.0.1:6379', 'redis://', 'redis://h:6379/zero', 'redis://h:6379/0?x=1', 'not a url']) {
      expect(() => readConfig(['--redis-url', bad], {}), bad).toThrow(ConfigError);
    }
  });
});
