// Whether capture URLs can be reached from elsewhere: GET /api/status `reachability` on real
// servers in each mode, and the judgement itself for listening addresses a test must not open
// (a wildcard or LAN address would listen beyond loopback).
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../server/api/openapi.js';
import { hostKind, judgeReachability } from '../server/reachability.js';
import type { ServerStatus } from '../shared/api-types.js';
import { waysOut } from '../shared/reachability.js';
import { rawRequest } from './helpers/raw-http.js';
import { createBin, getJson, serversClosedAfterEach } from './helpers/server.js';

const start = serversClosedAfterEach();
const ajv = new Ajv2020({ strict: false });
ajv.addSchema(openApiDocument, 'openapi');
const statusSchema = ajv.compile({ $ref: 'openapi#/paths/~1api~1status/get/responses/200/content/application~1json/schema' });

async function status(url: string): Promise<ServerStatus> {
  const { status: code, body } = await getJson<ServerStatus>(`${url}/api/status`);
  expect(code).toBe(200);
  expect(statusSchema(body), ajv.errorsText(statusSchema.errors)).toBe(true);
  return body;
}

const portOf = (url: string) => Number(new URL(url).port);

describe('GET /api/status reachability', () => {
  it('on loopback without --public-url: not reachable, with the exact tunnel commands for this port', async () => {
    const srv = await start();
    const port = portOf(srv.url);
    const { reachability } = await status(srv.url);
    expect(reachability).toMatchObject({ reachable: false, reason: 'loopback-bind', origin: srv.url, localOrigin: `http://localhost:${port}`, port });
    expect(reachability.message).toMatch(/listens on 127\.0\.0\.1 only and has no --public-url/);
    expect(reachability.waysOut.map((way) => way.kind)).toEqual(['public-host', 'tunnel', 'forward']);
    const commands = reachability.waysOut.flatMap((way) => way.commands.map((c) => c.command));
    expect(commands).toEqual([
      `ngrok http ${port}`,
      `cloudflared tunnel --url http://localhost:${port}`,
      `tailscale funnel ${port}`,
      `npx hookscope --port ${port} --public-url https://<the-tunnel-host>`,
      `npx hookscope forward https://hooks.example.com/h/<public-bin-id> --to http://localhost:${port}/h/<bin-id>`,
    ]);
    expect(reachability.waysOut.every((way) => way.readme === 'README.md#capture-urls-that-senders-can-reach')).toBe(true);
  });

  it('with a public --public-url: reachable, no ways out, and bins carry that origin', async () => {
    const srv = await start({ publicUrl: 'https://hooks.example.com' });
    const { reachability } = await status(srv.url);
    expect(reachability).toMatchObject({ reachable: true, reason: 'public-url', origin: 'https://hooks.example.com', waysOut: [] });
    expect((await createBin(srv.url)).url).toMatch(/^https:\/\/hooks\.example\.com\/h\//);
  });

  it('with --capture-origin: judged on the origin capture URLs really use', async () => {
    const srv = await start({ publicUrl: 'http://localhost:9', captureOrigin: 'https://captures.example.net' });
    const { reachability } = await status(srv.url);
    expect(reachability).toMatchObject({ reachable: true, reason: 'public-url', origin: 'https://captures.example.net' });
    expect(reachability.message).toContain('--capture-origin');
  });

  it('with a --public-url on loopback or a private address: not reachable, and says which', async () => {
    const local = await start({ publicUrl: 'http://localhost:8080' });
    expect((await status(local.url)).reachability).toMatchObject({ reachable: false, reason: 'loopback-url' });
    const lan = await start({ publicUrl: 'http://192.168.1.20:8080' });
    const { reachability } = await status(lan.url);
    expect(reachability).toMatchObject({ reachable: false, reason: 'private-address', origin: 'http://192.168.1.20:8080' });
    expect(reachability.message).toMatch(/192\.168\.1\.20, a private or LAN-only host/);
    expect(reachability.waysOut).toHaveLength(3);
    const mdns = await start({ publicUrl: 'http://laptop.local:8080' });
    expect((await status(mdns.url)).reachability.reason).toBe('private-address');
  });

  it('judges the origin each caller used when there is no --public-url (a tunnel in front of loopback)', async () => {
    const srv = await start({ allowedHosts: ['abc.tunnel.example', 'box.lan'] });
    const port = portOf(srv.url);
    const viaTunnel = await rawRequest(srv.url, { path: '/api/status', headers: { host: 'abc.tunnel.example' } });
    expect(viaTunnel.status).toBe(200);
    const tunnelled = (JSON.parse(viaTunnel.body.toString()) as ServerStatus).reachability;
    expect(tunnelled).toMatchObject({ reachable: true, reason: 'request-host', origin: 'http://abc.tunnel.example', port, waysOut: [] });
    const viaLan = JSON.parse((await rawRequest(srv.url, { path: '/api/status', headers: { host: `box.lan:${port}` } })).body.toString()) as ServerStatus;
    expect(viaLan.reachability).toMatchObject({ reachable: false, reason: 'loopback-bind' });
  });
});

describe('judgeReachability (listening addresses a test does not open)', () => {
  const arrival = (origin: string) => ({ origin, localPort: 8080 });
  const none = { publicUrl: null, captureOrigin: null };

  it('on a wildcard address, capture URLs are as reachable as the host the caller used', () => {
    expect(judgeReachability({ host: '0.0.0.0', ...none }, arrival('http://127.0.0.1:8080'))).toMatchObject({
      reachable: false,
      reason: 'loopback-url',
      localOrigin: 'http://localhost:8080',
    });
    expect(judgeReachability({ host: '::', ...none }, arrival('http://192.168.1.5:8080'))).toMatchObject({ reachable: false, reason: 'private-address' });
    expect(judgeReachability({ host: '0.0.0.0', ...none }, arrival('http://[fd00::5]:8080'))).toMatchObject({ reachable: false, reason: 'private-address' });
    expect(judgeReachability({ host: '0.0.0.0', ...none }, arrival('https://hooks.example.com'))).toMatchObject({
      reachable: true,
      reason: 'request-host',
      waysOut: [],
    });
    expect(judgeReachability({ host: '0.0.0.0', ...none }, arrival('http://203.0.113.9:8080'))).toMatchObject({ reachable: true, reason: 'request-host' });
  });

  it('on a specific address, the tunnel commands point at that address', () => {
    const judged = judgeReachability({ host: '10.1.2.3', ...none }, arrival('http://10.1.2.3:8080'));
    expect(judged).toMatchObject({ reachable: false, reason: 'private-address', localOrigin: 'http://10.1.2.3:8080' });
    expect(judged.waysOut[1]!.commands.map((c) => c.command)).toContain('ngrok http http://10.1.2.3:8080');
    expect(judgeReachability({ host: '::1', ...none }, arrival('http://[::1]:8080')).localOrigin).toBe('http://[::1]:8080');
  });

  it('classifies hosts by range and by name shape, without DNS', () => {
    const kinds = Object.fromEntries(
      [
        'localhost',
        'app.localhost',
        '127.0.0.2',
        '[::1]',
        '10.0.0.1',
        '100.64.1.1',
        'box',
        'nas.home.arpa',
        'x.internal',
        'example.com',
        '8.8.8.8',
        '2001:4860::8888',
      ].map((h) => [h, hostKind(h)]),
    );
    expect(kinds).toEqual({
      localhost: 'loopback',
      'app.localhost': 'loopback',
      '127.0.0.2': 'loopback',
      '[::1]': 'loopback',
      '10.0.0.1': 'private',
      '100.64.1.1': 'private',
      box: 'private',
      'nas.home.arpa': 'private',
      'x.internal': 'private',
      'example.com': 'public',
      '8.8.8.8': 'public',
      '2001:4860::8888': 'public',
    });
  });

  it('names a bin in the forward command when given one', () => {
    const forward = waysOut('http://localhost:4000', 4000, 'abc').find((way) => way.kind === 'forward')!;
    expect(forward.commands[0]!.command).toBe('npx hookscope forward https://hooks.example.com/h/<public-bin-id> --to http://localhost:4000/h/abc');
  });
});
