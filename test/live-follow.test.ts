// "Catch up, then follow live" (server/live/follow.ts), the routine behind the WebSocket push, the
// smee stream and the long-poll wait, run against both stores with the bus of each kind: the
// in-process bus for lowdb, Redis pub/sub for Redis (there a second instance does the writing,
// as another hookscope on the same Redis would).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BinEvent, LiveBus } from '../server/live/bus.js';
import { follow, type Follow, type FollowOptions, type FollowSource } from '../server/live/follow.js';
import type { Store } from '../server/store/types.js';
import { lowdbFactory, makeBin, makeRecord, redisFactory } from './helpers/stores.js';
import { eventually } from './helpers/eventually.js';

interface Backend {
  store: Store;
  bus: LiveBus;
}

/** One delivery as the test saw it: a request id (or the event type for other events), and where it came from. */
interface Delivered {
  what: string;
  source: FollowSource;
}

const describeWhat = (event: BinEvent) => (event.type === 'request.created' ? event.record.id : event.type);

describe.each([lowdbFactory(), redisFactory()])('follow on the $name store', (factory) => {
  const opened: Backend[] = [];
  const follows: Follow[] = [];
  let reader: Backend;
  /** Where requests are stored from: the same instance (lowdb), another instance (Redis). */
  let writer: Backend;
  let binId: string;

  beforeAll(() => factory.setUp());
  afterAll(() => factory.tearDown());
  beforeEach(async () => {
    await factory.reset();
    const open = async () => {
      const backend = await factory.openWithBus({ maxRequestsPerBin: 1000 });
      opened.push(backend);
      return backend;
    };
    reader = await open();
    writer = factory.name === 'redis' ? await open() : reader;
    const bin = makeBin('follow');
    await reader.store.createBin(bin);
    await writer.store.refreshBin?.(bin.id);
    binId = bin.id;
  });
  afterEach(async () => {
    for (const f of follows.splice(0)) f.stop();
    await Promise.all(opened.splice(0).map((b) => b.store.close()));
  });

  /** Stores a request as the capture path does (durable first, then told to the bus); its id. */
  async function capture(body = '{}'): Promise<string> {
    const { record, body: bytes } = makeRecord(binId, body);
    await writer.store.appendRequest(record, bytes);
    writer.bus.publish(binId, { type: 'request.created', record, body: bytes }); // Redis: its store already published it
    return record.id;
  }

  async function captureMany(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await capture(`{"n":${i}}`));
    return ids;
  }

  function start(options: Partial<FollowOptions> & Pick<FollowOptions, 'after'>): { delivered: Delivered[]; following: Follow } {
    const delivered: Delivered[] = [];
    const following = follow({
      store: reader.store,
      bus: reader.bus,
      binId,
      maxQueuedBytes: 8 * 1024 * 1024,
      ...options,
      deliver: async (event, source) => {
        delivered.push({ what: describeWhat(event), source });
        await options.deliver?.(event, source);
      },
    });
    follows.push(following);
    return { delivered, following };
  }

  const ids = (delivered: Delivered[]) => delivered.map((d) => d.what);

  it('delivers what is stored after the cursor, oldest first, then what arrives, each once', async () => {
    const stored = await captureMany(5);
    const { delivered } = start({ after: stored[1]! });
    await eventually(() => delivered.length === 3, 'the catch-up');
    expect(delivered).toEqual(stored.slice(2).map((id) => ({ what: id, source: 'store' })));
    const arrived = await captureMany(2);
    await eventually(() => delivered.length === 5, 'the live requests');
    expect(delivered.slice(3)).toEqual(arrived.map((id) => ({ what: id, source: 'bus' })));
    await new Promise((r) => setTimeout(r, 100)); // room for a duplicate to show
    expect(ids(delivered)).toEqual([...stored.slice(2), ...arrived]);
  });

  it('catches up over several pages while requests keep arriving: every request once, in id order', async () => {
    const stored = await captureMany(120); // more than two pages
    let arrived: string[] = [];
    const slowReader = () => new Promise<void>((r) => setTimeout(r, 2));
    const { delivered } = start({ after: stored[0]!, deliver: (_event, source) => (source === 'store' ? slowReader() : undefined) });
    arrived = await captureMany(60); // concurrently with the catch-up
    const expected = [...stored.slice(1), ...arrived];
    await eventually(() => delivered.length >= expected.length, 'every request', 20_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(ids(delivered)).toEqual(expected);
    // The two phases overlapped: some came from the store, the rest live, none from both.
    expect(delivered.some((d) => d.source === 'bus')).toBe(true);
    expect(delivered.filter((d) => d.source === 'store').length).toBeGreaterThanOrEqual(119);
  });

  it('delivers a request stored after a newer one (its checks took longer) once, though the catch-up sent the newer', async () => {
    const [cursor] = await captureMany(1);
    // Capture takes an id on arrival and stores after the checks, so a slow request is stored after a faster later one.
    const slow = makeRecord(binId, '{"slow":true}');
    const fast = makeRecord(binId, '{"fast":true}');
    await writer.store.appendRequest(fast.record, fast.body);
    writer.bus.publish(binId, { type: 'request.created', record: fast.record, body: fast.body });
    const { delivered } = start({ after: cursor! });
    await eventually(() => delivered.length === 1, 'the catch-up');
    expect(delivered).toEqual([{ what: fast.record.id, source: 'store' }]);
    await writer.store.appendRequest(slow.record, slow.body); // Redis stores it under a newer id (Store.appendRequest)
    writer.bus.publish(binId, { type: 'request.created', record: slow.record, body: slow.body });
    await eventually(() => delivered.length === 2, 'the request stored late');
    await new Promise((r) => setTimeout(r, 100)); // room for a duplicate to show
    expect(delivered).toEqual([
      { what: fast.record.id, source: 'store' },
      { what: slow.record.id, source: 'bus' },
    ]);
  });

  it('without a cursor delivers only what arrives from now on', async () => {
    await captureMany(3);
    const { delivered } = start({ after: null });
    await reader.bus.ready(binId); // a Redis subscription is confirmed asynchronously
    const arrived = await captureMany(2);
    await eventually(() => delivered.length === 2, 'the live requests');
    expect(delivered).toEqual(arrived.map((id) => ({ what: id, source: 'bus' })));
  });

  it('calls a cursor function once the bus listens and before the store is read; its answer is the cursor', async () => {
    const stored = await captureMany(3);
    const order: string[] = [];
    let duringCursor = '';
    const resumed = start({
      after: async () => {
        order.push('cursor');
        return stored[1]!;
      },
      deliver: () => void order.push('delivery'),
    });
    await eventually(() => resumed.delivered.length === 1, 'the catch-up');
    expect(order).toEqual(['cursor', 'delivery']);
    expect(resumed.delivered).toEqual([{ what: stored[2], source: 'store' }]);

    // A request stored while the function runs is not lost even when it answers "no catch-up".
    const fresh = start({
      after: async () => {
        duringCursor = await capture('{"during":true}');
        return null;
      },
    });
    await eventually(() => fresh.delivered.length === 1, 'the request stored during the cursor function');
    expect(fresh.delivered).toEqual([{ what: duringCursor, source: 'bus' }]);
  });

  it('passes every event type through, in the order of the bus, after the catch-up it follows', async () => {
    const [first, second] = await captureMany(2);
    let changed = false;
    const { delivered } = start({
      after: '0'.repeat(26), // older than anything stored
      pageSize: 1,
      deliver: async (_event, source) => {
        if (source !== 'store' || changed) return;
        changed = true; // while the catch-up is at the first request: delete the second, then the bin, as the API does
        expect(await writer.store.deleteRequest(binId, second!)).toBe(true);
        writer.bus.publish(binId, { type: 'request.deleted', binId, requestId: second! });
        expect(await writer.store.deleteBin(binId)).toBe(true);
        writer.bus.publish(binId, { type: 'bin.deleted', binId });
      },
    });
    await eventually(() => delivered.length === 3, 'the request, its deletion and the bin deletion');
    await new Promise((r) => setTimeout(r, 100));
    expect(delivered).toEqual([
      { what: first, source: 'store' },
      { what: 'request.deleted', source: 'bus' },
      { what: 'bin.deleted', source: 'bus' },
    ]);
  });

  it('ends as overflow when the reader falls behind by more than maxQueuedBytes, and leaves the bus', async () => {
    const never = new Promise<void>(() => undefined);
    const stuck = start({ after: null, maxQueuedBytes: 100_000, deliver: () => never });
    await reader.bus.ready(binId);
    await capture(); // taken, and never finished with
    await eventually(() => stuck.delivered.length === 1, 'the first delivery');
    for (let i = 0; i < 3; i++) await capture(JSON.stringify({ pad: 'x'.repeat(40_000) }));
    expect(await stuck.following.ended).toEqual({ reason: 'overflow' });
    await capture();
    await new Promise((r) => setTimeout(r, 100));
    expect(stuck.delivered).toHaveLength(1);

    // One event larger than the bound is still delivered: only a backlog is refused.
    const roomy = start({ after: null, maxQueuedBytes: 10_000 });
    await reader.bus.ready(binId);
    const large = await capture(JSON.stringify({ pad: 'y'.repeat(50_000) }));
    await eventually(() => roomy.delivered.length === 1, 'the large request');
    expect(roomy.delivered[0]!.what).toBe(large);
  });

  it('ends as failed when the store or the reader fails, and delivers nothing after', async () => {
    const [first] = await captureMany(2);
    const error = new Error('the reader broke');
    const broken = start({ after: first!, deliver: () => Promise.reject(error) });
    expect(await broken.following.ended).toEqual({ reason: 'failed', error });
    expect(broken.delivered).toHaveLength(1);
    await capture();
    await new Promise((r) => setTimeout(r, 100));
    expect(broken.delivered).toHaveLength(1);

    opened.splice(opened.indexOf(reader), 1);
    await reader.store.close(); // a store that can no longer be read (stopping, or Redis gone)
    const unread = start({ after: first! });
    const end = await unread.following.ended;
    expect(end.reason).toBe('failed');
    expect((end as { error: Error }).error).toBeInstanceOf(Error);
    expect(unread.delivered).toEqual([]);
  });

  it('stop() ends it at once: nothing more is delivered', async () => {
    const stored = await captureMany(2);
    const { delivered, following } = start({ after: stored[0]! });
    await eventually(() => delivered.length === 1, 'the catch-up');
    following.stop();
    following.stop(); // twice is fine
    expect(await following.ended).toEqual({ reason: 'stopped' });
    await capture();
    await new Promise((r) => setTimeout(r, 100));
    expect(ids(delivered)).toEqual([stored[1]]);
  });
});
