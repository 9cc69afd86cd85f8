import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startChildServer } from './helpers/child-server.js';
import { createBin, makeTempDir } from './helpers/server.js';

/**
 * Every store file under `dir` parses: .json documents whole, .jsonl logs line by line, where
 * only a last line without its newline (an append cut by the kill, never acknowledged) may be torn.
 */
async function assertAllJsonParses(dir: string): Promise<number> {
  let count = 0;
  for (const name of await readdir(dir)) {
    const full = path.join(dir, name);
    if ((await stat(full)).isDirectory()) count += await assertAllJsonParses(full);
    else if (name.endsWith('.json')) {
      JSON.parse(await readFile(full, 'utf8'));
      count++;
    } else if (name.endsWith('.jsonl')) {
      const lines = (await readFile(full, 'utf8')).split('\n');
      lines.pop(); // '' after the final newline, or a torn append
      for (const line of lines) JSON.parse(line);
      count++;
    }
  }
  return count;
}

describe('crash safety', () => {
  it('keeps every acknowledged request when killed with SIGKILL during 500 concurrent captures', async () => {
    const dataDir = await makeTempDir();
    try {
      const first = await startChildServer(['--port', '0', '--data-dir', dataDir, '--max-requests-per-bin', '5000']);
      const bin = await createBin(first.url);
      const acked: string[] = [];
      let killed = false;
      let next = 0;
      // 500 captures, 50 at a time; the server is killed once 150 have been acknowledged.
      const worker = async () => {
        while (next < 500) {
          const i = next++;
          try {
            const res = await fetch(`${first.url}/h/${bin.id}/n/${i}`, {
              method: 'POST',
              body: JSON.stringify({ i, pad: 'x'.repeat(i % 7 === 0 ? 80_000 : 200) }),
            });
            if (res.status !== 200) continue;
            acked.push(((await res.json()) as { id: string }).id);
          } catch {
            continue; // cut off by the kill: never acknowledged
          }
          if (acked.length >= 150 && !killed) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        }
      };
      const sends = Array.from({ length: 50 }, worker);
      await Promise.all(sends);
      const exit = await first.exited;
      expect(exit.signal).toBe('SIGKILL');
      expect(acked.length).toBeGreaterThanOrEqual(150);
      expect(acked.length).toBeLessThan(500); // the kill did land mid-traffic

      expect(await assertAllJsonParses(dataDir)).toBeGreaterThan(1);
      const second = await startChildServer(['--port', '0', '--data-dir', dataDir, '--max-requests-per-bin', '5000']);
      try {
        const stored = new Set<string>();
        let before: string | null = null;
        do {
          const page: { requests: { id: string }[]; nextBefore: string | null } = await (
            await fetch(`${second.url}/api/bins/${bin.id}/requests?limit=1000${before ? `&before=${before}` : ''}`)
          ).json();
          page.requests.forEach((r) => stored.add(r.id));
          before = page.nextBefore;
        } while (before);
        const missing = acked.filter((id) => !stored.has(id));
        expect(missing).toEqual([]);
        // Large bodies of acknowledged requests are intact.
        for (const id of acked.slice(0, 40)) {
          const detail = await (await fetch(`${second.url}/api/bins/${bin.id}/requests/${id}`)).json();
          expect(JSON.parse(detail.body.data).i).toBeTypeOf('number');
        }
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
