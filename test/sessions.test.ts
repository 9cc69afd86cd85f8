// Issue 11 item 4 and the Low session items through the real server: hookscope's own session
// cookie is never stored with a capture (nor relayed from it), logout revokes every session on
// the server (lowdb and Redis, across instances), the cookie is Secure behind an https proxy,
// and login's `next` only ever leads to a path on this origin.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sameOriginPath } from '../server/security/login-routes.js';
import { capture } from './helpers/capture.js';
import { eventually } from './helpers/eventually.js';
import { startRedis, type TestRedis } from './helpers/redis.js';
import { serversClosedAfterEach, type TestServer } from './helpers/server.js';
import { startTarget } from './helpers/target-server.js';

const start = serversClosedAfterEach();
const TOKEN = 'sessions-access-token-0123456789';
const bearer = { authorization: `Bearer ${TOKEN}` };
const json = { 'content-type': 'application/json' };

async function logIn(srv: TestServer, headers: Record<string, string> = {}): Promise<{ cookie: string; setCookie: string }> {
  const res = await fetch(`${srv.url}/login`, { method: 'POST', redirect: 'manual', headers, body: new URLSearchParams({ token: TOKEN }) });
  expect(res.status).toBe(302);
  const setCookie = res.headers.get('set-cookie')!;
  return { cookie: setCookie.split(';')[0]!, setCookie };
}

async function newBin(srv: TestServer, settings: object = {}): Promise<{ id: string; url: string }> {
  const res = await fetch(`${srv.url}/api/bins`, { method: 'POST', headers: { ...bearer, ...json }, body: JSON.stringify(settings) });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; url: string };
}

describe('the session cookie in captures', () => {
  it('is removed from the stored Cookie header, other cookies kept byte for byte, and the removal is recorded', async () => {
    const srv = await start({ accessToken: TOKEN });
    const { cookie } = await logIn(srv);
    const bin = await newBin(srv);
    const pushed: string[] = [];
    const live = new WebSocket(`${srv.url.replace('http', 'ws')}/ws?bin=${bin.id}`, { headers: bearer });
    live.on('message', (data) => pushed.push(data.toString()));
    await new Promise((resolve) => live.once('open', resolve));
    const storedWith = async (cookieHeaders: string[]) => {
      const id = await capture(`${srv.url}/h/${bin.id}/hook`, '{"a":1}', {
        rawHeaders: ['Content-Type', 'application/json', ...cookieHeaders.flatMap((value) => ['Cookie', value])],
      });
      return (await fetch(`${srv.url}/api/bins/${bin.id}/requests/${id}`, { headers: bearer }).then((r) => r.json())) as {
        rawHeaders: [string, string][];
        redacted?: string[];
        headers: Record<string, unknown>;
      };
    };
    const mixed = await storedWith([`theme=dark; ${cookie};  other=a=b`]);
    expect(mixed.rawHeaders.filter(([name]) => name === 'Cookie')).toEqual([['Cookie', 'theme=dark;  other=a=b']]);
    expect(mixed.redacted).toEqual(['cookie:hookscope_session']);
    const first = await storedWith([`${cookie}; theme=dark`]);
    expect(first.rawHeaders.filter(([name]) => name === 'Cookie')).toEqual([['Cookie', 'theme=dark']]);
    const only = await storedWith([cookie]);
    expect(only.rawHeaders.map(([name]) => name)).not.toContain('Cookie'); // nothing left: the header goes
    expect(only.redacted).toEqual(['cookie:hookscope_session']);
    const twoHeaders = await storedWith(['a=1', `${cookie}; b=2`]);
    expect(twoHeaders.rawHeaders.filter(([name]) => name === 'Cookie')).toEqual([
      ['Cookie', 'a=1'],
      ['Cookie', 'b=2'],
    ]);
    const unrelated = await storedWith(['hookscope_session_theme=1; my_hookscope_session=2']);
    expect(unrelated.rawHeaders.filter(([name]) => name === 'Cookie')).toEqual([['Cookie', 'hookscope_session_theme=1; my_hookscope_session=2']]);
    expect(unrelated.redacted).toBeUndefined();
    // Nothing of it anywhere a capture URL holder could read: list, live push, export.
    await eventually(() => pushed.filter((m) => m.includes('"request.created"')).length === 5, 'five live pushes');
    const value = cookie.split('=')[1]!;
    expect(pushed.join('\n')).not.toContain(value);
    expect(pushed.join('\n')).toContain('theme=dark');
    const exported = await (await fetch(`${srv.url}/api/bins/${bin.id}/export?format=ndjson`, { headers: bearer })).text();
    expect(exported).not.toContain(value);
    expect(exported).toContain('theme=dark');
    live.close();
  });

  it('is not in the smee stream nor forwarded to a target, even without access control', async () => {
    const srv = await start();
    const target = await startTarget();
    try {
      const bin = await newBin(srv, { forward: { target: target.url } });
      const events: string[] = [];
      const stream = http.get(`${bin.url}`, { headers: { accept: 'text/event-stream' } }, (res) =>
        res.on('data', (chunk: Buffer) => events.push(chunk.toString())),
      );
      stream.on('error', () => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const res = await fetch(bin.url, { method: 'POST', headers: { cookie: 'hookscope_session=v1.stale.cookie; keep=1' }, body: 'x' });
      expect(res.status).toBe(200);
      await target.waitFor(1);
      expect(target.received[0]!.headers.cookie).toBe('keep=1');
      await eventually(() => events.join('').includes('keep=1'), 'the capture on the smee stream');
      expect(events.join('')).toContain('"cookie":"keep=1"');
      expect(events.join('')).not.toContain('v1.stale.cookie');
      stream.destroy();
    } finally {
      await target.close();
    }
  });
});

describe('logout', () => {
  it('revokes the session on the server: the old cookie gets 401, a new login works', async () => {
    const srv = await start({ accessToken: TOKEN });
    const { cookie } = await logIn(srv);
    const other = await logIn(srv); // another browser
    expect((await fetch(`${srv.url}/api/bins`, { headers: { cookie } })).status).toBe(200);
    // A logout without credentials only clears that browser's cookie: it cannot end others' sessions.
    const stranger = await fetch(`${srv.url}/logout`, { method: 'POST', redirect: 'manual' });
    expect(stranger.headers.get('set-cookie')).toMatch(/hookscope_session=; .*Max-Age=0/);
    expect((await fetch(`${srv.url}/api/bins`, { headers: { cookie } })).status).toBe(200);

    const logout = await fetch(`${srv.url}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie } });
    expect(logout.status).toBe(302);
    const old = await fetch(`${srv.url}/api/bins`, { headers: { cookie } });
    expect(old.status).toBe(401);
    expect(((await old.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect((await fetch(`${srv.url}/api/bins`, { headers: { cookie: other.cookie } })).status).toBe(401); // every session ends
    expect((await fetch(`${srv.url}/`, { headers: { cookie, accept: 'text/html' } })).status).toBe(401);
    expect((await fetch(`${srv.url}/api/bins`, { headers: bearer })).status).toBe(200); // the token itself still works
    const again = await logIn(srv);
    expect((await fetch(`${srv.url}/api/bins`, { headers: { cookie: again.cookie } })).status).toBe(200);
  });

  it('stays revoked after a restart (the epoch is in the data dir)', async () => {
    const srv = await start({ accessToken: TOKEN });
    const { cookie } = await logIn(srv);
    await fetch(`${srv.url}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie } });
    const kept = await logIn(srv);
    await srv.stop();
    const restarted = await start({ accessToken: TOKEN, dataDir: srv.dataDir });
    expect((await fetch(`${restarted.url}/api/bins`, { headers: { cookie } })).status).toBe(401);
    expect((await fetch(`${restarted.url}/api/bins`, { headers: { cookie: kept.cookie } })).status).toBe(200);
  });

  describe('on Redis', () => {
    let redis: TestRedis;
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(() => redis.close());

    it('is seen by every instance: a cookie from one works on the other, until a logout on either', async () => {
      const [a, b] = await Promise.all([start({ accessToken: TOKEN, redisUrl: redis.url }), start({ accessToken: TOKEN, redisUrl: redis.url })]);
      const { cookie } = await logIn(a);
      expect((await fetch(`${b.url}/api/bins`, { headers: { cookie } })).status).toBe(200);
      await fetch(`${b.url}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie } });
      expect((await fetch(`${a.url}/api/bins`, { headers: { cookie } })).status).toBe(401);
      expect((await fetch(`${b.url}/api/bins`, { headers: { cookie } })).status).toBe(401);
      const fresh = await logIn(b);
      expect((await fetch(`${a.url}/api/bins`, { headers: { cookie: fresh.cookie } })).status).toBe(200);
    });
  });
});

describe('the cookie behind an https proxy', () => {
  it('is Secure with --trust-proxy and X-Forwarded-Proto: https, not otherwise', async () => {
    const proxied = await start({ accessToken: TOKEN, trustProxy: true });
    expect((await logIn(proxied, { 'x-forwarded-proto': 'https' })).setCookie).toMatch(/; Secure$/);
    expect((await logIn(proxied)).setCookie).not.toMatch(/Secure/);
    const direct = await start({ accessToken: TOKEN });
    expect((await logIn(direct, { 'x-forwarded-proto': 'https' })).setCookie).not.toMatch(/Secure/); // a client cannot ask for it
    const logout = await fetch(`${proxied.url}/logout`, { method: 'POST', redirect: 'manual', headers: { 'x-forwarded-proto': 'https' } });
    expect(logout.headers.get('set-cookie')).toMatch(/Max-Age=0.*; Secure$/);
  });
});

describe('login?next=', () => {
  it('goes only to a path on this origin', async () => {
    const srv = await start({ accessToken: TOKEN });
    const locations: Record<string, string> = {};
    for (const next of [
      '/bins/x?y=1#z',
      '/\\evil.example',
      '\\\\evil.example',
      '//evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '/%2F%2Fevil.example',
      '',
    ]) {
      const res = await fetch(`${srv.url}/login`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ token: TOKEN, next }) });
      expect(res.status).toBe(302);
      locations[next] = res.headers.get('location')!;
    }
    expect(locations).toEqual({
      '/bins/x?y=1#z': '/bins/x?y=1#z',
      '/\\evil.example': '/',
      '\\\\evil.example': '/',
      '//evil.example': '/',
      '/\t/evil.example': '/',
      '/\n/evil.example': '/',
      'https://evil.example/': '/',
      'javascript:alert(1)': '/',
      '/%2F%2Fevil.example': '/%2F%2Fevil.example', // a path with encoded slashes is still a path here
      '': '/',
    });
    for (const location of Object.values(locations)) expect(new URL(location, srv.url).origin).toBe(srv.url);
    expect(sameOriginPath('/../../x')).toBe('/x');
  });
});
