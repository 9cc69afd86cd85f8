import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEGMENT_SIZE } from '../server/store/lowdb/bin-log.js';
import { capture } from './helpers/capture.js';
import { createBin, getJson, makeTempDir, startServer, type TestServer, serversClosedAfterEach } from './helpers/server.js';

const start = serversClosedAfterEach();

async function allIds(srv: TestServer, binId: string): Promise<string[]> {
  return (await getJson(`${srv.url}/api/bins/${binId}/requests?limit=1000`)).body.requests.map((r: { id: string }) => r.id);
}

const segmentsDir = (srv: TestServer, binId: string) => path.join(srv.dataDir, 'bins', binId, 'segments');
const bodiesDir = (srv: TestServer, binId: string) => path.join(srv.dataDir, 'bins', binId, 'bodies');

describe('durable lowdb store', () => {
  it('keeps bins, requests and exact bodies across a restart', async () => {
    const first = await start();
    const bin = await createBin(first.url, { name: 'persist', token: 't' });
    const big = randomBytes(200_000);
    const ids = [await capture(`${bin.url}/a?x=1`, '{"a":1}'), await capture(`${bin.url}/b`, big)];
    await first.stop();

    const second = await start({ dataDir: first.dataDir });
    const again = (await getJson(`${second.url}/api/bins/${bin.id}`)).body;
    expect(again).toMatchObject({ id: bin.id, name: 'persist', token: 't', requestCount: 2 });
    expect(await allIds(second, bin.id)).toEqual([...ids].reverse());
    const a = (await getJson(`${second.url}/api/bins/${bin.id}/requests/${ids[0]}`)).body;
    expect(a).toMatchObject({ path: '/a', queryString: 'x=1', json: { a: 1 } });
    const raw = Buffer.from(await (await fetch(`${second.url}/api/bins/${bin.id}/requests/${ids[1]}/body`)).arrayBuffer());
    expect(Buffer.compare(raw, big)).toBe(0);
    // New ids keep increasing after a restart.
    const next = await capture(`${second.url}/h/${bin.id}`, 'after restart');
    expect(next > ids[1]!).toBe(true);
  });

  it('evicts the oldest requests past the cap, exactly, and deletes whole old segments and their bodies', async () => {
    const cap = 30;
    const srv = await start({ maxRequestsPerBin: cap });
    const bin = await createBin(srv.url);
    const ids: string[] = [];
    const total = SEGMENT_SIZE * 3 + 17;
    for (let i = 0; i < total; i += 20)
      ids.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(20, total - i) }, (_, j) => capture(bin.url, i + j === total - 1 ? randomBytes(70_000) : `{"n":${i + j}}`)),
        )),
      );
    const kept = await allIds(srv, bin.id);
    expect(kept).toHaveLength(cap);
    expect(new Set(kept)).toEqual(new Set([...ids].sort().slice(-cap)));
    expect((await getJson(`${srv.url}/api/bins/${bin.id}`)).body.requestCount).toBe(cap);
    // Only the segments holding live requests remain (at most two for a cap below a segment).
    expect((await readdir(segmentsDir(srv, bin.id))).filter((n) => n.endsWith('.jsonl')).length).toBeLessThanOrEqual(2);

    // A large body goes with its request.
    const bigId = [...ids].sort().at(-1)!;
    expect(await readdir(bodiesDir(srv, bin.id))).toEqual([`${bigId}.bin`]);
    for (let i = 0; i < cap; i++) await capture(bin.url, 'x');
    expect(await readdir(bodiesDir(srv, bin.id))).toEqual([]);
    expect((await getJson(`${srv.url}/api/bins/${bin.id}/requests/${bigId}`)).status).toBe(404);
  });

  it('survives a restart with the same eviction result, and applies a lowered cap', async () => {
    const first = await start({ maxRequestsPerBin: 50 });
    const bin = await createBin(first.url);
    for (let i = 0; i < 120; i++) await capture(bin.url, String(i));
    const before = await allIds(first, bin.id);
    await first.stop();

    const second = await start({ dataDir: first.dataDir, maxRequestsPerBin: 50 });
    expect(await allIds(second, bin.id)).toEqual(before);
    await second.stop();

    const third = await start({ dataDir: first.dataDir, maxRequestsPerBin: 10 });
    expect(await allIds(third, bin.id)).toEqual(before.slice(0, 10));
    await third.stop();
    // The lowered cap was made durable: raising it again does not bring evicted requests back.
    const fourth = await start({ dataDir: first.dataDir, maxRequestsPerBin: 50 });
    expect(await allIds(fourth, bin.id)).toEqual(before.slice(0, 10));
  });

  it('clears atomically and keeps clearing across a restart', async () => {
    const first = await start();
    const bin = await createBin(first.url);
    for (let i = 0; i < SEGMENT_SIZE + 5; i++) await capture(bin.url, String(i));
    await fetch(`${first.url}/api/bins/${bin.id}/requests`, { method: 'DELETE' });
    const after = await capture(bin.url, 'after clear');
    await first.stop();
    const second = await start({ dataDir: first.dataDir });
    expect(await allIds(second, bin.id)).toEqual([after]);
  });

  it('cleans up what a crash can leave: temp files, orphan bodies, deleted bins', async () => {
    const first = await start();
    const bin = await createBin(first.url);
    const gone = await createBin(first.url);
    const id = await capture(bin.url, 'kept');
    await first.stop();
    // Simulate crashes between steps.
    await writeFile(path.join(segmentsDir(first, bin.id), '.000000000001.jsonl.tmp'), '{"torn');
    await writeFile(path.join(bodiesDir(first, bin.id), '01ARZ3NDEKTSV4RRFFQ69G5FAV.bin'), 'orphan');
    // A delete cut short after its tombstone (the folder renamed to <id>.deleted-<time>), and a create before its folder was renamed into place.
    await rename(path.join(first.dataDir, 'bins', gone.id), path.join(first.dataDir, 'bins', `${gone.id}.deleted-m0k2x`));
    await mkdir(path.join(first.dataDir, 'bins', `${randomUUID()}.creating`));

    const second = await start({ dataDir: first.dataDir });
    expect(await allIds(second, bin.id)).toEqual([id]);
    expect(await readdir(segmentsDir(second, bin.id))).toEqual(['000000000001.jsonl']);
    expect(await readdir(bodiesDir(second, bin.id))).toEqual([]);
    expect(await readdir(path.join(second.dataDir, 'bins'))).toEqual([bin.id]);
    expect((await getJson(`${second.url}/api/bins/${gone.id}`)).status).toBe(404);
  });

  it('drops a torn last line left by a crash mid-append, and keeps appending after it', async () => {
    const first = await start();
    const bin = await createBin(first.url);
    const ids = [await capture(bin.url, 'one'), await capture(bin.url, 'two')];
    await first.stop();
    const segment = path.join(segmentsDir(first, bin.id), '000000000001.jsonl');
    const intact = await readFile(segment, 'utf8');
    await writeFile(segment, `${intact}{"r":{"id":"01ARZ3NDEKTSV4RRFFQ69G5FAV","binI`);
    const second = await start({ dataDir: first.dataDir });
    expect(await allIds(second, bin.id)).toEqual([...ids].reverse());
    expect(await readFile(segment, 'utf8')).toBe(intact);
    const three = await capture(`${second.url}/h/${bin.id}`, 'three');
    await second.stop();
    const third = await start({ dataDir: first.dataDir });
    expect(await allIds(third, bin.id)).toEqual([three, ...[...ids].reverse()]);
  });

  it('leaves out lines damaged before the last one, keeping the file as it was beside the segment', async () => {
    const first = await start();
    const bin = await createBin(first.url);
    const ids = [await capture(bin.url, 'one'), await capture(bin.url, 'two'), await capture(bin.url, 'three')];
    await first.stop();
    const segment = path.join(segmentsDir(first, bin.id), '000000000001.jsonl');
    const lines = (await readFile(segment, 'utf8')).split('\n');
    lines[1] = lines[1]!.slice(0, 40) + '\u0000garbage'; // 'two' is damaged
    const damaged = Buffer.concat([
      Buffer.from('not json at all\n'),
      Buffer.from(lines.join('\n')),
      Buffer.from([0xff, 0xfe, 0x0a]),
      Buffer.from('{"r":{"id":"../../etc/passwd"}}\n'),
    ]);
    await writeFile(segment, damaged);

    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      const second = await start({ dataDir: first.dataDir });
      expect(await allIds(second, bin.id)).toEqual([ids[2], ids[0]]);
      expect((await getJson(`${second.url}/api/bins/${bin.id}`)).body.requestCount).toBe(2);
      // The damaged file is kept byte for byte; the segment itself is clean again.
      const names = await readdir(segmentsDir(second, bin.id));
      const copy = names.find((n) => n.startsWith('000000000001.jsonl.unreadable-'))!;
      expect(Buffer.compare(await readFile(path.join(segmentsDir(second, bin.id), copy)), damaged)).toBe(0);
      expect(warnings.join('\n')).toMatch(new RegExp(`line 1, 3, 5, 6 could not be read.*${copy}`));
      const four = await capture(`${second.url}/h/${bin.id}`, 'four');
      await second.stop();

      // Read cleanly the next time: no second copy, no warning.
      warnings.length = 0;
      const third = await start({ dataDir: first.dataDir });
      expect(await allIds(third, bin.id)).toEqual([four, ids[2], ids[0]]);
      expect((await readdir(segmentsDir(third, bin.id))).filter((n) => n.includes('.unreadable-'))).toEqual([copy]);
      expect(warnings).toEqual([]);
    } finally {
      console.warn = warn;
    }
  });

  it('starts with an empty store in a new directory and refuses a corrupt one loudly', async () => {
    const dir = await makeTempDir();
    const srv = await start({ dataDir: path.join(dir, 'nested', 'data') });
    expect((await getJson(`${srv.url}/api/bins`)).body).toEqual({ bins: [] });
    await rm(dir, { recursive: true, force: true });

    const broken = await makeTempDir();
    await writeFile(path.join(broken, 'bins.json'), '{"version":1,"bins":[');
    await expect(startServer({ dataDir: broken })).rejects.toThrow(/JSON/);
    await rm(broken, { recursive: true, force: true });
  });
});
