import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AS_JSON, capture } from './helpers/capture.js';
import { eventually } from './helpers/eventually.js';
import { createBin, startServer, type TestServer } from './helpers/server.js';
import { LiveClient } from './helpers/ws-client.js';

let srv: TestServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

describe('live push over WebSocket', () => {
  it('pushes each stored request, in order, to every subscriber of its bin only', async () => {
    srv = await startServer();
    const bin = await createBin(srv.url);
    const other = await createBin(srv.url);
    const a = new LiveClient(srv.url, bin.id);
    const b = new LiveClient(srv.url, bin.id);
    const c = new LiveClient(srv.url, other.id);
    await Promise.all([a.opened, b.opened, c.opened]);
    await Promise.all([a, b, c].map((client) => client.waitFor((m) => m[0]?.type === 'hello')));

    const sent = await Promise.all(Array.from({ length: 30 }, (_, i) => capture(`${bin.url}/p${i}`, JSON.stringify({ i }), AS_JSON)));
    await a.waitFor(() => a.requestIds.length === 30);
    await b.waitFor(() => b.requestIds.length === 30);
    expect(new Set(a.requestIds)).toEqual(new Set(sent));
    expect(a.requestIds).toEqual([...a.requestIds].sort()); // ids sort in arrival order
    expect(b.requestIds).toEqual(a.requestIds);
    expect(c.requestIds).toEqual([]);

    const created = a.messages.find((m) => m.type === 'request.created' && m.request.path === '/p3');
    expect(created?.type === 'request.created' && created.full?.json).toEqual({ i: 3 });
    // A push never precedes durability: the pushed request is already readable.
    const res = await fetch(`${srv.url}/api/bins/${bin.id}/requests/${a.requestIds[29]}`);
    expect(res.status).toBe(200);
    [a, b, c].forEach((client) => client.close());
  });

  it('sends large requests as a summary to fetch lazily', async () => {
    srv = await startServer();
    const bin = await createBin(srv.url);
    const client = new LiveClient(srv.url, bin.id);
    await client.waitFor((m) => m[0]?.type === 'hello');
    await capture(bin.url, JSON.stringify({ big: 'x'.repeat(100_000) }), AS_JSON);
    await client.waitFor(() => client.requestIds.length === 1);
    const message = client.messages[1]!;
    expect(message.type === 'request.created' && message.full).toBeNull();
    expect(message.type === 'request.created' && message.request.size).toBeGreaterThan(100_000);
    client.close();
  });

  it('pushes deletes, clears, bin updates and bin deletion', async () => {
    srv = await startServer();
    const bin = await createBin(srv.url);
    const client = new LiveClient(srv.url, bin.id);
    await client.waitFor((m) => m[0]?.type === 'hello');
    const id = await capture(bin.url, '{}', AS_JSON);
    await fetch(`${srv.url}/api/bins/${bin.id}/requests/${id}`, { method: 'DELETE' });
    await fetch(`${srv.url}/api/bins/${bin.id}/requests`, { method: 'DELETE' });
    await fetch(`${srv.url}/api/bins/${bin.id}`, {
      headers: { 'content-type': 'application/json' },
      method: 'PATCH',
      body: JSON.stringify({ name: 'renamed' }),
    });
    await fetch(`${srv.url}/api/bins/${bin.id}`, { method: 'DELETE' });
    await client.waitFor((m) => m.some((x) => x.type === 'bin.deleted'));
    expect(client.messages.map((m) => m.type)).toEqual(['hello', 'request.created', 'request.deleted', 'requests.cleared', 'bin.updated', 'bin.deleted']);
    const updated = client.messages[4]!;
    expect(updated.type === 'bin.updated' && updated.bin.name).toBe('renamed');
    expect((await client.closed).code).toBe(1000);
  });

  it('refuses unknown bins, malformed cursors and other upgrade paths', async () => {
    srv = await startServer();
    const bin = await createBin(srv.url);
    const status = (url: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => resolve(-1));
        ws.on('open', () => resolve(101));
      });
    const base = srv.url.replace(/^http/, 'ws');
    expect(await status(`${base}/ws?bin=00000000-0000-4000-8000-000000000000`)).toBe(404);
    expect(await status(`${base}/ws?bin=../../etc`)).toBe(404);
    expect(await status(`${base}/ws`)).toBe(404);
    expect(await status(`${base}/ws?bin=${bin.id}&after=nope`)).toBe(400);
    expect(await status(`${base}/elsewhere?bin=${bin.id}`)).toBe(-1); // socket destroyed
  });

  it('resyncs a reconnecting client with exactly what it missed, no gaps and no duplicates', async () => {
    srv = await startServer();
    const bin = await createBin(srv.url);
    const first = new LiveClient(srv.url, bin.id);
    await first.waitFor((m) => m[0]?.type === 'hello');
    const before = [];
    for (let i = 0; i < 5; i++) before.push(await capture(bin.url, `{"n":${i}}`, AS_JSON));
    await first.waitFor(() => first.requestIds.length === 5);
    first.close();
    await first.closed;

    const missed = [];
    for (let i = 5; i < 12; i++) missed.push(await capture(bin.url, `{"n":${i}}`, AS_JSON));
    // Reconnect while more traffic keeps arriving: resync and live pushes must interleave cleanly.
    const second = new LiveClient(srv.url, bin.id, { after: first.requestIds.at(-1)! });
    const during = Promise.all(Array.from({ length: 20 }, (_, i) => capture(bin.url, `{"n":${100 + i}}`, AS_JSON)));
    const live = await during;
    await second.waitFor(() => second.requestIds.length >= missed.length + live.length);
    await new Promise((r) => setTimeout(r, 200)); // let any duplicate arrive before asserting
    const hello = second.messages[0]!;
    expect(hello.type === 'hello' && hello.resync).toBe('complete');
    expect(second.requestIds.slice(0, missed.length)).toEqual(missed);
    expect(new Set(second.requestIds)).toEqual(new Set([...missed, ...live]));
    expect(second.requestIds).toHaveLength(missed.length + live.length);
    expect(second.requestIds).toEqual([...second.requestIds].sort());
    second.close();
  });

  it('says the resync is partial when the cursor was evicted', async () => {
    srv = await startServer({ maxRequestsPerBin: 3 });
    const bin = await createBin(srv.url);
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await capture(bin.url, '{}', AS_JSON));
    const client = new LiveClient(srv.url, bin.id, { after: ids[0] });
    await client.waitFor(() => client.requestIds.length === 3);
    const hello = client.messages[0]!;
    expect(hello.type === 'hello' && hello.resync).toBe('partial');
    expect(client.requestIds).toEqual(ids.slice(3));
    client.close();
  });

  it('terminates a client that stops answering pings', async () => {
    srv = await startServer({}, { live: { pingIntervalMs: 100 } });
    const bin = await createBin(srv.url);
    const silent = new LiveClient(srv.url, bin.id, { autoPong: false });
    const healthy = new LiveClient(srv.url, bin.id);
    await Promise.all([silent.opened, healthy.opened]);
    const { code } = await silent.closed;
    expect(code).toBe(1006); // terminated without a closing handshake
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
    await eventually(() => srv!.server.live.sessionCount(bin.id) === 1, 'the silent client to be dropped');
    healthy.close();
  });

  it('drops a client that stops reading instead of buffering for it without bound', async () => {
    const maxBufferedBytes = 256 * 1024;
    srv = await startServer({}, { live: { maxBufferedBytes } });
    const bin = await createBin(srv.url);
    const stuck = await rawWebSocketThatNeverReads(srv.url, bin.id);
    await eventually(() => srv!.server.live.sessionCount(bin.id) === 1, 'the stuck client to be subscribed');
    const body = JSON.stringify({ pad: 'x'.repeat(60_000) }); // pushed in full (under 64 KB)
    const healthy = new LiveClient(srv.url, bin.id);
    await healthy.waitFor((m) => m[0]?.type === 'hello');
    let sent = 0;
    // Bounded: 400 pushes of 60 KB (24 MB) are far past the 256 KB bound plus kernel buffers.
    while (srv.server.live.sessionCount(bin.id) > 1 && sent < 400) {
      await Promise.all(Array.from({ length: 10 }, () => capture(bin.url, body, AS_JSON)));
      sent += 10;
    }
    expect(srv.server.live.sessionCount(bin.id)).toBe(1);
    expect(sent).toBeLessThan(400);
    // The reading client kept everything, and the server still captures.
    await healthy.waitFor(() => healthy.requestIds.length === sent);
    expect(await capture(bin.url, '{}', AS_JSON)).toMatch(/^[0-9A-Z]{26}$/);
    healthy.close();
    stuck.destroy();
  });
});

/** Completes a WebSocket handshake over a raw socket, then never reads again. */
function rawWebSocketThatNeverReads(baseUrl: string, binId: string): Promise<net.Socket> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(
        `GET /ws?bin=${binId} HTTP/1.1\r\nHost: ${hostname}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
    });
    socket.once('data', (chunk) => {
      if (!chunk.toString().startsWith('HTTP/1.1 101')) return reject(new Error(chunk.toString()));
      socket.pause(); // stop reading: the kernel buffers fill, then the server's
      resolve(socket);
    });
    socket.on('error', () => undefined);
  });
}
