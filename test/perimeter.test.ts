// Issue 11 items 3 and 7 through the real server: the inspector, API and /ws answer only under
// an allowed Host, refuse state-changing requests and WebSockets from a foreign Origin, and take
// API bodies only as JSON; capture URLs (and the smee stream) stay open to any host and origin.
// Hosts and origins are forged in headers; every connection goes to 127.0.0.1.
import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { readConfig } from '../server/config.js';
import { HostRules, parseAuthority } from '../server/security/allowed-hosts.js';
import { rawRequest } from './helpers/raw-http.js';
import { createBin, serversClosedAfterEach, type TestServer } from './helpers/server.js';

const start = serversClosedAfterEach();
const TOKEN = 'perimeter-access-token-0123456789';
const json = { 'content-type': 'application/json' };

function port(srv: TestServer): string {
  return new URL(srv.url).port;
}

/** Sends an HTTP/1.0 request without any Host header over a raw socket; resolves with the status. */
function statusWithoutHost(srv: TestServer, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port(srv)), '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.0\r\n\r\n`));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.\d (\d{3})/.exec(text)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

/** Opens /ws with the given headers; resolves with the handshake status (101 when it opened) and the refusal body. */
function upgrade(
  srv: TestServer,
  binId: string,
  options: { origin?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${srv.url.replace('http', 'ws')}/ws?bin=${binId}`, {
      headers: options.headers,
      ...(options.origin ? { origin: options.origin } : {}),
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('open', () => {
      ws.close();
      resolve({ status: 101, body: '' });
    });
    ws.on('error', () => undefined);
  });
}

describe('Host check (DNS rebinding)', () => {
  it('answers the inspector, API and login only under loopback names, with any port', async () => {
    const srv = await start();
    const bin = await createBin(srv.url);
    for (const host of [
      '127.0.0.1',
      `127.0.0.1:${port(srv)}`,
      `localhost:${port(srv)}`,
      'LOCALHOST',
      'app.localhost:3000',
      '127.8.9.10',
      '[::1]:8080',
      '[::ffff:127.0.0.1]',
    ]) {
      const res = await rawRequest(srv.url, { path: '/api/bins', headers: { host } });
      expect(res.status, host).toBe(200);
    }
    for (const host of ['rebind.example', `rebind.example:${port(srv)}`, 'localhost.rebind.example', '127.0.0.1.nip.io', '10.0.0.1', '0x7f.1', 'a@127.0.0.1']) {
      const api = await rawRequest(srv.url, { path: `/api/bins/${bin.id}/requests`, headers: { host } });
      expect(api.status, host).toBe(403);
      const error = JSON.parse(api.body.toString()).error;
      expect(error.code).toBe('host_not_allowed');
      expect(error.message).toMatch(/--allowed-hosts/);
      const page = await rawRequest(srv.url, { path: `/bins/${bin.id}`, headers: { host, accept: 'text/html' } });
      expect(page.status, host).toBe(403);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.body.toString()).toMatch(/--allowed-hosts/);
      expect(page.body.toString()).not.toContain('<script');
    }
    // A request without a Host header cannot show where it was sent: refused too.
    expect(await statusWithoutHost(srv, '/api/bins')).toBe(403);
    // No bin was created, listed or touched under a foreign name.
    const created = await rawRequest(srv.url, { method: 'POST', path: '/api/bins', headers: { host: 'rebind.example', ...json }, body: '{}' });
    expect(created.status).toBe(403);
    expect(((await (await fetch(`${srv.url}/api/bins`)).json()) as { bins: unknown[] }).bins).toHaveLength(1);
  });

  it('refuses /ws under a foreign Host', async () => {
    const srv = await start();
    const bin = await createBin(srv.url);
    const refused = await upgrade(srv, bin.id, { headers: { host: 'rebind.example' } });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).error.code).toBe('host_not_allowed');
    expect((await upgrade(srv, bin.id, { headers: { host: `localhost:${port(srv)}` } })).status).toBe(101);
  });

  it('keeps capture URLs and the smee stream open under any host', async () => {
    const srv = await start();
    const bin = await createBin(srv.url);
    const capture = await rawRequest(srv.url, {
      method: 'POST',
      path: `/h/${bin.id}/hook`,
      headers: { host: 'anything.example', origin: 'https://sender.example', 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(capture.status).toBe(200);
    const stream = await new Promise<number>((resolve, reject) => {
      const req = http.get(`${srv.url}/h/${bin.id}`, { headers: { host: 'anything.example', accept: 'text/event-stream' } }, (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', (error) => (error.message === 'socket hang up' ? undefined : reject(error)));
    });
    expect(stream).toBe(200);
  });

  it('adds --public-url, --allowed-hosts (exact and .domain) and treats all as off', async () => {
    const srv = await start({ publicUrl: 'https://hooks.example.com', allowedHosts: ['inspector.example.net', '.corp.example', '192.0.2.7'] });
    const status = (host: string) => rawRequest(srv.url, { path: '/api/status', headers: { host } }).then((r) => r.status);
    for (const host of [
      'hooks.example.com',
      'hooks.example.com:443',
      'inspector.example.net:8080',
      'corp.example',
      'a.b.corp.example',
      '192.0.2.7:80',
      'localhost',
    ])
      expect(await status(host), host).toBe(200);
    for (const host of ['example.com', 'evil-corp.example', 'corp.example.evil', 'inspector.example.net.evil', '192.0.2.8'])
      expect(await status(host), host).toBe(403);
    const open = await start({ allowedHosts: 'all' });
    expect((await rawRequest(open.url, { path: '/api/status', headers: { host: 'whatever.example' } })).status).toBe(200);
  });

  it('on a public bind, admits the bind address; on a wildcard bind, IP addresses and the machine name', () => {
    const config = (argv: string[]) => readConfig(argv, {});
    const specific = new HostRules(config(['--host', '192.0.2.5']), 'box');
    expect(specific.check(parseAuthority('192.0.2.5:8080')).ok).toBe(true);
    expect(specific.check(parseAuthority('192.0.2.6')).ok).toBe(false);
    expect(specific.check(parseAuthority('box')).ok).toBe(false);
    const named = new HostRules(config(['--host', 'box.lan']), 'box');
    expect(named.check(parseAuthority('BOX.lan:8080')).ok).toBe(true);
    for (const wildcard of ['0.0.0.0', '::']) {
      const rules = new HostRules(config(['--host', wildcard]), 'Box');
      for (const host of ['192.0.2.5:8080', '[2001:db8::1]', 'box', 'box:8080', 'localhost'])
        expect(rules.check(parseAuthority(host)).ok, `${wildcard} ${host}`).toBe(true);
      for (const host of ['rebind.example', 'box.rebind.example']) expect(rules.check(parseAuthority(host)).ok, `${wildcard} ${host}`).toBe(false);
    }
    const loopback = new HostRules(config([]), 'box');
    expect(loopback.check(parseAuthority('box')).ok).toBe(false);
    expect(loopback.check(parseAuthority('192.0.2.5')).ok).toBe(false);
  });

  it('with --trust-proxy, checks the X-Forwarded-Host the browser used', async () => {
    const srv = await start({ trustProxy: true, allowedHosts: ['hooks.example.com'] });
    const status = (headers: Record<string, string>) => rawRequest(srv.url, { path: '/api/status', headers }).then((r) => r.status);
    expect(await status({ host: '127.0.0.1', 'x-forwarded-host': 'hooks.example.com' })).toBe(200);
    expect(await status({ host: '127.0.0.1', 'x-forwarded-host': 'rebind.example' })).toBe(403);
    const plain = await start({ allowedHosts: ['hooks.example.com'] }); // without the flag the header is ignored
    expect((await rawRequest(plain.url, { path: '/api/status', headers: { host: 'rebind.example', 'x-forwarded-host': 'hooks.example.com' } })).status).toBe(
      403,
    );
  });
});

describe('Origin check and JSON bodies (default mode)', () => {
  it('refuses state-changing API calls from another origin, port included; same origin and no Origin pass', async () => {
    const srv = await start();
    const bin = await createBin(srv.url);
    const self = `http://127.0.0.1:${port(srv)}`;
    const call = (method: string, path: string, headers: Record<string, string>, body?: string) =>
      rawRequest(srv.url, { method, path, headers: { host: `127.0.0.1:${port(srv)}`, ...headers }, body });
    for (const origin of [
      'http://127.0.0.1:1',
      `http://localhost:${port(srv)}`,
      `http://127.0.0.2:${port(srv)}`,
      'https://evil.example',
      'null',
      'not a url',
    ]) {
      for (const [method, path] of [
        ['POST', '/api/bins'],
        ['PATCH', `/api/bins/${bin.id}`],
        ['DELETE', `/api/bins/${bin.id}`],
        ['POST', `/api/bins/${bin.id}/recheck`],
      ] as const) {
        const res = await call(method, path, { origin, ...json }, method === 'DELETE' ? undefined : '{"name":"x"}');
        expect(res.status, `${origin} ${method} ${path}`).toBe(403);
        expect(JSON.parse(res.body.toString()).error.code).toBe('origin_not_allowed');
      }
    }
    expect((await call('PATCH', `/api/bins/${bin.id}`, { origin: self, ...json }, '{"name":"same"}')).status).toBe(200);
    expect((await call('PATCH', `/api/bins/${bin.id}`, json, '{"name":"no origin"}')).status).toBe(200);
    // A form post from the inspector's own pages says Origin: null (they are no-referrer); Sec-Fetch-Site tells it is theirs.
    expect((await call('PATCH', `/api/bins/${bin.id}`, { origin: 'null', 'sec-fetch-site': 'same-origin', ...json }, '{"name":"own form"}')).status).toBe(200);
    expect((await call('PATCH', `/api/bins/${bin.id}`, { origin: 'null', 'sec-fetch-site': 'cross-site', ...json }, '{"name":"x"}')).status).toBe(403);
    // Reading is not refused for an Origin (the browser's same-origin policy keeps the answer from the page).
    expect((await call('GET', '/api/bins', { origin: 'https://evil.example' })).status).toBe(200);
    expect(((await (await fetch(`${srv.url}/api/bins/${bin.id}`)).json()) as { name: string }).name).toBe('own form');
  });

  it('takes API bodies only as application/json (415 otherwise); bodiless calls need no type', async () => {
    const srv = await start();
    const bin = await createBin(srv.url);
    for (const type of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonp',
    ]) {
      const res = await fetch(`${srv.url}/api/bins`, { method: 'POST', headers: { 'content-type': type }, body: '{"name":"smuggled"}' });
      expect(res.status, type).toBe(415);
      const error = ((await res.json()) as { error: { code: string; message: string } }).error;
      expect(error.code).toBe('unsupported_media_type');
      expect(error.message).toMatch(/Content-Type: application\/json/);
    }
    const noType = await rawRequest(srv.url, { method: 'POST', path: '/api/bins', headers: { 'content-length': '2' }, body: '{}' });
    expect(noType.status).toBe(415);
    const emptyForm = await rawRequest(srv.url, {
      method: 'POST',
      path: `/api/bins/${bin.id}/recheck`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '0' },
    });
    expect(emptyForm.status).toBe(415);
    // What the web client and the CLIs send keeps working.
    expect(
      (await fetch(`${srv.url}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"name":"ok"}' })).status,
    ).toBe(201);
    expect((await fetch(`${srv.url}/api/bins`, { method: 'POST' })).status).toBe(201);
    expect((await fetch(`${srv.url}/api/bins/${bin.id}/recheck`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`${srv.url}/api/bins/${bin.id}/requests`, { method: 'DELETE' })).status).toBe(200);
    expect(
      (await fetch(`${srv.url}/api/bins/${bin.id}`, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, body: '{"name":"merge"}' }))
        .status,
    ).toBe(200);
    const names = ((await (await fetch(`${srv.url}/api/bins`)).json()) as { bins: { name: string }[] }).bins.map((b) => b.name);
    expect(names).not.toContain('smuggled');
  });

  it('refuses a WebSocket from a foreign Origin in every mode; no Origin (the ws client, hookscope forward) passes', async () => {
    const srv = await start();
    const bin = await createBin(srv.url);
    for (const origin of ['https://evil.example', 'http://127.0.0.1:1', `http://localhost:${port(srv)}`, 'null']) {
      const refused = await upgrade(srv, bin.id, { origin });
      expect(refused.status, origin).toBe(403);
      expect(JSON.parse(refused.body).error.code).toBe('origin_not_allowed');
    }
    expect((await upgrade(srv, bin.id, { origin: `http://127.0.0.1:${port(srv)}` })).status).toBe(101);
    expect((await upgrade(srv, bin.id)).status).toBe(101);
  });
});

describe('public mode (item 7): the same rules with a token', () => {
  it('refuses same-site pages on another port even with a valid session, for the API, forms and /ws', async () => {
    const srv = await start({ accessToken: TOKEN, assumePublic: true });
    const login = await fetch(`${srv.url}/login`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ token: TOKEN }) });
    const session = login.headers.get('set-cookie')!.split(';')[0]!;
    const bin = (await (await fetch(`${srv.url}/api/bins`, { method: 'POST', headers: { cookie: session } })).json()) as { id: string };
    const sibling = 'http://127.0.0.1:1';
    const create = await fetch(`${srv.url}/api/bins`, { method: 'POST', headers: { cookie: session, origin: sibling, ...json }, body: '{}' });
    expect(create.status).toBe(403);
    const form = await fetch(`${srv.url}/api/bins/${bin.id}`, { method: 'DELETE', headers: { cookie: session, origin: sibling } });
    expect(form.status).toBe(403);
    const logout = await fetch(`${srv.url}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie: session, origin: sibling } });
    expect(logout.status).toBe(403);
    expect((await upgrade(srv, bin.id, { origin: sibling, headers: { cookie: session } })).status).toBe(403);
    expect((await upgrade(srv, bin.id, { origin: srv.url, headers: { cookie: session } })).status).toBe(101);
    // The session still works (the sibling's logout did not happen) and the bin is still there.
    expect((await fetch(`${srv.url}/api/bins/${bin.id}`, { headers: { cookie: session } })).status).toBe(200);
    // Host is checked before credentials: a rebinding page gets 403, not a login prompt.
    expect((await rawRequest(srv.url, { path: '/api/bins', headers: { host: 'rebind.example', cookie: session } })).status).toBe(403);
  });

  it('slows down failed WebSocket logins like failed API logins', async () => {
    const srv = await start({ accessToken: TOKEN });
    const bin = (await (await fetch(`${srv.url}/api/bins`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { id: string };
    const timings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const refused = await upgrade(srv, bin.id, { headers: { authorization: 'Bearer guess' } });
      expect(refused.status).toBe(401);
      timings.push(Date.now() - started);
    }
    expect(timings[4]).toBeGreaterThanOrEqual(480); // the 5th failure waits 500 ms, as API logins do
    expect(timings[0]).toBeLessThan(250);
    // The same address is now slowed down on the API too: one budget per address.
    const started = Date.now();
    expect((await fetch(`${srv.url}/api/bins`, { headers: { cookie: 'hookscope_session=v1.forged.mac' } })).status).toBe(401);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect((await upgrade(srv, bin.id, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(101);
  });
});
