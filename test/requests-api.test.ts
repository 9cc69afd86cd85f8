import { describe, expect, it } from 'vitest';
import { AS_JSON, capture } from './helpers/capture.js';
import { createBin, getJson, startServer } from './helpers/server.js';
import { openForFile } from './helpers/for-file.js';

const srv = await openForFile(() => startServer());

describe('requests API', () => {
  it('pages newest first with a cursor, without gaps or repeats', async () => {
    const bin = await createBin(srv.url);
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) ids.push(await capture(`${bin.url}/n/${i}`, String(i)));
    const seen: string[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const page: { requests: { id: string; method: string; path: string; receivedAt: string; size: number }[]; nextBefore: string | null } = (
        await getJson(`${srv.url}/api/bins/${bin.id}/requests?limit=10${before ? `&before=${before}` : ''}`)
      ).body;
      for (const r of page.requests) expect(Object.keys(r)).toEqual(expect.arrayContaining(['id', 'method', 'path', 'receivedAt', 'size']));
      seen.push(...page.requests.map((r) => r.id));
      before = page.nextBefore;
      pages++;
    } while (before);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
    expect((await getJson(`${srv.url}/api/bins/${bin.id}/requests?limit=0`)).status).toBe(400);
    expect((await getJson(`${srv.url}/api/bins/${bin.id}/requests?before=../../x`)).status).toBe(400);
  });

  it('filters with q= on method, token status and text in path, headers and body', async () => {
    const bin = await createBin(srv.url, { token: 'tok' });
    await capture(`${bin.url}/krea?token=tok`, '{"job_id":"j1","status":"completed"}', AS_JSON);
    await capture(`${bin.url}/langgraph?token=bad`, '{"run_id":"r1","status":"error"}', { headers: { 'x-trace': 'Trace-42' } });
    await fetch(`${bin.url}/ping`);
    const q = async (filter: string) =>
      ((await getJson(`${srv.url}/api/bins/${bin.id}/requests?q=${encodeURIComponent(filter)}`)).body.requests as { path: string }[]).map((r) => r.path);
    expect(await q('method:GET')).toEqual(['/ping']);
    expect(await q('token:invalid')).toEqual(['/langgraph']);
    expect(await q('"status":"completed"')).toEqual(['/krea']);
    expect(await q('trace-42')).toEqual(['/langgraph']);
    expect(await q('method:post status')).toEqual(['/langgraph', '/krea']);
    expect(await q('nothing-matches-this')).toEqual([]);
  });

  it('deletes one request and clears a bin', async () => {
    const bin = await createBin(srv.url);
    const a = await capture(bin.url, 'a');
    const b = await capture(bin.url, 'b');
    expect((await fetch(`${srv.url}/api/bins/${bin.id}/requests/${a}`, { method: 'DELETE' })).status).toBe(204);
    expect((await getJson(`${srv.url}/api/bins/${bin.id}/requests/${a}`)).status).toBe(404);
    expect((await getJson(`${srv.url}/api/bins/${bin.id}/requests/${a}/body`)).status).toBe(404);
    expect((await getJson(`${srv.url}/api/bins/${bin.id}/requests/${b}`)).status).toBe(200);
    const cleared = await fetch(`${srv.url}/api/bins/${bin.id}/requests`, { method: 'DELETE' });
    expect(await cleared.json()).toEqual({ removed: 1 });
    expect((await getJson(`${srv.url}/api/bins/${bin.id}/requests`)).body).toEqual({ requests: [], nextBefore: null });
    const c = await capture(bin.url, 'c');
    expect((await getJson(`${srv.url}/api/bins/${bin.id}/requests`)).body.requests.map((r: { id: string }) => r.id)).toEqual([c]);
  });

  it('serves the raw body with its content type, sandboxed, and truncates inline bodies on request', async () => {
    const bin = await createBin(srv.url);
    const html = '<script>alert(1)</script>';
    const id = await capture(bin.url, html, { headers: { 'content-type': 'text/html' } });
    const raw = await fetch(`${srv.url}/api/bins/${bin.id}/requests/${id}/body`);
    expect(raw.headers.get('content-type')).toBe('text/html');
    expect(raw.headers.get('content-security-policy')).toMatch(/sandbox/);
    expect(raw.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await raw.text()).toBe(html);
    const download = await fetch(`${srv.url}/api/bins/${bin.id}/requests/${id}/body?download`);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment/);

    const text = 'é'.repeat(10); // 20 bytes; a cut at 5 bytes must not split a character
    const tid = await capture(bin.url, text, { headers: { 'content-type': 'text/plain' } });
    const cut = (await getJson(`${srv.url}/api/bins/${bin.id}/requests/${tid}?bodyLimit=5`)).body;
    expect(cut.body).toEqual({ encoding: 'utf8', data: 'éé', truncated: true });
    expect(cut.size).toBe(20);
  });

  describe('wait (long-poll for CI)', () => {
    it('answers at once with the first request newer than `after`', async () => {
      const bin = await createBin(srv.url);
      const a = await capture(bin.url, 'a');
      const b = await capture(bin.url, 'b');
      await capture(bin.url, 'c');
      const res = await getJson(`${srv.url}/api/bins/${bin.id}/requests/wait?after=${a}&timeout=5`);
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(b);
      expect(res.body.body.data).toBe('b');
    });

    it('waits for the next request to arrive', async () => {
      const bin = await createBin(srv.url);
      const started = Date.now();
      const waiting = getJson(`${srv.url}/api/bins/${bin.id}/requests/wait?timeout=10`);
      await new Promise((r) => setTimeout(r, 300));
      const id = await capture(`${bin.url}/late`, '{"late":true}');
      const res = await waiting;
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, path: '/late', json: { late: true } });
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    });

    it('answers 204 when the timeout passes', async () => {
      const bin = await createBin(srv.url);
      const started = Date.now();
      const res = await fetch(`${srv.url}/api/bins/${bin.id}/requests/wait?timeout=1`);
      expect(res.status).toBe(204);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    });
  });
});
