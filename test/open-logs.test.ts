// The embedded store keeps only recently used bins in memory (server/store/lowdb/open-logs.ts): these
// tests run a real LowdbStore on a temp dir with a tiny budget, so that logs close and open again
// under traffic, and check that nothing stored is lost or altered on the way.
import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LowdbStore } from '../server/store/lowdb/lowdb-store.js';
import type { OpenLogsLimits } from '../server/store/lowdb/open-logs.js';
import type { StoredRequest } from '../server/store/types.js';
import { eventually } from './helpers/eventually.js';
import { makeBin, makeRecord, newRequestId } from './helpers/stores.js';
import { createBin, getJson, makeTempDir, serversClosedAfterEach } from './helpers/server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openStore(limits: Partial<OpenLogsLimits>, dir?: string): Promise<{ store: LowdbStore; dir: string }> {
  const dataDir = dir ?? (await makeTempDir('hookscope-open-logs-'));
  const store = await LowdbStore.open(dataDir, { maxRequestsPerBin: 1000, logLimits: limits });
  let closed = false;
  const close = store.close.bind(store);
  store.close = async () => {
    if (!closed) await close();
    closed = true;
  };
  cleanups.push(async () => {
    await store.close();
    if (!dir) await rm(dataDir, { recursive: true, force: true });
  });
  return { store, dir: dataDir };
}

async function append(store: LowdbStore, binId: string, body: Buffer | string): Promise<{ record: StoredRequest; body: Buffer }> {
  const made = makeRecord(binId, body);
  await store.appendRequest(made.record, made.body);
  return made;
}

async function createBins(store: LowdbStore, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const bin = makeBin(`bin ${i}`);
    await store.createBin(bin);
    ids.push(bin.id);
  }
  return ids;
}

describe('open bin logs within a memory budget', () => {
  it('closes the least recently used logs and reads them back exactly when used again', async () => {
    const { store } = await openStore({ maxHeldBytes: 1, maxOpen: 2, minOpenMs: 0 });
    const bins = await createBins(store, 6);
    const sent = new Map<string, { record: StoredRequest; body: Buffer }[]>();
    for (const binId of bins) {
      sent.set(binId, [
        await append(store, binId, `{"bin":"${binId}"}`),
        await append(store, binId, randomBytes(70_000)),
        await append(store, binId, randomBytes(300)),
      ]);
    }
    expect(store.openBinCount).toBe(1); // over a 1-byte budget only the log in use stays open

    for (const binId of bins) {
      const kept = await store.requestsAfter(binId, null, 10);
      expect(kept.map((r) => r.id)).toEqual(sent.get(binId)!.map((s) => s.record.id));
      for (const [i, record] of kept.entries()) expect(Buffer.compare(await store.readBody(record), sent.get(binId)![i]!.body)).toBe(0);
    }
    expect(store.openBinCount).toBeLessThanOrEqual(2);
  });

  it('knows the usage of closed bins without opening them again', async () => {
    const { store } = await openStore({ maxHeldBytes: 1, maxOpen: 1, minOpenMs: 0 });
    const bins = await createBins(store, 4);
    for (const [i, binId] of bins.entries()) for (let n = 0; n <= i; n++) await append(store, binId, `request ${n}`);
    const before = store.openBinCount;
    expect(await Promise.all(bins.map((b) => store.requestCount(b)))).toEqual([1, 2, 3, 4]);
    const usage = await store.binUsage(bins[3]!);
    expect(usage).toMatchObject({ count: 4 });
    expect(usage.oldestAt! <= usage.newestAt!).toBe(true);
    expect(store.openBinCount).toBe(before);
  });

  it('reads the usage of bins not opened since the start one at a time, within the budget', async () => {
    const first = await openStore({ maxHeldBytes: 1, maxOpen: 1, minOpenMs: 0 });
    const bins = await createBins(first.store, 8);
    for (const [i, binId] of bins.entries()) for (let n = 0; n < i; n++) await append(first.store, binId, randomBytes(100));
    await first.store.close();

    const { store } = await openStore({ maxHeldBytes: 1, maxOpen: 1, minOpenMs: 0 }, first.dir);
    let mostOpen = 0;
    const counts = bins.map(async (b) => {
      const count = await store.requestCount(b);
      mostOpen = Math.max(mostOpen, store.openBinCount);
      return count;
    });
    expect(await Promise.all(counts)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // The one log the budget allows, plus the next one being read: never all eight at once.
    expect(mostOpen).toBeLessThanOrEqual(2);
  });

  it('loses nothing when many bins take captures at once and keep closing and opening', async () => {
    const { store, dir } = await openStore({ maxHeldBytes: 1, maxOpen: 2, minOpenMs: 0 });
    const bins = await createBins(store, 10);
    const sent = await Promise.all(
      Array.from({ length: 300 }, (_, i) => append(store, bins[i % bins.length]!, i % 50 === 0 ? randomBytes(80_000) : `{"n":${i}}`)),
    );
    await store.close();

    const { store: again } = await openStore({ maxHeldBytes: 1, maxOpen: 2, minOpenMs: 0 }, dir);
    for (const binId of bins) {
      const expected = sent
        .filter((s) => s.record.binId === binId)
        .map((s) => s.record.id)
        .sort();
      const kept = await again.requestsAfter(binId, null, 1000);
      expect(kept.map((r) => r.id)).toEqual(expected);
    }
    const big = sent.find((s) => s.body.length === 80_000)!;
    expect(Buffer.compare(await again.readBody((await again.getRequest(big.record.binId, big.record.id))!), big.body)).toBe(0);
  });

  it('keeps a recently used log open over the budget, so a delivery claim is not forgotten before its request is stored', async () => {
    const { store } = await openStore({ maxHeldBytes: 1, maxOpen: 1, minOpenMs: 60_000 });
    const [claimed, ...others] = await createBins(store, 4);
    const firstId = newRequestId();
    expect(await store.claimDelivery(claimed!, 'job-1', firstId)).toBeUndefined();
    for (const binId of others) await append(store, binId!, 'traffic elsewhere');
    expect(store.openBinCount).toBe(4);
    expect(await store.claimDelivery(claimed!, 'job-1', newRequestId())).toBe(firstId);
  });

  it('closes logs over the budget once they have been idle for the minimum time', async () => {
    const { store } = await openStore({ maxHeldBytes: 1, maxOpen: 1, minOpenMs: 1000 });
    for (const binId of await createBins(store, 3)) await append(store, binId, 'x');
    expect(store.openBinCount).toBe(3);
    await eventually(() => store.openBinCount === 1, 'the idle logs to close');
    expect(store.openBinCount).toBe(1);
  });

  it('deletes a bin whether its log is open, closing or closed', async () => {
    const { store, dir } = await openStore({ maxHeldBytes: 1, maxOpen: 1, minOpenMs: 0 });
    const [closedBin, closingBin, openBin] = await createBins(store, 3);
    for (const binId of [closedBin!, closingBin!, openBin!]) await append(store, binId, randomBytes(70_000));
    // closingBin's close was just started by the append to openBin: delete it meanwhile.
    expect(await Promise.all([store.deleteBin(closingBin!), store.deleteBin(closedBin!), store.deleteBin(openBin!)])).toEqual([true, true, true]);
    expect(await readdir(path.join(dir, 'bins'))).toEqual([]);
    expect(await store.requestCount(closedBin!)).toBe(0);
  });
});

describe('--cache-size', () => {
  const start = serversClosedAfterEach();

  it('serves every bin with its count after a restart, with a cache smaller than one bin', async () => {
    const first = await start();
    const bins = [];
    for (let i = 0; i < 5; i++) {
      const bin = await createBin(first.url, { name: `bin ${i}` });
      for (let n = 0; n < 3 + i; n++) expect((await fetch(bin.url, { method: 'POST', body: randomBytes(2000) })).status).toBe(200);
      bins.push(bin);
    }
    await first.stop();

    const second = await start({ dataDir: first.dataDir, cacheSize: 1024 });
    const listed = (await getJson(`${second.url}/api/bins`)).body.bins as { id: string; requestCount: number }[];
    expect(Object.fromEntries(listed.map((b) => [b.id, b.requestCount]))).toEqual(Object.fromEntries(bins.map((b, i) => [b.id, 3 + i])));
    for (const bin of bins) expect((await getJson(`${second.url}/api/bins/${bin.id}/requests?limit=100`)).body.requests).toHaveLength(bins.indexOf(bin) + 3);
  });
});
