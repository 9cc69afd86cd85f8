// Start-up of the embedded store: the bin list comes from each bin's own folder (bins/<id>/bin.json),
// so no index, missing or wrong, can make it delete or forget a bin; an older data dir (one bins.json,
// folders without bin.json) is migrated without loss; a bins.json it cannot read stops the start.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { capture } from './helpers/capture.js';
import { runCli, startChildServer } from './helpers/child-server.js';
import { createBin, getJson, makeTempDir, serversClosedAfterEach, type TestServer } from './helpers/server.js';

const start = serversClosedAfterEach();

afterEach(() => {
  vi.restoreAllMocks();
});

async function storedIds(srv: TestServer, binId: string): Promise<string[]> {
  return (await getJson(`${srv.url}/api/bins/${binId}/requests?limit=1000`)).body.requests.map((r: { id: string }) => r.id);
}

/** Every file under `dir` with a hash of its bytes: equal trees mean nothing was changed. */
async function tree(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    files[path.relative(dir, full)] = entry.isFile()
      ? createHash('sha256')
          .update(await readFile(full))
          .digest('hex')
      : 'dir';
  }
  return files;
}

interface Filled {
  dataDir: string;
  bins: { id: string; name: string; token: string | null; ids: string[] }[];
  big: Buffer;
}

/** A data dir written by the server: two bins with requests (one with a large body), one without. */
async function fillDataDir(): Promise<Filled> {
  const srv = await start();
  const big = randomBytes(90_000);
  const a = await createBin(srv.url, { name: 'alpha', token: 'alpha-token' });
  const b = await createBin(srv.url, { name: 'beta' });
  const c = await createBin(srv.url, { name: 'gamma (no requests)' });
  const aIds = [await capture(a.url, '{"n":1}'), await capture(a.url, big)];
  const bIds = [await capture(b.url, 'one'), await capture(b.url, 'two'), await capture(b.url, 'three')];
  await srv.stop();
  const bins = [
    { id: a.id, name: 'alpha', token: 'alpha-token', ids: aIds },
    { id: b.id, name: 'beta', token: null, ids: bIds },
    { id: c.id, name: 'gamma (no requests)', token: null, ids: [] },
  ];
  return { dataDir: srv.dataDir, bins, big };
}

/**
 * Turns a data dir into the layout of versions before bin.json: the settings of every bin in one
 * bins.json (unless `listed` is given: then that text), no bin.json in the folders, and no folder
 * for a bin without requests (older versions made one only on the first capture).
 */
async function makeOldLayout(filled: Filled, listed?: string): Promise<void> {
  const settings = [];
  for (const bin of filled.bins) {
    const folder = path.join(filled.dataDir, 'bins', bin.id);
    settings.push(JSON.parse(await readFile(path.join(folder, 'bin.json'), 'utf8')).bin);
    await unlink(path.join(folder, 'bin.json'));
    if (bin.ids.length === 0) await rm(folder, { recursive: true });
  }
  if (listed !== undefined) await writeFile(path.join(filled.dataDir, 'bins.json'), listed);
  else await writeFile(path.join(filled.dataDir, 'bins.json'), JSON.stringify({ version: 1, bins: settings }));
}

/** Checks every bin of `filled` is served with its requests (ids, and the large body byte for byte). */
async function expectServed(srv: TestServer, filled: Filled, bins = filled.bins): Promise<void> {
  for (const bin of bins) {
    expect((await getJson(`${srv.url}/api/bins/${bin.id}`)).status, bin.name).toBe(200);
    expect(await storedIds(srv, bin.id)).toEqual([...bin.ids].reverse());
  }
  const [alpha] = filled.bins;
  const body = Buffer.from(await (await fetch(`${srv.url}/api/bins/${alpha!.id}/requests/${alpha!.ids[1]}/body`)).arrayBuffer());
  expect(Buffer.compare(body, filled.big)).toBe(0);
}

describe('embedded store start-up', () => {
  it('serves every bin from its own folder whether bins.json is missing or lists no bins', async () => {
    const filled = await fillDataDir();
    const bins = path.join(filled.dataDir, 'bins');
    expect(await readdir(filled.dataDir)).not.toContain('bins.json'); // this version keeps no bin list
    const before = await tree(bins);

    const first = await start({ dataDir: filled.dataDir }); // no bins.json at all
    await expectServed(first, filled);
    expect((await getJson(`${first.url}/api/bins`)).body.bins.map((b: { name: string }) => b.name).sort()).toEqual(['alpha', 'beta', 'gamma (no requests)']);
    expect((await getJson(`${first.url}/api/bins/${filled.bins[0]!.id}`)).body).toMatchObject({ token: 'alpha-token' });
    await first.stop();

    await writeFile(path.join(filled.dataDir, 'bins.json'), '{"bins":[]}');
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const second = await start({ dataDir: filled.dataDir });
    await expectServed(second, filled);
    await second.stop();
    expect(await tree(bins)).toEqual(before); // no folder deleted, no file changed
    expect(await readFile(path.join(filled.dataDir, 'bins.json.migrated'), 'utf8')).toBe('{"bins":[]}');
  });

  it('migrates an older data dir (bins.json, folders without bin.json) without losing a bin, a setting or a request', async () => {
    const filled = await fillDataDir();
    await makeOldLayout(filled);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const first = await start({ dataDir: filled.dataDir });
    await expectServed(first, filled);
    expect((await getJson(`${first.url}/api/bins/${filled.bins[0]!.id}`)).body).toMatchObject({ name: 'alpha', token: 'alpha-token' });
    expect(log.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringMatching(/^hookscope: bins\.json, the bin list of an older version, is being migrated: 3 bins get their own settings file/),
    ]);
    const stillWorks = await capture(`${first.url}/h/${filled.bins[2]!.id}`, 'first request of gamma');
    filled.bins[2]!.ids.push(stillWorks);
    await first.stop();

    // Each bin carries its settings now; bins.json is kept aside, no longer read.
    for (const bin of filled.bins)
      expect(JSON.parse(await readFile(path.join(filled.dataDir, 'bins', bin.id, 'bin.json'), 'utf8')).bin).toMatchObject({
        id: bin.id,
        name: bin.name,
        token: bin.token,
      });
    expect(await readdir(filled.dataDir)).not.toContain('bins.json');
    await writeFile(path.join(filled.dataDir, 'bins.json.migrated'), 'no longer read');
    log.mockClear();
    const second = await start({ dataDir: filled.dataDir });
    await expectServed(second, filled);
    expect(log).not.toHaveBeenCalled();
  });

  for (const [label, listed] of [
    ['there is no bins.json', undefined],
    ['bins.json lists no bins', '{"version":1,"bins":[]}'],
  ] as const) {
    it(`keeps the folders of an older data dir whose settings are lost (${label}) and serves them as recovered bins`, async () => {
      const filled = await fillDataDir();
      await makeOldLayout(filled, listed ?? '');
      if (listed === undefined) await unlink(path.join(filled.dataDir, 'bins.json'));
      const withRequests = filled.bins.filter((b) => b.ids.length > 0);
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      vi.spyOn(console, 'log').mockImplementation(() => undefined);
      const srv = await start({ dataDir: filled.dataDir });
      await expectServed(srv, filled, withRequests);
      for (const bin of withRequests)
        expect((await getJson(`${srv.url}/api/bins/${bin.id}`)).body).toMatchObject({ name: 'Recovered bin', token: null, requireToken: false });
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
        expect.stringMatching(/^hookscope: 2 bin folders had no settings .*kept and served as recovered bins/),
      ]);
      await srv.stop();
      expect((await readdir(path.join(filled.dataDir, 'bins'))).sort()).toEqual(withRequests.map((b) => b.id).sort());
    });
  }

  it('keeps a bin whose bin.json cannot be read untouched, names the file on one line, and serves the others', async () => {
    const filled = await fillDataDir();
    const [alpha, beta] = filled.bins;
    const settings = path.join(filled.dataDir, 'bins', beta!.id, 'bin.json');
    await writeFile(settings, '{"version":1,"bin":{"id":"not-this-bin"');
    const before = await tree(path.join(filled.dataDir, 'bins', beta!.id));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const srv = await start({ dataDir: filled.dataDir });
    expect(warn.mock.calls).toHaveLength(1);
    expect(String(warn.mock.calls[0]![0])).toBe(
      `hookscope: ${settings} cannot be read (it is not valid JSON): bin ${beta!.id} is not served and its folder is kept as it is; fix or restore that file, then restart`,
    );
    expect((await getJson(`${srv.url}/api/bins/${beta!.id}`)).status).toBe(404);
    expect((await fetch(`${srv.url}/h/${beta!.id}`, { method: 'POST', body: 'x' })).status).toBe(404);
    await expectServed(srv, filled, [alpha!]);
    await srv.stop();
    expect(await tree(path.join(filled.dataDir, 'bins', beta!.id))).toEqual(before);

    // Fixed by hand: served again, with every request.
    await writeFile(
      settings,
      JSON.stringify({ version: 1, bin: { id: beta!.id, name: 'beta', token: null, requireToken: false, createdAt: new Date().toISOString() } }),
    );
    const fixed = await start({ dataDir: filled.dataDir });
    await expectServed(fixed, filled);
  });

  it('finishes a delete cut short after its tombstone, and a create cut short before it was acknowledged', async () => {
    const filled = await fillDataDir();
    const [alpha, beta] = filled.bins;
    const bins = path.join(filled.dataDir, 'bins');
    // The states a crash leaves: DELETE /api/bins/<beta> answered once its folder was renamed to
    // its tombstone, the files not yet removed; a create whose folder was never renamed into place.
    await rename(path.join(bins, beta!.id), path.join(bins, `${beta!.id}.deleted-m0k2x`));
    const unfinished = `${randomUUID()}.creating`;
    await mkdir(path.join(bins, unfinished));
    await writeFile(path.join(bins, unfinished, 'bin.json'), '{}');
    await mkdir(path.join(bins, 'not-a-bin'));
    await writeFile(path.join(bins, 'notes.txt'), 'an operator left this here');

    const srv = await start({ dataDir: filled.dataDir });
    expect((await getJson(`${srv.url}/api/bins/${beta!.id}`)).status).toBe(404);
    expect((await getJson(`${srv.url}/api/bins`)).body.bins).toHaveLength(2);
    await expectServed(srv, filled, [alpha!]);
    // What it does not recognise is left alone.
    expect((await readdir(bins)).sort()).toEqual([alpha!.id, filled.bins[2]!.id, 'not-a-bin', 'notes.txt'].sort());
  });

  it('keeps every acknowledged delete, and every bin not deleted, when killed with SIGKILL during deletes', async () => {
    const dataDir = await makeTempDir();
    try {
      const first = await startChildServer(['--port', '0', '--data-dir', dataDir]);
      const bins: { id: string; ids: string[] }[] = [];
      for (let i = 0; i < 24; i++) {
        const bin = await createBin(first.url, { name: `bin ${i}` });
        const ids = await Promise.all(Array.from({ length: 6 }, (_, j) => capture(bin.url, j === 0 ? randomBytes(80_000) : `{"bin":${i},"n":${j}}`)));
        bins.push({ id: bin.id, ids: ids.sort() });
      }
      // The first 16 bins are deleted, 4 at a time; the server is killed once 6 deletes were answered.
      const deleted = new Set<string>();
      let next = 0;
      const worker = async () => {
        while (next < 16) {
          const bin = bins[next++]!;
          const res = await fetch(`${first.url}/api/bins/${bin.id}`, { method: 'DELETE' }).catch(() => null);
          if (res?.status !== 204) continue;
          deleted.add(bin.id);
          if (deleted.size === 6) first.child.kill('SIGKILL');
        }
      };
      await Promise.all(Array.from({ length: 4 }, worker));
      expect((await first.exited).signal).toBe('SIGKILL');
      expect(deleted.size).toBeLessThan(16); // the kill did land mid-deletes

      const second = await startChildServer(['--port', '0', '--data-dir', dataDir]);
      try {
        const listed = new Set(((await getJson(`${second.url}/api/bins`)).body.bins as { id: string }[]).map((b) => b.id));
        for (const id of deleted) expect(listed.has(id), `deleted bin ${id} is back`).toBe(false);
        for (const bin of bins.slice(16)) {
          expect(listed.has(bin.id)).toBe(true);
          expect((await getJson(`${second.url}/api/bins/${bin.id}/requests?limit=100`)).body.requests.map((r: { id: string }) => r.id).sort()).toEqual(bin.ids);
        }
        // A bin whose delete was cut off unanswered is either whole or gone.
        for (const bin of bins.slice(0, 16).filter((b) => listed.has(b.id))) {
          expect((await getJson(`${second.url}/api/bins/${bin.id}/requests?limit=100`)).body.requests).toHaveLength(6);
        }
        expect((await readdir(path.join(dataDir, 'bins'))).sort()).toEqual([...listed].sort());
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  for (const [label, text, why] of [
    ['not a list', '{"bins":"nope"}', /bins\.json cannot be read \("bins" is not a list\); nothing was changed\./],
    ['not JSON', '{"version":1,"bins":[', /bins\.json cannot be read \(it is not valid JSON: /],
    ['an entry without a valid id', '{"version":1,"bins":[{"id":"../../etc","name":"x"}]}', /bins\.json cannot be read \(entry 0: the bin has no valid "id"\)/],
  ] as const) {
    it(`refuses to start on a bins.json it cannot read (${label}): one line, exit 2, data untouched`, async () => {
      const filled = await fillDataDir();
      await makeOldLayout(filled, text);
      const before = await tree(filled.dataDir);
      const { code, stdout, stderr } = await runCli(['--port', '0', '--data-dir', filled.dataDir]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(new RegExp(`^hookscope: ${filled.dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/${why.source}`));
      expect(stderr).toMatch(/restore it from a backup, or move it aside/);
      expect(await tree(filled.dataDir)).toEqual(before);
    });
  }

  it('refuses to start on a data dir it cannot use (a file, a path through a file): one line naming it, exit 2', async () => {
    const dir = await makeTempDir();
    try {
      const file = path.join(dir, 'a-file');
      await writeFile(file, 'not a directory');
      for (const dataDir of [file, path.join(file, 'data')]) {
        const { code, stdout, stderr } = await runCli(['--port', '0', '--data-dir', dataDir]);
        expect(code).toBe(2);
        expect(stdout).toBe('');
        expect(stderr.trim().split('\n')).toHaveLength(1);
        expect(stderr).toMatch(
          new RegExp(
            `^hookscope: cannot use the data dir ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\((ENOTDIR|EEXIST)[^)]*\\): make it a directory hookscope can read and write, or pick another with --data-dir\\. Nothing was deleted\\.$`,
            'm',
          ),
        );
      }
      expect(await readFile(file, 'utf8')).toBe('not a directory');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
