// Over 300 lines: the whole contract, run once per store; split apart, a store could pass one half without the other being run against it.
// The Store contract (server/store/types.ts), run against every implementation: what one store
// does, the other must do too. Each test gets fresh storage; stores are real (a temp dir for
// lowdb, a private redis-server for Redis).
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Store, StoredRequest } from '../server/store/types.js';
import { estimatedSize } from '../server/store/usage.js';
import { countedUsage, lowdbFactory, makeBin, makeRecord, newRequestId, redisFactory } from './helpers/stores.js';

const ids = (records: StoredRequest[]) => records.map((r) => r.id);

describe.each([lowdbFactory(), redisFactory()])('$name store', (factory) => {
  const open: Store[] = [];
  const openStore = async (maxRequestsPerBin = 1000) => {
    const store = await factory.open({ maxRequestsPerBin });
    open.push(store);
    return store;
  };
  const closeStore = async (store: Store) => {
    open.splice(open.indexOf(store), 1);
    await store.close();
  };
  async function append(store: Store, binId: string, body: Buffer | string, deliveryKey?: string): Promise<StoredRequest> {
    const made = makeRecord(binId, body, deliveryKey);
    if (deliveryKey) expect(await store.claimDelivery(binId, deliveryKey, made.record.id)).toBeUndefined();
    await store.appendRequest(made.record, made.body);
    return made.record;
  }

  beforeAll(() => factory.setUp());
  afterAll(() => factory.tearDown());
  beforeEach(() => factory.reset());
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  it('keeps bins and their settings; unknown ids read as undefined or false', async () => {
    const store = await openStore();
    const a = makeBin('a');
    const b = { ...makeBin('b'), token: 'secret', requireToken: true, schema: { custom: { type: 'object' } }, expectedIds: ['job-1'] };
    await store.createBin(a);
    await store.createBin(b);
    expect(store.getBin(a.id)).toEqual(a);
    expect(store.getBin(b.id)).toEqual(b);
    expect(
      store
        .listBins()
        .map((bin) => bin.id)
        .sort(),
    ).toEqual([a.id, b.id].sort());
    expect(await store.refreshBin?.(b.id)).toEqual(b);

    const updated = await store.updateBin(a.id, { name: 'renamed', token: null, expectedIds: ['x', 'y'], signingSecret: 'whsec_abc' });
    expect(updated).toEqual({ ...a, name: 'renamed', expectedIds: ['x', 'y'], signingSecret: 'whsec_abc' });
    expect(store.getBin(a.id)).toEqual(updated);
    expect(await store.updateBin(makeBin().id, { name: 'nobody' })).toBeUndefined();

    expect(await store.deleteBin(a.id)).toBe(true);
    expect(await store.deleteBin(a.id)).toBe(false);
    expect(store.getBin(a.id)).toBeUndefined();
    expect(await store.refreshBin?.(a.id)).toBeUndefined();
    expect(store.listBins().map((bin) => bin.id)).toEqual([b.id]);
  });

  it('stores requests with their exact bytes, inline or on their own', async () => {
    const store = await openStore();
    const bin = makeBin();
    await store.createBin(bin);
    const bodies = [
      Buffer.from('{"job_id":"1","é":"ü"}'),
      Buffer.from([0, 255, 254, 10, 13, 0x80]),
      Buffer.alloc(0),
      randomBytes(64 * 1024),
      randomBytes(64 * 1024 + 1),
      randomBytes(300_000),
    ];
    const stored = [];
    for (const body of bodies) stored.push(await append(store, bin.id, body));
    for (const [i, record] of stored.entries()) {
      const again = await store.getRequest(bin.id, record.id);
      expect(again).toEqual(record);
      expect(Buffer.compare(await store.readBody(again!), bodies[i]!)).toBe(0);
    }
    expect(await store.requestCount(bin.id)).toBe(bodies.length);
    expect(await store.binUsage(bin.id)).toEqual({
      count: bodies.length,
      dataSize: stored.reduce((sum, r) => sum + estimatedSize(r), 0),
      oldestAt: stored[0]!.receivedAt,
      newestAt: stored.at(-1)!.receivedAt,
    });
    await store.deleteRequest(bin.id, stored[0]!.id);
    expect(await store.binUsage(bin.id)).toMatchObject({ count: bodies.length - 1, oldestAt: stored[1]!.receivedAt });
    const gone = makeRecord(makeBin().id, 'to nowhere');
    await expect(store.appendRequest(gone.record, gone.body)).rejects.toThrow();
  });

  it('pages newest first with before and limit, and reads oldest first after a cursor', async () => {
    const store = await openStore();
    const bin = makeBin();
    await store.createBin(bin);
    const all: string[] = [];
    for (let i = 0; i < 25; i++) all.push((await append(store, bin.id, `{"n":${i}}`)).id);
    const newest = [...all].reverse();

    const first = await store.listRequests(bin.id, { limit: 10 });
    expect(ids(first.records)).toEqual(newest.slice(0, 10));
    expect(first.nextBefore).toBe(newest[9]);
    const pages: string[][] = [];
    let before: string | undefined;
    for (;;) {
      const page = await store.listRequests(bin.id, { limit: 5, ...(before ? { before } : {}) });
      pages.push(ids(page.records));
      if (page.nextBefore === null) break;
      before = page.nextBefore;
    }
    expect(pages).toHaveLength(5);
    expect(pages.flat()).toEqual(newest);
    expect(await store.listRequests(bin.id, { limit: 5, before: all[0]! })).toEqual({ records: [], nextBefore: null });
    // A cursor that is not a stored id still pages strictly older.
    const between = `${all[12]!}0`; // sorts after all[12] and before all[13]
    expect(ids((await store.listRequests(bin.id, { limit: 100, before: between })).records)).toEqual(newest.filter((id) => id < between));

    expect(ids(await store.requestsAfter(bin.id, null, 3))).toEqual(all.slice(0, 3));
    expect(ids(await store.requestsAfter(bin.id, all[10]!, 5))).toEqual(all.slice(11, 16));
    expect(ids(await store.requestsAfter(bin.id, all[20]!, Number.MAX_SAFE_INTEGER))).toEqual(all.slice(21));
    expect(await store.requestsAfter(bin.id, all[24]!, 10)).toEqual([]);
    expect(await store.requestCount(bin.id)).toBe(25);
  });

  it('leaves out of a search page only requests whose stored text fails mayMatch, and pages on after what it looked at', async () => {
    const store = await openStore();
    const bin = makeBin();
    await store.createBin(bin);
    const all: StoredRequest[] = [];
    for (let i = 0; i < 12; i++) all.push(await append(store, bin.id, i % 3 === 0 ? `{"wanted":${i}}` : `{"other":${i}}`));
    const seen: string[] = [];
    let pages = 0;
    for (let before: string | undefined; ;) {
      pages++;
      const page = await store.listRequests(bin.id, { limit: 5, scan: true, mayMatch: (text) => text.includes('wanted'), ...(before ? { before } : {}) });
      seen.push(...ids(page.records));
      if (page.nextBefore === null) break;
      before = page.nextBefore;
    }
    const wanted = ids(all.filter((_, i) => i % 3 === 0)).reverse();
    expect(seen.filter((id) => wanted.includes(id))).toEqual(wanted); // none that may match is left out
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(3); // 12 looked at, 5 a page: the cursor follows what was looked at, not what was kept
  });

  it('evicts the oldest past the cap, with their bodies and delivery claims', async () => {
    const cap = 5;
    const store = await openStore(cap);
    const bin = makeBin();
    await store.createBin(bin);
    const big = await append(store, bin.id, randomBytes(100_000), 'job-0');
    const appended = [big];
    for (let i = 1; i < 12; i++) appended.push(await append(store, bin.id, `{"n":${i}}`, `job-${i}`));
    const kept = appended.slice(-cap).map((r) => r.id);
    expect(ids((await store.listRequests(bin.id, { limit: 100 })).records)).toEqual([...kept].reverse());
    expect(await store.requestCount(bin.id)).toBe(cap);
    expect(await store.getRequest(bin.id, big.id)).toBeUndefined();
    await expect(store.readBody(big)).rejects.toThrow();
    // Evicted requests free their keys; kept ones still hold theirs.
    expect(await store.findDelivery(bin.id, 'job-0')).toBeUndefined();
    expect(await store.claimDelivery(bin.id, 'job-3', newRequestId())).toBeUndefined();
    expect(await store.claimDelivery(bin.id, 'job-11', newRequestId())).toBe(appended[11]!.id);

    // Concurrent appends: exactly the newest `cap` stay.
    const burst = Array.from({ length: 20 }, (_, i) => makeRecord(bin.id, `{"burst":${i}}`));
    await Promise.all(burst.map(({ record, body }) => store.appendRequest(record, body)));
    const newestIds = burst
      .map((b) => b.record.id)
      .sort()
      .slice(-cap);
    expect(ids(await store.requestsAfter(bin.id, null, 100))).toEqual(newestIds);
  });

  it('says what each append evicted: nothing below the cap, one at it, several once the cap was lowered', async () => {
    let store = await openStore(3);
    const bin = makeBin();
    await store.createBin(bin);
    const appendOne = async (i: number) => {
      const made = makeRecord(bin.id, `{"n":${i}}`);
      return { id: made.record.id, appended: await store.appendRequest(made.record, made.body) };
    };
    const oldest = async () => (await store.requestsAfter(bin.id, null, 1))[0]?.id;
    const [a, b, c, d] = [await appendOne(0), await appendOne(1), await appendOne(2), await appendOne(3)];
    expect(a.appended).toEqual({ evicted: 0, atCap: null });
    expect(b.appended).toEqual({ evicted: 0, atCap: null });
    // The third fills the bin: nothing evicted yet, but the next one will evict.
    expect(c.appended).toEqual({ evicted: 0, atCap: { oldestKept: a.id, limit: 3 } });
    expect(d.appended).toEqual({ evicted: 1, atCap: { oldestKept: b.id, limit: 3 } });
    expect(await oldest()).toBe(b.id);

    // Concurrent appends (one group commit on the embedded store): each says what it evicted, as if stored one after the other.
    const burst = Array.from({ length: 4 }, (_, i) => makeRecord(bin.id, `{"burst":${i}}`));
    const outcomes = await Promise.all(burst.map(({ record, body }) => store.appendRequest(record, body)));
    const stored = burst.map((made, i) => ({ id: made.record.id, appended: outcomes[i]! })).sort((x, y) => (x.id < y.id ? -1 : 1));
    const sequence = [b.id, c.id, d.id, ...stored.map((s) => s.id)];
    stored.forEach((s, k) => expect(s.appended).toEqual({ evicted: 1, atCap: { oldestKept: sequence[k + 1], limit: 3 } }));
    expect(ids(await store.requestsAfter(bin.id, null, 10))).toEqual(sequence.slice(-3));

    // The cap lowered to 2: the next append reports both that went, even when the bin was read first.
    await closeStore(store);
    store = await openStore(2);
    expect((await store.listRequests(bin.id, { limit: 10 })).records.length).toBeGreaterThan(0);
    const e = await appendOne(4);
    expect(e.appended).toEqual({ evicted: 2, atCap: { oldestKept: sequence.at(-1), limit: 2 } });
    // Lowered to 1, appending first thing: both kept go.
    await closeStore(store);
    store = await openStore(1);
    const f = await appendOne(5);
    expect(f.appended).toEqual({ evicted: 2, atCap: { oldestKept: f.id, limit: 1 } });
    expect(ids(await store.requestsAfter(bin.id, null, 10))).toEqual([f.id]);
    expect(await store.requestCount(bin.id)).toBe(1);
  });

  it('deletes one request, clears a bin, and keeps ids increasing after a clear', async () => {
    const store = await openStore();
    const bin = makeBin();
    await store.createBin(bin);
    const one = await append(store, bin.id, randomBytes(70_000), 'job-a');
    const two = await append(store, bin.id, 'two', 'job-b');
    expect(await store.deleteRequest(bin.id, one.id)).toBe(true);
    expect(await store.deleteRequest(bin.id, one.id)).toBe(false);
    expect(await store.getRequest(bin.id, one.id)).toBeUndefined();
    await expect(store.readBody(one)).rejects.toThrow();
    expect(await store.findDelivery(bin.id, 'job-a')).toBeUndefined();
    expect(await store.findDelivery(bin.id, 'job-b')).toBe(two.id);

    await append(store, bin.id, 'three');
    expect(await store.clearRequests(bin.id)).toBe(2);
    expect(await store.listRequests(bin.id, { limit: 10 })).toEqual({ records: [], nextBefore: null });
    expect(await store.requestCount(bin.id)).toBe(0);
    expect(await store.findDelivery(bin.id, 'job-b')).toBeUndefined();
    expect(await store.clearRequests(bin.id)).toBe(0);
    const after = await append(store, bin.id, 'after the clear', 'job-b');
    expect(ids(await store.requestsAfter(bin.id, null, 10))).toEqual([after.id]);

    expect(await store.deleteBin(bin.id)).toBe(true);
    expect(await store.getRequest(bin.id, after.id)).toBeUndefined();
    expect(await store.requestCount(bin.id)).toBe(0);
  });

  it('updates a request in place, keeping its id', async () => {
    const store = await openStore();
    const bin = makeBin();
    await store.createBin(bin);
    const record = await append(store, bin.id, '{"a":1}');
    const updated = await store.updateRequest(bin.id, record.id, (current) => ({ ...current, method: 'PUT', id: 'not-an-id' }));
    expect(updated).toEqual({ ...record, method: 'PUT' });
    expect(await store.getRequest(bin.id, record.id)).toEqual(updated);
    expect((await store.listRequests(bin.id, { limit: 1 })).records).toEqual([updated]);
    expect(await store.updateRequest(bin.id, newRequestId(), (r) => r)).toBeUndefined();
  });

  it('keeps usage equal to a full count through appends, eviction, updates, deletes and clears', async () => {
    const cap = 6;
    const store = await openStore(cap);
    const bin = makeBin();
    await store.createBin(bin);
    const expectUsageCounted = async () => expect(await store.binUsage(bin.id)).toEqual(await countedUsage(store, bin.id));
    await expectUsageCounted();
    const stored: StoredRequest[] = [];
    for (let i = 0; i < 4; i++)
      stored.push(await append(store, bin.id, i === 1 ? randomBytes(70_000) : `{"n":${i},"pad":"${'é'.repeat(i * 50)}"}`, `job-${i}`));
    await expectUsageCounted();
    // An update that changes what a request costs (headers, size), and one that does not.
    await store.updateRequest(bin.id, stored[2]!.id, (r) => ({ ...r, rawHeaders: [...r.rawHeaders, 'X-Added', 'ÿ'.repeat(300)], size: r.size + 7 }));
    await store.updateRequest(bin.id, stored[3]!.id, (r) => ({ ...r, method: 'PUT' }));
    await expectUsageCounted();
    // Past the cap: the oldest go, concurrent appends included.
    const burst = Array.from({ length: 9 }, (_, i) => makeRecord(bin.id, `{"burst":${i}}`, `burst-${i}`));
    await Promise.all(burst.map(({ record, body }) => store.appendRequest(record, body)));
    expect(await store.requestCount(bin.id)).toBe(cap);
    await expectUsageCounted();
    const kept = await store.requestsAfter(bin.id, null, 100);
    expect(await store.deleteRequest(bin.id, kept[0]!.id)).toBe(true); // the oldest: oldestAt moves
    expect(await store.deleteRequest(bin.id, kept.at(-1)!.id)).toBe(true); // the newest: newestAt moves
    await expectUsageCounted();
    expect((await store.binUsage(bin.id)).count).toBe(cap - 2);
    await store.clearRequests(bin.id);
    expect(await store.binUsage(bin.id)).toEqual({ count: 0, dataSize: 0, oldestAt: null, newestAt: null });
    await append(store, bin.id, 'after the clear');
    await expectUsageCounted();
    await store.deleteBin(bin.id);
    expect(await store.binUsage(bin.id)).toEqual({ count: 0, dataSize: 0, oldestAt: null, newestAt: null });
  });

  it('claims a delivery key atomically: of concurrent claims exactly one is first', async () => {
    const store = await openStore();
    const bin = makeBin();
    await store.createBin(bin);
    const claimants = Array.from({ length: 30 }, () => newRequestId());
    const results = await Promise.all(claimants.map((id) => store.claimDelivery(bin.id, 'run-1', id)));
    const winners = claimants.filter((_, i) => results[i] === undefined);
    expect(winners).toHaveLength(1);
    for (const [i, result] of results.entries()) if (claimants[i] !== winners[0]) expect(result).toBe(winners[0]);
    expect(await store.findDelivery(bin.id, 'run-1')).toBe(winners[0]);
    // Finding never claims.
    expect(await store.findDelivery(bin.id, 'run-2')).toBeUndefined();
    expect(await store.claimDelivery(bin.id, 'run-2', claimants[0]!)).toBeUndefined();
    expect(await store.claimDelivery(makeBin().id, 'run-1', claimants[0]!)).toBeUndefined();
  });

  it('counts scripted-response sequence positions atomically, per bin and rule, until reset', async () => {
    const store = await openStore();
    const bin = makeBin();
    const other = makeBin();
    await store.createBin(bin);
    await store.createBin(other);
    const positions = await Promise.all(Array.from({ length: 20 }, () => store.nextSequencePosition(bin.id, 'flaky')));
    expect([...positions].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(await store.nextSequencePosition(bin.id, 'other-rule')).toBe(0);
    expect(await store.nextSequencePosition(other.id, 'flaky')).toBe(0);
    await store.resetSequences(bin.id);
    expect(await store.nextSequencePosition(bin.id, 'flaky')).toBe(0);
    expect(await store.nextSequencePosition(other.id, 'flaky')).toBe(1);
  });

  it('keeps bins, requests, bodies and claims across a reopen', async () => {
    let store = await openStore();
    const bin = makeBin('durable');
    await store.createBin(bin);
    const small = await append(store, bin.id, '{"job_id":"1"}', 'job-1');
    const large = await append(store, bin.id, randomBytes(90_000));
    await closeStore(store);

    store = await openStore();
    expect(store.getBin(bin.id)).toEqual(bin);
    expect(ids(await store.requestsAfter(bin.id, null, 10))).toEqual([small.id, large.id]);
    expect(await store.getRequest(bin.id, small.id)).toEqual(small);
    expect((await store.readBody(large)).length).toBe(90_000);
    expect(await store.claimDelivery(bin.id, 'job-1', newRequestId())).toBe(small.id);
  });

  it('keeps one session epoch until it is bumped, across a reopen and for a second store on the same data', async () => {
    let store = await openStore();
    const first = await store.sessionEpoch();
    expect(first).toMatch(/^[\w-]{16,}$/);
    expect(await store.sessionEpoch()).toBe(first);
    const second = await openStore(); // another instance on the same data (Redis), or the next start (lowdb)
    expect(await second.sessionEpoch()).toBe(first);
    await closeStore(second);

    const bumped = await store.bumpSessionEpoch();
    expect(bumped).not.toBe(first);
    expect(await store.sessionEpoch()).toBe(bumped);
    const again = await store.bumpSessionEpoch();
    expect(new Set([first, bumped, again]).size).toBe(3); // never back to an earlier one
    await closeStore(store);

    store = await openStore();
    expect(await store.sessionEpoch()).toBe(again); // durable
  });

  it('answers for unknown bins without creating anything', async () => {
    const store = await openStore();
    const id = makeBin().id;
    expect(store.getBin(id)).toBeUndefined();
    expect(await store.listRequests(id, { limit: 10 })).toEqual({ records: [], nextBefore: null });
    expect(await store.requestsAfter(id, null, 10)).toEqual([]);
    expect(await store.getRequest(id, newRequestId())).toBeUndefined();
    expect(await store.requestCount(id)).toBe(0);
    expect(await store.binUsage(id)).toEqual({ count: 0, dataSize: 0, oldestAt: null, newestAt: null });
    expect(await store.deleteRequest(id, newRequestId())).toBe(false);
    expect(await store.clearRequests(id)).toBe(0);
    expect(await store.updateRequest(id, newRequestId(), (r) => r)).toBeUndefined();
    expect(await store.findDelivery(id, 'k')).toBeUndefined();
    expect(store.listBins()).toEqual([]);
  });
});
