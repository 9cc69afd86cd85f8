// A full disk, injected in the store's writer thread (FileWriter.injectFault: each write puts half
// its data on disk, then fails with ENOSPC, as a real full disk does). The manual check on a real
// 8 MB tmpfs is described in the README ("Storage and durability").
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileWriter } from '../server/store/files/file-writer.js';
import { createBin, getJson, serversClosedAfterEach, type TestServer } from './helpers/server.js';

const start = serversClosedAfterEach();

afterEach(() => {
  vi.restoreAllMocks();
});

const capture = (url: string, body: string | Buffer) => fetch(url, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body) });

async function storedIds(srv: TestServer, binId: string): Promise<string[]> {
  return (await getJson(`${srv.url}/api/bins/${binId}/requests?limit=1000`)).body.requests.map((r: { id: string }) => r.id);
}

async function expectDiskFull(res: Response): Promise<void> {
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe('5');
  const { error } = (await res.json()) as { error: { code: string; message: string } };
  expect(error.code).toBe('disk_full');
  expect(error.message).toMatch(/disk .* is full, so nothing was recorded or changed\. Retry in 5 seconds/);
}

/** Every file under `dir`, recursively, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe('a full disk', () => {
  it('gets 503 with Retry-After on captures and API writes, then stores again at once by appending, losing nothing acknowledged', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const writer = new FileWriter();
    const srv = await start({}, { fileWriter: writer });
    const bin = await createBin(srv.url, { name: 'before' });
    const acked: string[] = [];
    for (let i = 0; i < 5; i++) acked.push(((await (await capture(bin.url, `{"n":${i}}`)).json()) as { id: string }).id);
    const segment = path.join(srv.dataDir, 'bins', bin.id, 'segments', '000000000001.jsonl');
    const segmentBefore = await readFile(segment);
    const inode = (await stat(segment)).ino;

    await writer.injectFault('ENOSPC');
    for (const body of ['{"n":"full"}', randomBytes(100_000), '{"n":"full again"}']) await expectDiskFull(await capture(bin.url, body));
    await expectDiskFull(
      await fetch(`${srv.url}/api/bins/${bin.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"name":"during"}' }),
    );
    await expectDiskFull(await fetch(`${srv.url}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
    await expectDiskFull(await fetch(`${srv.url}/api/bins/${bin.id}/requests/${acked[0]}`, { method: 'DELETE' }));
    // Nothing half-written stays behind: the segment is byte for byte as before, no temp file is left.
    expect(Buffer.compare(await readFile(segment), segmentBefore)).toBe(0);
    expect(await filesUnder(path.join(srv.dataDir, 'bins'))).toEqual([`${bin.id}/bin.json`, `${bin.id}/segments/000000000001.jsonl`]);
    expect((await getJson(`${srv.url}/api/bins/${bin.id}`)).body).toMatchObject({ name: 'before', requestCount: 5 });
    expect((await getJson(`${srv.url}/api/bins`)).body.bins).toHaveLength(1);

    await writer.injectFault(null);
    const big = randomBytes(100_000);
    for (let i = 0; i < 20; i++) {
      const res = await capture(bin.url, i === 10 ? big : `{"n":"after ${i}"}`);
      expect(res.status).toBe(200);
      acked.push(((await res.json()) as { id: string }).id);
      // Appended to, as before the failure: not rewritten whole (a rewrite renames a new file into place).
      expect((await stat(segment)).ino).toBe(inode);
    }
    expect(
      (await fetch(`${srv.url}/api/bins/${bin.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"name":"after"}' })).status,
    ).toBe(200);
    expect(logged.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringMatching(/^hookscope: the disk is full \(ENOSPC writing .*000000000001\.jsonl\): captures and changes get 503/),
      expect.stringMatching(/^hookscope: writes succeed again/),
    ]);

    await srv.stop();
    const again = await start({ dataDir: srv.dataDir });
    expect(await storedIds(again, bin.id)).toEqual([...acked].reverse());
    expect((await getJson(`${again.url}/api/bins/${bin.id}`)).body.name).toBe('after');
    const body = Buffer.from(await (await fetch(`${again.url}/api/bins/${bin.id}/requests/${acked[15]}/body`)).arrayBuffer());
    expect(Buffer.compare(body, big)).toBe(0);
  });

  it('keeps exactly the captures it acknowledged when the disk fills and empties under concurrent traffic', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const writer = new FileWriter();
    const srv = await start({ maxRequestsPerBin: 40 }, { fileWriter: writer });
    const bin = await createBin(srv.url);
    const acked: string[] = [];
    const statuses: number[] = [];
    const send = async (i: number) => {
      const res = await capture(`${bin.url}/n/${i}`, i % 9 === 0 ? randomBytes(70_000) : JSON.stringify({ i }));
      statuses.push(res.status);
      if (res.status === 200) acked.push(((await res.json()) as { id: string }).id);
      else await expectDiskFull(res);
    };
    // Three waves of 30 concurrent captures; the disk fills during the first and empties during the second.
    for (const [wave, fault] of [
      [0, 'ENOSPC'],
      [1, null],
      [2, undefined],
    ] as const) {
      const inFlight = Array.from({ length: 30 }, (_, i) => send(wave * 30 + i));
      await new Promise((r) => setTimeout(r, 5));
      if (fault !== undefined) await writer.injectFault(fault);
      await Promise.all(inFlight);
    }
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(statuses.slice(-30)).toEqual(Array(30).fill(200)); // the third wave, after the disk emptied
    const kept = [...acked].sort().slice(-40); // the cap keeps the newest 40 acknowledged
    expect(await storedIds(srv, bin.id)).toEqual([...kept].reverse());

    await srv.stop();
    const again = await start({ dataDir: srv.dataDir, maxRequestsPerBin: 40 });
    expect(await storedIds(again, bin.id)).toEqual([...kept].reverse());
    const temps = (await filesUnder(path.join(srv.dataDir, 'bins'))).filter((f) => f.endsWith('.tmp'));
    expect(temps).toEqual([]);
  });
});
