// The embedded store keeps requests on disk and only an index in memory: reads beyond the cache,
// usage read from the end of a log (after a clean stop and after SIGKILL), and search paging
// from disk, all through the real server.
import { randomBytes } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LowdbStore } from '../server/store/lowdb/lowdb-store.js';
import { capture } from './helpers/capture.js';
import { startChildServer } from './helpers/child-server.js';
import { createBin, getJson, makeTempDir, serversClosedAfterEach, type TestServer } from './helpers/server.js';

const start = serversClosedAfterEach();

/** Every page of `q` (newest first), following nextBefore. */
async function allPages(srv: TestServer, binId: string, query = '', limit = 50): Promise<{ id: string; path: string }[]> {
  const found: { id: string; path: string }[] = [];
  for (let before: string | null = null; ;) {
    const params = new URLSearchParams({ limit: String(limit), ...(query ? { q: query } : {}), ...(before ? { before } : {}) });
    const page = (await getJson(`${srv.url}/api/bins/${binId}/requests?${params}`)).body as {
      requests: { id: string; path: string }[];
      nextBefore: string | null;
    };
    found.push(...page.requests);
    if (page.nextBefore === null) return found;
    before = page.nextBefore;
  }
}

describe('requests read from disk', () => {
  it('serves every request byte for byte with a cache far smaller than what is stored', async () => {
    const first = await start({ cacheSize: 64 * 1024 });
    const bins = [await createBin(first.url), await createBin(first.url)];
    const sent = new Map<string, Buffer>();
    for (let i = 0; i < 240; i++) {
      const body = i % 5 === 0 ? randomBytes(3000) : Buffer.from(JSON.stringify({ i, pad: 'p'.repeat(1500) }));
      sent.set(await capture(`${bins[i % 2]!.url}/n/${i}`, body), body);
    }
    const check = async (srv: TestServer) => {
      for (const bin of bins) {
        const listed = await allPages(srv, bin.id, '', 37);
        expect(listed).toHaveLength(120);
        for (const { id } of listed.slice(0, 40)) {
          const raw = Buffer.from(await (await fetch(`${srv.url}/api/bins/${bin.id}/requests/${id}/body`)).arrayBuffer());
          expect(raw.equals(sent.get(id)!)).toBe(true);
        }
        const detail = (await getJson(`${srv.url}/api/bins/${bin.id}/requests/${listed.at(-1)!.id}`)).body;
        expect(detail.path).toMatch(/^\/n\/\d+$/);
      }
    };
    await check(first);
    await check(await restart(first)); // nothing cached: all from the segments
  });

  it('pages a search from disk without gaps or repeats, newest first', async () => {
    const first = await start();
    const bin = await createBin(first.url);
    const matching: string[] = [];
    for (let i = 0; i < 600; i++) {
      const id = await capture(`${bin.url}/n/${i}`, JSON.stringify({ i, status: i % 3 === 0 ? 'failed' : 'completed' }));
      if (i % 3 === 0) matching.push(id);
    }
    const srv = await restart(first);
    const found = await allPages(srv, bin.id, 'failed', 30);
    expect(found.map((r) => r.id)).toEqual([...matching].reverse());
  });
});

describe("a bin's usage without opening it", () => {
  it('agrees with a full count after a clean stop, a lowered cap, deletes and clears', async () => {
    const first = await start({ maxRequestsPerBin: 40 });
    const [a, b, c] = [await createBin(first.url), await createBin(first.url), await createBin(first.url)];
    for (let i = 0; i < 55; i++) await capture(a.url, `a${i}`);
    const bIds = [];
    for (let i = 0; i < 10; i++) bIds.push(await capture(b.url, randomBytes(i === 3 ? 70_000 : 100)));
    await fetch(`${first.url}/api/bins/${b.id}/requests/${bIds[3]}`, { method: 'DELETE' });
    for (let i = 0; i < 5; i++) await capture(c.url, `c${i}`);
    await fetch(`${first.url}/api/bins/${c.id}/requests`, { method: 'DELETE' });
    const expected = await usages(first, [a.id, b.id, c.id]);
    expect(expected.map((u) => u.requestCount)).toEqual([40, 9, 0]);
    await first.stop();
    await rm(path.join(first.dataDir, 'usage.json')); // as after a crash: read from the logs' ends

    const second = await start({ dataDir: first.dataDir, maxRequestsPerBin: 40 });
    expect((second.server.store as LowdbStore).openBinCount).toBe(0);
    expect(await usages(second, [a.id, b.id, c.id])).toEqual(expected);
    expect((second.server.store as LowdbStore).openBinCount).toBe(0); // no bin was opened to tell
    for (const [bin, count] of [
      [a, 40],
      [b, 9],
      [c, 0],
    ] as const)
      expect(await allPages(second, bin.id)).toHaveLength(count);
  });

  it('agrees with a full count after SIGKILL during concurrent captures to many bins', async () => {
    const dataDir = await makeTempDir();
    const first = await startChildServer(['--port', '0', '--data-dir', dataDir, '--max-requests-per-bin', '30']);
    const bins = await Promise.all(Array.from({ length: 6 }, () => createBin(first.url)));
    let acknowledged = 0;
    let next = 0;
    const worker = async () => {
      while (next < 600) {
        const i = next++;
        try {
          const res = await fetch(`${bins[i % bins.length]!.url}/n/${i}`, { method: 'POST', body: 'x'.repeat(i % 11 === 0 ? 70_000 : 300) });
          if (res.status === 200 && ++acknowledged === 200) first.child.kill('SIGKILL');
        } catch {
          // cut off by the kill
        }
      }
    };
    await Promise.all(Array.from({ length: 24 }, worker));
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await start({ dataDir, maxRequestsPerBin: 30 });
    const listed = (await getJson(`${second.url}/api/bins`)).body.bins as { id: string; requestCount: number }[];
    for (const bin of bins) {
      const counted = (await allPages(second, bin.id)).length;
      expect(listed.find((l) => l.id === bin.id)!.requestCount, bin.id).toBe(counted);
    }
  });
});

describe('the usage kept at a clean stop (usage.json)', () => {
  it('is taken at the next start and never trusted after a crash', async () => {
    const dataDir = await makeTempDir();
    const first = await startChildServer(['--port', '0', '--data-dir', dataDir]);
    const bin = await createBin(first.url);
    for (let i = 0; i < 10; i++) await capture(bin.url, `first ${i}`);
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    expect(JSON.parse(await readFile(path.join(dataDir, 'usage.json'), 'utf8')).bins[bin.id][0]).toBe(10);

    const second = await startChildServer(['--port', '0', '--data-dir', dataDir]);
    await expect(stat(path.join(dataDir, 'usage.json'))).rejects.toThrow(/ENOENT/); // taken: true only until the next write
    for (let i = 0; i < 5; i++) await capture(`${second.url}/h/${bin.id}`, `second ${i}`);
    second.child.kill('SIGKILL');
    await second.exited;

    const third = await start({ dataDir });
    expect((await getJson(`${third.url}/api/bins/${bin.id}`)).body.requestCount).toBe(15);
  });
});

async function restart(srv: TestServer): Promise<TestServer> {
  await srv.stop();
  return start({ ...srv.config, port: 0 });
}

async function usages(srv: TestServer, ids: string[]): Promise<{ requestCount: number }[]> {
  const listed = (await getJson(`${srv.url}/api/bins`)).body.bins as { id: string; requestCount: number }[];
  return ids.map((id) => ({ requestCount: listed.find((b) => b.id === id)!.requestCount }));
}
