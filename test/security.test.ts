// Over 300 lines: each describe is one concern of the same hardened server setup (access, limits, retention, headers, log); kept together so the setup is written once.
// Issue 8 on the server side: access control, abuse limits, retention, security headers and the
// access log, against real servers (loopback only; --public forces public-mode behaviour).
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openApiDocument } from '../server/api/openapi.js';
import { failureDelayMs } from '../server/security/auth.js';
import { CONTENT_SECURITY_POLICY } from '../server/security/headers.js';
import { capture } from './helpers/capture.js';
import { runCli, startChildServer } from './helpers/child-server.js';
import { createBin, makeTempDir, serversClosedAfterEach } from './helpers/server.js';

const TOKEN = 'test-access-token-0123456789';
const start = serversClosedAfterEach();
const bearer = { authorization: `Bearer ${TOKEN}` };

/** Every documented API operation, with ids filled in, as [method, path]. */
function apiOperations(binId: string, requestId: string): [string, string][] {
  const operations: [string, string][] = [];
  for (const [path, item] of Object.entries(openApiDocument.paths)) {
    if (!path.startsWith('/api/')) continue;
    const concrete = path.replace('{binId}', binId).replace('{requestId}', requestId).replace('{index}', '0').replace('{sendId}', 'x');
    for (const method of Object.keys(item)) if (method !== 'parameters') operations.push([method.toUpperCase(), concrete]);
  }
  return operations;
}

describe('access control with --access-token', () => {
  it('refuses every API route, the WebSocket and the inspector without credentials; captures stay open', async () => {
    const srv = await start({ accessToken: TOKEN });
    const bin = (await (await fetch(`${srv.url}/api/bins`, { method: 'POST', headers: bearer })).json()) as { id: string; url: string };
    const capture = await fetch(`${bin.url}/hook?x=1`, { method: 'POST', body: '{"a":1}' });
    expect(capture.status).toBe(200);
    const { id: requestId } = (await capture.json()) as { id: string };

    const operations = apiOperations(bin.id, requestId);
    expect(operations.length).toBeGreaterThan(20);
    for (const [method, path] of operations) {
      const res = await fetch(`${srv.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
      });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect((await res.json()).error.code).toBe('unauthorized');
    }
    // A wrong token is refused too (a few: failures from one address are slowed down).
    for (const [method, path] of operations.slice(0, 3)) {
      const wrong = await fetch(`${srv.url}${path}`, {
        method,
        headers: { authorization: 'Bearer not-the-token' },
        body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
      });
      expect(wrong.status, `${method} ${path} with a wrong token`).toBe(401);
    }
    // With the token every GET route answers (not 401).
    for (const [, path] of operations.filter(([m]) => m === 'GET')) {
      const res = await fetch(`${srv.url}${path}${path.endsWith('/wait') ? '?timeout=0' : ''}`, { headers: bearer });
      expect(res.status, `GET ${path}`).not.toBe(401);
    }
    const page = await fetch(`${srv.url}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(401);
    const html = await page.text();
    expect(html).toContain('<form method="post" action="/login">');
    expect(html).not.toContain('<script');
    expect((await fetch(`${srv.url}/assets/x.js`)).status).toBe(401);

    const wsStatus = (headers: Record<string, string> = {}) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${srv.url.replace('http', 'ws')}/ws?bin=${bin.id}`, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => resolve(-1));
      });
    expect(await wsStatus()).toBe(401);
    expect(await wsStatus(bearer)).toBe(101);
  });

  it('logs in with the form, keeps an HttpOnly SameSite=Strict cookie, logs out', async () => {
    const srv = await start({ accessToken: TOKEN });
    const login = await fetch(`${srv.url}/login`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ token: TOKEN, next: '/bins' }) });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/bins');
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^hookscope_session=v1\.[\w-]+\.[\w-]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
    const session = cookie.split(';')[0]!;
    expect((await fetch(`${srv.url}/api/bins`, { headers: { cookie: session } })).status).toBe(200);
    expect((await fetch(`${srv.url}/`, { headers: { cookie: session } })).status).toBe(200);
    expect((await fetch(`${srv.url}/api/bins`, { headers: { cookie: 'hookscope_session=v1.forged.mac' } })).status).toBe(401);
    const open = await fetch(`${srv.url}/login?next=//evil.example`, {
      redirect: 'manual',
      method: 'POST',
      body: new URLSearchParams({ token: TOKEN, next: '//evil.example' }),
    });
    expect(open.headers.get('location')).toBe('/'); // never an open redirect
    const logout = await fetch(`${srv.url}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie: session } });
    expect(logout.headers.get('set-cookie')).toMatch(/hookscope_session=; .*Max-Age=0/);
    // A printed login link logs in too, then drops the token from the address bar.
    const link = await fetch(`${srv.url}/login?token=${TOKEN}`, { redirect: 'manual' });
    expect(link.status).toBe(302);
    expect(link.headers.get('location')).toBe('/');
    expect(link.headers.get('set-cookie')).toMatch(/^hookscope_session=v1\./);
  });

  it('marks the cookie Secure behind https, and slows down repeated failures from one address', async () => {
    const srv = await start({ accessToken: TOKEN, publicUrl: 'https://hooks.example.com' });
    const login = await fetch(`${srv.url}/login`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ token: TOKEN }) });
    expect(login.headers.get('set-cookie')).toMatch(/; Secure$/);
    expect([1, 2, 3, 4, 5, 6].map(failureDelayMs)).toEqual([0, 0, 0, 250, 500, 1000]);
    const timings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const res = await fetch(`${srv.url}/api/bins`, { headers: { authorization: 'Bearer guess' } });
      expect(res.status).toBe(401);
      timings.push(Date.now() - started);
    }
    expect(timings[4]).toBeGreaterThanOrEqual(480); // the 5th failure waits 500 ms
    expect(timings[0]).toBeLessThan(250);
  });
});

describe('public mode', () => {
  it('generates a token and prints the login URL when none is given', async () => {
    const dataDir = await makeTempDir();
    const server = await startChildServer(['--port', '0', '--data-dir', dataDir, '--public']);
    try {
      await new Promise((r) => setTimeout(r, 200));
      const match = /log in at (http:\/\/127\.0\.0\.1:\d+)\/login\?token=([\w-]{32})/.exec(server.output());
      expect(match, server.output()).not.toBeNull();
      expect((await fetch(`${server.url}/api/bins`)).status).toBe(401);
      expect((await fetch(`${server.url}/api/bins`, { headers: { authorization: `Bearer ${match![2]}` } })).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    const open = await startChildServer(['--port', '0', '--data-dir', dataDir, '--public', '--no-auth']);
    try {
      await new Promise((r) => setTimeout(r, 200));
      expect(open.output()).toMatch(/WARNING: --no-auth on a public address/);
      expect((await fetch(`${open.url}/api/bins`)).status).toBe(200);
    } finally {
      open.child.kill('SIGTERM');
      await open.exited;
    }
  });

  it('stays zero-configuration on loopback', async () => {
    const srv = await start();
    expect((await fetch(`${srv.url}/api/bins`)).status).toBe(200);
    expect(srv.server.access).toEqual({ token: null, generated: false });
  });
});

describe('abuse limits', () => {
  it('answers 429 with Retry-After past the per-bin rate, counts and does not store, and refills', async () => {
    let clock = 1_000_000;
    const srv = await start({ rateLimit: { perSecond: 5, burst: 5 }, rateLimitPerAddress: null }, { now: () => clock });
    const bin = await createBin(srv.url);
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await fetch(bin.url, { method: 'POST', body: String(i) })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const refused = await fetch(bin.url, { method: 'POST', body: 'x' });
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await refused.json()).error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/--rate-limit/) });
    const info = await (await fetch(`${srv.url}/api/bins/${bin.id}`)).json();
    expect(info).toMatchObject({ requestCount: 5, rateLimited: 4 });
    clock += 1000; // a second later, 5 more tokens
    expect((await fetch(bin.url, { method: 'POST', body: 'again' })).status).toBe(200);
    // Another bin has its own budget.
    expect((await fetch((await createBin(srv.url)).url, { method: 'POST' })).status).toBe(200);
  });

  it('limits per source address and bin creation', async () => {
    const clock = 1_000_000;
    const srv = await start(
      { rateLimit: null, rateLimitPerAddress: { perSecond: 1, burst: 3 }, binCreationLimit: { perSecond: 0.1, burst: 2 } },
      { now: () => clock },
    );
    const a = await createBin(srv.url);
    const b = await createBin(srv.url);
    const third = await fetch(`${srv.url}/api/bins`, { method: 'POST' });
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('10');
    const statuses = [];
    for (const bin of [a, b, a, b]) statuses.push((await fetch(bin.url, { method: 'POST' })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('applies generous defaults in public mode only', async () => {
    const local = await start();
    const bin = await createBin(local.url);
    const burst = await Promise.all(Array.from({ length: 300 }, () => fetch(bin.url, { method: 'POST' }).then((r) => r.status)));
    expect(burst.every((s) => s === 200)).toBe(true);
    // A stopped clock: no refill while a loaded machine works through the burst, so the counts are exact.
    const stopped = Date.now();
    const pub = await start({ assumePublic: true, noAuth: true }, { now: () => stopped });
    const pbin = await createBin(pub.url);
    const pburst = await Promise.all(Array.from({ length: 300 }, () => fetch(pbin.url, { method: 'POST' }).then((r) => r.status)));
    expect(pburst.filter((s) => s === 429).length).toBe(100); // 200 burst per bin
    expect(pburst.filter((s) => s === 200).length).toBe(200);
  });
});

describe('retention', () => {
  it('removes requests older than --retention, and bins idle past --bin-expiry', async () => {
    let clock = Date.now();
    const srv = await start({ retentionMs: 7 * 86_400_000, binExpiryMs: 30 * 86_400_000 }, { now: () => clock });
    const bin = await createBin(srv.url);
    const idle = await createBin(srv.url);
    for (let i = 0; i < 3; i++) await fetch(bin.url, { method: 'POST', body: String(i) });
    expect((await srv.server.retention.runOnce()).removedByAge).toBe(0);
    clock += 8 * 86_400_000;
    const report = await srv.server.retention.runOnce();
    expect(report.removedByAge).toBe(3);
    expect((await (await fetch(`${srv.url}/api/bins/${bin.id}`)).json()).requestCount).toBe(0);
    clock += 23 * 86_400_000;
    expect((await srv.server.retention.runOnce()).binsExpired).toBe(2);
    expect((await fetch(`${srv.url}/api/bins/${idle.id}`)).status).toBe(404);
  });

  it('keeps stored data under --max-data-size, oldest first, with a warning', async () => {
    const srv = await start({ maxDataSize: 40_000 });
    const a = await createBin(srv.url);
    const b = await createBin(srv.url);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const bin = i % 2 ? b : a;
      ids.push(await capture(bin.url, 'x'.repeat(5000)));
    }
    const report = await srv.server.retention.runOnce();
    expect(report.removedForSize).toBeGreaterThan(0);
    expect(report.dataSize).toBeLessThanOrEqual(40_000);
    const kept = [
      ...(await (await fetch(`${srv.url}/api/bins/${a.id}/requests`)).json()).requests,
      ...(await (await fetch(`${srv.url}/api/bins/${b.id}/requests`)).json()).requests,
    ].map((r: { id: string }) => r.id);
    expect(kept.sort()).toEqual(ids.slice(report.removedForSize).sort()); // the oldest went first
    const status = await (await fetch(`${srv.url}/api/status`)).json();
    expect(status.storage).toMatchObject({ maxDataSize: 40_000, warning: expect.stringMatching(/--max-data-size/) });
  });
});

describe('behind a reverse proxy', () => {
  it('with --trust-proxy takes the client from the last X-Forwarded-For entry and the protocol from X-Forwarded-Proto', async () => {
    const clock = 1_000_000;
    const srv = await start({ trustProxy: true, rateLimitPerAddress: { perSecond: 1, burst: 2 }, rateLimit: null }, { now: () => clock });
    const res = await fetch(`${srv.url}/api/bins`, { method: 'POST', headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' } });
    const bin = (await res.json()) as { id: string; url: string };
    expect(bin.url).toMatch(/^https:\/\//);
    const local = `${srv.url}/h/${bin.id}`;
    const post = (forwardedFor: string) => fetch(local, { method: 'POST', headers: { 'x-forwarded-for': forwardedFor } });
    // A forged first entry is ignored: the proxy's own (last) entry is the client.
    const { id } = (await (await post('198.51.100.66, 203.0.113.9')).json()) as { id: string };
    expect((await (await fetch(`${srv.url}/api/bins/${bin.id}/requests/${id}`)).json()).remoteAddress).toBe('203.0.113.9');
    expect((await post('203.0.113.9')).status).toBe(200);
    expect((await post('203.0.113.9')).status).toBe(429); // that client's budget is spent…
    expect((await post('203.0.113.10')).status).toBe(200); // …not another's
  });

  it('without it ignores X-Forwarded-For', async () => {
    const srv = await start();
    const bin = await createBin(srv.url);
    const { id } = (await (await fetch(bin.url, { method: 'POST', headers: { 'x-forwarded-for': '203.0.113.9' } })).json()) as { id: string };
    expect((await (await fetch(`${srv.url}/api/bins/${bin.id}/requests/${id}`)).json()).remoteAddress).toMatch(/127\.0\.0\.1/);
  });
});

describe('headers and logs', () => {
  it('serves the inspector and API with a strict CSP and friends', async () => {
    const srv = await start();
    for (const path of ['/', '/api/bins', '/bins/whatever']) {
      const res = await fetch(`${srv.url}${path}`);
      expect(res.headers.get('content-security-policy'), path).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'self'/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/frame-ancestors 'none'/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline/);
  });

  it('writes one access log line per request without query strings or bodies, as text or JSON', async () => {
    const lines: string[] = [];
    const srv = await start({ accessLog: 'on', logFormat: 'json' }, { log: (line) => lines.push(line) });
    const bin = await createBin(srv.url, { token: 'secret-query-token' });
    await fetch(`${bin.url}/hook?token=secret-query-token`, { method: 'POST', body: '{"password":"hunter2"}' });
    await new Promise((r) => setTimeout(r, 50));
    const entries = lines.map((l) => JSON.parse(l));
    expect(entries.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual(['POST /api/bins 201', `POST /h/${bin.id}/hook 200`]);
    expect(entries[1]).toMatchObject({ bytes: expect.any(Number), ms: expect.any(Number) });
    expect(lines.join('\n')).not.toMatch(/secret-query-token|hunter2/);
    const quiet: string[] = [];
    const local = await start({}, { log: (line) => quiet.push(line) });
    await fetch(`${local.url}/api/bins`);
    expect(quiet).toEqual([]); // loopback: quiet by default
  });

  it("logs a capture's bytes as captured and answered (not 0B), and an API answer's bytes", async () => {
    const lines: string[] = [];
    const srv = await start({ accessLog: 'on', logFormat: 'text' }, { log: (line) => lines.push(line) });
    const bin = await createBin(srv.url);
    const body = '{"job_id":"j-1","status":"completed"}';
    const answer = await fetch(`${bin.url}/krea`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const answered = Buffer.byteLength(await answer.text());
    const listed = await fetch(`${srv.url}/api/bins/${bin.id}/requests`);
    const listBytes = Buffer.byteLength(await listed.text());
    await new Promise((r) => setTimeout(r, 50));
    const [create, captureLine, list] = lines.map((line) => line.replace(/^\S+ /, '').replace(/ [\d.]+ms$/, ''));
    expect(create).toMatch(/^POST \/api\/bins 201 [1-9]\d*B$/);
    expect(captureLine).toBe(`POST /h/${bin.id}/krea 200 captured ${body.length}B, answered ${answered}B`);
    expect(list).toBe(`GET /api/bins/${bin.id}/requests 200 ${listBytes}B`);
    // As JSON: bytes is what was answered, captured what was stored.
    const json: string[] = [];
    const jsonSrv = await start({ accessLog: 'on', logFormat: 'json' }, { log: (line) => json.push(line) });
    const other = await createBin(jsonSrv.url);
    const res = await fetch(other.url, { method: 'PUT', body: Buffer.alloc(1000, 7) });
    const answeredJson = Buffer.byteLength(await res.text());
    await new Promise((r) => setTimeout(r, 50));
    expect(JSON.parse(json[1]!)).toMatchObject({ method: 'PUT', path: `/h/${other.id}`, status: 200, captured: 1000, bytes: answeredJson });
    expect(JSON.parse(json[0]!)).not.toHaveProperty('captured');
  });

  it('runs the CLI help with every new flag', async () => {
    const { stdout } = await runCli(['--help']);
    for (const flag of [
      '--access-token',
      '--no-auth',
      '--public',
      '--log-format',
      '--access-log',
      '--rate-limit',
      '--rate-limit-per-address',
      '--bin-creation-limit',
      '--retention',
      '--bin-expiry',
      '--max-data-size',
      '--trust-proxy',
    ])
      expect(stdout).toContain(flag);
  });
});
