// The inspector's per-bin state (web/lib/bin-session.ts) in Node, against a real server on port 0:
// the real lib/api.ts as its `api`, a real WebSocket (the `ws` package) as its `openSocket`, and a
// page whose network the test sets. The browser tests cover the same through the UI.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Bin, CreateBinInput } from '../../shared/api-types.js';
import { api, ApiError } from '../../web/lib/api.js';
import { BinSession } from '../../web/lib/bin-session.js';
import { createBin, startServer, type TestServer } from '../helpers/server.js';
import { eventually } from '../helpers/eventually.js';
import { startTarget, type TargetServer } from '../helpers/target-server.js';
import { kreaJob } from '../helpers/webhook-bodies.js';
import { NodeSockets, servePageFrom, TestPage } from '../helpers/web-session.js';

let srv: TestServer;
let target: TargetServer;
beforeAll(async () => {
  srv = await startServer();
  target = await startTarget();
  servePageFrom(srv.url);
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await target.close();
  await srv.close();
});

const sessions: BinSession[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.dispose();
});

interface Opened {
  bin: Bin;
  session: BinSession;
  sockets: NodeSockets;
  page: TestPage;
}

/** A new bin and a started session on it (connected: the server's hello arrived). */
async function openSession(input: CreateBinInput = {}): Promise<Opened> {
  const bin = await createBin(srv.url, input);
  const sockets = new NodeSockets();
  const page = new TestPage();
  const session = new BinSession(bin.id, { api, openSocket: sockets.open, page });
  sessions.push(session);
  await session.start();
  await eventually(() => session.snapshot.status.state === 'connected', 'the live connection');
  return { bin, session, sockets, page };
}

async function capture(binId: string, body: string, path = ''): Promise<string> {
  const res = await fetch(`${srv.url}/h/${binId}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: string }).id;
}

const itemIds = (session: BinSession) => session.snapshot.items.map((item) => item.id);

describe('BinSession against a real server', () => {
  it('loads the bin and its newest page, then adds live captures, newest first and unread until opened', async () => {
    const bin = await createBin(srv.url, { name: 'loaded' });
    const before = [await capture(bin.id, '{"n":1}'), await capture(bin.id, '{"n":2}')];
    const sockets = new NodeSockets();
    const session = new BinSession(bin.id, { api, openSocket: sockets.open, page: new TestPage() });
    sessions.push(session);
    await session.start();
    expect(session.snapshot.bin).toMatchObject({ id: bin.id, name: 'loaded', requestCount: 2 });
    await eventually(() => session.snapshot.status.state === 'connected', 'the live connection');
    expect(new URL(sockets.last.url).searchParams.get('after')).toBe(before[1]); // resumes after the page it loaded
    expect(itemIds(session)).toEqual([...before].reverse());
    expect(session.snapshot.loading).toBe(false);
    expect(session.snapshot.unread.size).toBe(0);

    const live = await capture(bin.id, '{"n":3}', '/live');
    await eventually(() => itemIds(session)[0] === live, 'the live capture in the list');
    expect(itemIds(session)).toEqual([live, ...before.reverse()]);
    expect(session.snapshot.unread).toEqual(new Set([live]));
    expect(session.snapshot.bin?.requestCount).toBe(3);
    expect(session.cachedDetail(live)).toMatchObject({ path: '/live', json: { value: { n: 3 } } }); // pushed with it

    session.select(live);
    await eventually(() => session.snapshot.unread.size === 0, 'opening to mark it read');
  });

  it('after a cut connection, reconnects with the last id seen and shows what arrived meanwhile, once', async () => {
    const { bin, session, sockets } = await openSession();
    const first = await capture(bin.id, '{}');
    await eventually(() => itemIds(session).includes(first), 'the first capture');
    sockets.cut();
    await eventually(() => session.snapshot.status.state === 'reconnecting', 'the status to say reconnecting');
    const missed = [await capture(bin.id, '{"m":1}'), await capture(bin.id, '{"m":2}'), await capture(bin.id, '{"m":3}')];
    await eventually(() => session.snapshot.status.state === 'connected' && itemIds(session).length === 4, 'the reconnect and the missed captures');
    expect(sockets.opened).toHaveLength(2);
    expect(new URL(sockets.last.url).searchParams.get('after')).toBe(first);
    await new Promise((r) => setTimeout(r, 200)); // room for a duplicate to show
    expect(itemIds(session)).toEqual([...missed].reverse().concat(first));
    expect(session.snapshot.unread).toEqual(new Set([first, ...missed]));
  });

  it('says offline when the socket drops while the page has no network, and reconnects when it is back', async () => {
    const { session, sockets, page } = await openSession();
    page.change('offline');
    sockets.cut();
    await eventually(() => session.snapshot.status.state === 'offline', 'the status to say offline');
    page.change('online');
    await eventually(() => session.snapshot.status.state === 'connected', 'the reconnect');
    expect(sockets.opened.length).toBeGreaterThanOrEqual(2);
  });

  it('saves settings through the session: the bin shows them at once; a bad value rejects with what was wrong', async () => {
    const { bin, session, sockets } = await openSession({ name: 'before' });
    sockets.muted = true; // the live bin.updated does not arrive: what shows is the session's own doing
    const saved = await session.saveBin({ name: 'after', replayTarget: `${target.url}/hook` });
    expect(saved).toMatchObject({ id: bin.id, name: 'after', replayTarget: `${target.url}/hook` });
    expect(session.snapshot.bin).toMatchObject({ name: 'after', replayTarget: `${target.url}/hook` });
    const refused = await session.saveBin({ name: 42 } as never).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(400);
    expect((refused as ApiError).message).toMatch(/name/);
    expect(session.snapshot.bin?.name).toBe('after');
  });

  it('rechecks through the session: the detail and the row show the new verdict at once', async () => {
    const { bin, session, sockets } = await openSession({ schema: { custom: { type: 'object', required: ['needed'] } } });
    const id = await capture(bin.id, '{"other":1}');
    await eventually(() => itemIds(session).includes(id), 'the capture');
    expect((await session.fetchDetail(id)).checks?.valid).toBe(false);

    await session.saveBin({ schema: { custom: { type: 'object' } } });
    sockets.muted = true; // the live request.updated does not arrive
    const item = await session.recheck(id);
    expect(item.checks?.valid).toBe(true);
    expect(session.cachedDetail(id)?.checks?.valid).toBe(true);
    await eventually(() => session.snapshot.items.find((i) => i.id === id)?.checks?.valid === true, 'the row to show the new verdict');
  });

  it('replays through the session: the delivery shows in the detail and on the row at once', async () => {
    const { bin, session, sockets } = await openSession();
    const id = await capture(bin.id, '{"replay":"me"}');
    await eventually(() => itemIds(session).includes(id), 'the capture');
    await session.fetchDetail(id);
    sockets.muted = true; // the live request.replayed does not arrive
    const before = target.received.length;
    const delivery = await session.replay(id, { target: `${target.url}/replayed` });
    expect(delivery).toMatchObject({ status: 200, trigger: 'replay' });
    expect(target.received[before]).toMatchObject({ method: 'POST', url: '/replayed' });
    expect(target.received[before]!.body.toString()).toBe('{"replay":"me"}');
    expect(session.cachedDetail(id)?.deliveries.map((d) => d.id)).toContain(delivery.id);
    await eventually(() => session.snapshot.items.find((i) => i.id === id)?.lastDelivery?.at === delivery.at, 'the row to show the delivery');
    // A target hookscope refuses (not http) is an error the panel shows, and nothing is recorded.
    const refused = await session.replay(id, { target: 'ftp://127.0.0.1/x' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(400);
  });

  it('deletes and clears through the session, and marks the bin gone when it is deleted', async () => {
    const { bin, session, sockets } = await openSession();
    const ids = [await capture(bin.id, '{}'), await capture(bin.id, '{}'), await capture(bin.id, '{}')];
    await eventually(() => itemIds(session).length === 3, 'the captures');
    await session.remove(ids[1]!);
    await eventually(() => itemIds(session).length === 2, 'the row to go');
    expect(itemIds(session)).toEqual([ids[2], ids[0]]);
    expect(session.snapshot.bin?.requestCount).toBe(2);
    await session.clear();
    await eventually(() => itemIds(session).length === 0 && session.snapshot.bin?.requestCount === 0, 'the list to empty');

    expect((await fetch(`${srv.url}/api/bins/${bin.id}`, { method: 'DELETE' })).status).toBe(204);
    await eventually(() => session.snapshot.gone && session.snapshot.status.state === 'gone', 'the bin to be gone');
    await eventually(() => sockets.last.ws.readyState === sockets.last.ws.CLOSED, 'the socket to close');
    expect(sockets.opened).toHaveLength(1); // gone: no reconnect
  });

  it('filters through the server, and lets in only live captures that match', async () => {
    const { bin, session } = await openSession();
    await capture(bin.id, '{}', '/orders');
    const kept = await capture(bin.id, '{}', '/invoices');
    await eventually(() => itemIds(session).length === 2, 'the captures');
    session.setFilter('invoices');
    expect(session.snapshot.filter).toBe('invoices');
    await eventually(() => !session.snapshot.loading && itemIds(session).length === 1, 'the filtered page');
    expect(itemIds(session)).toEqual([kept]);
    const matching = await capture(bin.id, '{}', '/invoices/2');
    await capture(bin.id, '{}', '/orders/2');
    await eventually(() => itemIds(session).length === 2, 'the matching live capture');
    await new Promise((r) => setTimeout(r, 100));
    expect(itemIds(session)).toEqual([matching, kept]);
  });

  it('follows the expected ids as the server judges them: added, arrived live, pending again when the request that brought one is deleted', async () => {
    const { bin, session } = await openSession();
    expect(session.snapshot.expected).toEqual([]);
    const [jobA, jobB] = ['550e8400-e29b-41d4-a716-446655440000', '7c9e6679-7425-40de-944b-e07fc1f90ae7'];
    expect(await api.addExpectedIds(bin.id, [jobA, jobB], false, '10m')).toBe(2);
    // No event names the ids: the bin's new count (bin.updated) makes the session load them.
    await eventually(() => session.snapshot.expected.length === 2, 'the expected ids');
    expect(session.snapshot.expected.map((e) => e.state)).toEqual(['pending', 'pending']);
    expect(session.snapshot.expected[0]!.due).toMatch(/^\d{4}-/);
    const krea = kreaJob(jobA.toUpperCase(), 'completed'); // ids are compared in lower case
    const first = await capture(bin.id, krea);
    await eventually(() => session.snapshot.expected[0]!.state === 'arrived', 'A to arrive');
    expect(session.snapshot.expected[0]).toMatchObject({ id: jobA, state: 'arrived', requestId: first });
    // A second delivery of A is a duplicate: the first one stays the one that brought it.
    const second = await capture(bin.id, krea);
    await eventually(() => itemIds(session).includes(second), 'the duplicate');
    expect(session.snapshot.expected[0]).toMatchObject({ state: 'arrived', requestId: first });
    // Deleted, the first frees A on the server (the duplicate does not claim it): the page loads the states again.
    await session.remove(first);
    await eventually(() => session.snapshot.expected[0]!.state === 'pending', 'A to be pending again');
    expect(session.snapshot.expected).toEqual((await api.expectedStates(bin.id)) as unknown[]);
    // Replaced by as many other ids: the count stays 2, the list follows all the same.
    const jobC = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
    expect(await api.addExpectedIds(bin.id, [jobB, jobC], true)).toBe(2);
    await eventually(() => session.snapshot.expected.map((e) => e.id).join() === `${jobB},${jobC}`, 'the replaced list');
    expect(session.snapshot.expected[1]).toEqual({ id: jobC, state: 'pending' });
    await api.clearExpectedIds(bin.id);
    await eventually(() => session.snapshot.expected.length === 0, 'the ids to be forgotten');
  });

  it('reports a bin that does not exist as a 404 load error, and opens no socket', async () => {
    const sockets = new NodeSockets();
    const session = new BinSession('00000000-0000-4000-8000-000000000000', { api, openSocket: sockets.open, page: new TestPage() });
    sessions.push(session);
    await session.start();
    expect(session.snapshot.loadError).toMatchObject({ status: 404, code: 'bin_not_found' });
    expect(sockets.opened).toHaveLength(0);
  });

  it('dispose() closes the socket and stops watching the page', async () => {
    const { bin, session, sockets, page } = await openSession();
    expect(page.watching).toBe(1);
    await eventually(() => srv.server.live.sessionCount(bin.id) === 1, 'the server to count the socket');
    session.dispose();
    sessions.splice(sessions.indexOf(session), 1);
    expect(page.watching).toBe(0);
    await eventually(() => srv.server.live.sessionCount(bin.id) === 0, 'the server to see the socket close');
    expect(sockets.opened).toHaveLength(1);
  });
});
