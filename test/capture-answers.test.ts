// Issue 11 item 6 through the real server: every answer on a capture URL (scripted, relayed from
// a pass-through target, hookscope's own JSON and errors, the smee stream) is sandboxed by its
// Content-Security-Policy and can never set hookscope's session cookie; --capture-origin hands
// capture URLs out on another host name, which the inspector then refuses.
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { CAPTURE_ANSWER_CSP } from '../server/capture/isolation.js';
import { eventually } from './helpers/eventually.js';
import { rawRequest } from './helpers/raw-http.js';
import { createBin, getJson, serversClosedAfterEach, type TestServer } from './helpers/server.js';
import { startTarget } from './helpers/target-server.js';

const start = serversClosedAfterEach();
const json = { 'content-type': 'application/json' };

const patch = (srv: TestServer, binId: string, body: unknown) =>
  fetch(`${srv.url}/api/bins/${binId}`, { method: 'PATCH', headers: json, body: JSON.stringify(body) }).then(async (r) => {
    expect(r.status, await r.clone().text()).toBe(200);
  });

/** Every Content-Security-Policy header of an answer, as sent (fetch would join them). */
function policies(raw: string[]): string[] {
  return raw.flatMap((value, i) => (i % 2 === 1 && raw[i - 1]!.toLowerCase() === 'content-security-policy' ? [value] : []));
}

/** One request through node:http, keeping the raw header list (repeated headers stay apart). */
function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; raw: string[]; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'POST', headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, raw: res.rawHeaders, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('capture answers are sandboxed', () => {
  it('carries the sandbox policy on every kind of answer', async () => {
    const srv = await start({ maxBodySize: 1000 });
    // One request per 100 s: the second is refused however slowly a loaded machine gets to it.
    const limited = await start({ rateLimit: { perSecond: 0.01, burst: 1 }, rateLimitPerAddress: null });
    const limitedBin = await createBin(limited.url);
    await request(limitedBin.url, { body: '{}' });
    const plain = await createBin(srv.url);
    const scripted = await createBin(srv.url, { token: 'secret', requireToken: true });
    await patch(srv, scripted.id, {
      responses: {
        default: {
          status: 200,
          body: '<script>fetch("/api/bins")</script>',
          contentType: 'text/html',
          headers: { 'content-security-policy': "script-src 'unsafe-inline'" },
        },
        cors: true,
      },
    });
    const answers: Record<string, Awaited<ReturnType<typeof request>>> = {
      'own JSON answer': await request(`${plain.url}/x`, { body: '{}' }),
      'rate limited (429)': await request(`${limitedBin.url}/x`, { body: '{}' }),
      'unknown bin (404)': await request(`${srv.url}/h/00000000-0000-4000-8000-000000000000`),
      'token refused (401)': await request(`${scripted.url}/x`, { body: '{}' }),
      'too large (413)': await request(`${scripted.url}/x?token=secret`, { body: 'x'.repeat(2000) }),
      'scripted HTML': await request(`${scripted.url}/x?token=secret`, { body: '{}' }),
      'scripted HEAD': await request(`${scripted.url}/x?token=secret`, { method: 'HEAD' }),
      'CORS preflight': await request(`${scripted.url}/x?token=secret`, {
        method: 'OPTIONS',
        headers: { origin: 'https://sender.example', 'access-control-request-method': 'POST' },
      }),
    };
    for (const [name, answer] of Object.entries(answers)) expect(policies(answer.raw), name).toContain(CAPTURE_ANSWER_CSP);
    expect(answers['rate limited (429)']!.status).toBe(429);
    expect(answers['too large (413)']!.status).toBe(413);
    // A policy the script sets is sent too, but cannot loosen ours: a browser enforces both.
    expect(policies(answers['scripted HTML']!.raw)).toEqual(["script-src 'unsafe-inline'", CAPTURE_ANSWER_CSP]);
    expect(CAPTURE_ANSWER_CSP).toMatch(/(^|; )sandbox($|;)/);
    expect(CAPTURE_ANSWER_CSP).toMatch(/default-src 'none'/);
    // The smee stream is a capture URL too.
    const stream = await new Promise<http.IncomingMessage>((resolve) => {
      const req = http.get(plain.url, { headers: { accept: 'text/event-stream' } }, (res) => {
        resolve(res);
        req.destroy();
      });
      req.on('error', () => undefined);
    });
    expect(stream.headers['content-security-policy']).toBe(CAPTURE_ANSWER_CSP);
  });

  it('drops a scripted Set-Cookie of the session cookie, keeps others, and records the drop', async () => {
    const srv = await start();
    const bin = await createBin(srv.url);
    await patch(srv, bin.id, {
      responses: {
        default: { status: 200, body: 'ok', headers: { 'set-cookie': 'hookscope_session=junk; Path=/api' } },
        rules: [
          { name: 'their own cookie', match: { path: '/own' }, response: { status: 200, body: 'ok', headers: { 'set-cookie': 'session=theirs; Path=/' } } },
        ],
      },
    });
    const ours = await request(`${bin.url}/x`, { body: '{}' });
    expect(ours.status).toBe(200);
    expect(ours.headers['set-cookie']).toBeUndefined();
    const id = ours.headers['x-hookscope-request-id'] as string;
    const recorded = (await getJson(`${srv.url}/api/bins/${bin.id}/requests/${id}`)).body;
    expect(recorded.response.redacted).toEqual(['set-cookie:hookscope_session']);
    expect(recorded.response.headers['set-cookie']).toBeUndefined();
    const theirs = await request(`${bin.url}/own`, { body: '{}' });
    expect(theirs.headers['set-cookie']).toEqual(['session=theirs; Path=/']);
    const kept = (await getJson(`${srv.url}/api/bins/${bin.id}/requests/${theirs.headers['x-hookscope-request-id']}`)).body;
    expect(kept.response.redacted).toBeUndefined();
  });

  it('relays a pass-through answer sandboxed, without its Set-Cookie of the session cookie, noting the drop', async () => {
    const srv = await start();
    const target = await startTarget(() => ({
      status: 200,
      headers: [
        'Content-Type',
        'text/html',
        'Set-Cookie',
        'hookscope_session=junk; Path=/api',
        'Set-Cookie',
        'theirs=1',
        'Content-Security-Policy',
        'default-src *',
      ],
      body: '<script>fetch("/api/bins")</script>',
    }));
    try {
      const bin = await createBin(srv.url);
      await patch(srv, bin.id, { forward: { target: target.url, respond: 'forward' } });
      const answer = await request(`${bin.url}/x`, { body: '{}' });
      expect(answer.status).toBe(200);
      expect(answer.body).toBe('<script>fetch("/api/bins")</script>');
      expect(answer.headers['set-cookie']).toEqual(['theirs=1']);
      expect(policies(answer.raw)).toEqual(['default-src *', CAPTURE_ANSWER_CSP]);
      const id = answer.headers['x-hookscope-request-id'] as string;
      const replays = await eventually(async () => {
        const recorded: { trigger: string; warning?: string; headers: [string, string][] }[] =
          (await getJson(`${srv.url}/api/bins/${bin.id}/requests/${id}`)).body.replays ?? [];
        return recorded.length > 0 && recorded;
      }, 'the pass-through attempt to be recorded');
      expect(replays[0]).toMatchObject({ trigger: 'pass-through', warning: expect.stringMatching(/session cookie was not passed on/) });
      expect(replays[0]!.headers).toContainEqual(['Set-Cookie', 'hookscope_session=junk; Path=/api']); // what the target said, as it said it
      // A failing target's 502 is hookscope's own JSON: sandboxed too.
      await target.close();
      const failed = await request(`${bin.url}/x`, { body: '{}' });
      expect(failed.status).toBe(502);
      expect(policies(failed.raw)).toEqual([CAPTURE_ANSWER_CSP]);
    } finally {
      await target.close().catch(() => undefined);
    }
  });
});

describe('--capture-origin', () => {
  it('hands out capture URLs on the other host name, serves them there, and keeps the inspector off it', async () => {
    const srv = await start({ captureOrigin: 'http://captures.localhost:8443' });
    const port = new URL(srv.url).port;
    const bin = await createBin(srv.url);
    expect(bin.url).toBe(`http://captures.localhost:8443/h/${bin.id}`);
    const captured = await rawRequest(srv.url, { method: 'POST', path: `/h/${bin.id}`, headers: { host: `captures.localhost:${port}` }, body: 'x' });
    expect(captured.status).toBe(200);
    // *.localhost is a loopback name, allowed otherwise; as the capture host it is refused, any port.
    for (const host of [`captures.localhost:${port}`, 'captures.localhost', 'CAPTURES.localhost:8443']) {
      const refused = await rawRequest(srv.url, { path: '/api/bins', headers: { host } });
      expect(refused.status, host).toBe(403);
      expect(JSON.parse(refused.body.toString()).error).toMatchObject({ code: 'capture_host', message: expect.stringMatching(/--capture-origin/) });
    }
    const page = await rawRequest(srv.url, { path: '/', headers: { host: `captures.localhost:${port}`, accept: 'text/html' } });
    expect(page.status).toBe(403);
    expect((await rawRequest(srv.url, { path: '/api/bins', headers: { host: `other.localhost:${port}` } })).status).toBe(200);
  });
});
