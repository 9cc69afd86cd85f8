// `hookscope forward` as a real child process (the built CLI) against a real server and a real
// target on 127.0.0.1: byte-for-byte delivery, one line per delivery, reconnection and catch-up
// across a server restart with nothing lost and nothing twice, and a clean exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { verifyStandardWebhook } from '../server/checks/signature.js';
import { capture } from './helpers/capture.js';
import { CLI, ROOT, runCli } from './helpers/child-server.js';
import { eventually } from './helpers/eventually.js';
import { createBin, startServer } from './helpers/server.js';
import { freePort, startTarget } from './helpers/target-server.js';
import { signedHeaders, SIGNING_SECRET } from './helpers/webhook-bodies.js';
import { openForFile } from './helpers/for-file.js';

interface RelayProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startRelay(args: string[]): RelayProcess {
  const child = spawn(process.execPath, [CLI, 'forward', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

const deliveryLines = (relay: RelayProcess) =>
  relay
    .stdout()
    .split('\n')
    .filter((line) => line.includes(' → '));

const target = await openForFile(() => startTarget());

describe('hookscope forward', () => {
  it('relays live traffic byte for byte from "now", with one line per delivery, and exits 0 on SIGINT', async () => {
    const srv = await startServer();
    const bin = await createBin(srv.url);
    await capture(`${bin.url}/before`, Buffer.from('old'), { rawHeaders: [] }); // before the relay: not delivered
    const relay = startRelay([bin.url, '--to', `${target.url}/local`, '--path-forwarding']);
    await eventually(() => relay.stderr().includes('connected'), 'the relay to connect', 15_000);
    const before = target.received.length;
    const body = Buffer.from('{"escaped":"caf\\u00e9 \\/ ok","bytes":"\\ud83d\\ude00"}');
    await capture(`${bin.url}/webhooks/krea?x=1`, body, { rawHeaders: ['Content-Type', 'application/json', 'X-Case', 'Kept', ...signedHeaders(body)] });
    await target.waitFor(before + 1);
    const got = target.received[before]!;
    expect(got.url).toBe('/local/webhooks/krea?x=1');
    expect(got.body.equals(body)).toBe(true);
    expect(got.rawHeaders).toContain('X-Case');
    expect(verifyStandardWebhook({ secret: SIGNING_SECRET, headers: got.headers, body: got.body, now: Date.now() }).status).toBe('valid');
    await eventually(() => deliveryLines(relay).length === 1, 'the delivery line');
    expect(deliveryLines(relay)[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z POST \/webhooks\/krea\?x=1 → 200 \d+ ms$/);
    relay.child.kill('SIGINT');
    expect(await relay.exited).toBe(0);
    expect(target.received.slice(before).map((r) => r.url)).toEqual(['/local/webhooks/krea?x=1']);
    await srv.close();
  });

  it('survives a server restart and delivers what arrived meanwhile exactly once, large bodies included', async () => {
    const first = await startServer();
    const { port } = new URL(first.url);
    const bin = await createBin(first.url);
    const relay = startRelay([bin.url, '--to', target.url]);
    await eventually(() => relay.stderr().includes('connected'), 'the relay to connect', 15_000);
    const before = target.received.length;
    const large = Buffer.alloc(300 * 1024, 0xab); // too large for the live push: read over the API
    await capture(`${bin.url}?n=1`, Buffer.from('one'), { rawHeaders: [] });
    await target.waitFor(before + 1);

    await first.stop();
    await eventually(() => relay.stderr().includes('disconnected'), 'the relay to notice');
    const second = await startServer({ port: Number(port), dataDir: first.dataDir });
    // Keep the relay out while requests arrive (its reconnects fail as during a slow restart),
    // so these two can only reach the target through the catch-up.
    const upgrade = second.server.http.listeners('upgrade');
    second.server.http.removeAllListeners('upgrade').on('upgrade', (_req, socket) => socket.destroy());
    await capture(`${bin.url}?n=2`, Buffer.from('two'), { rawHeaders: [] });
    await capture(`${bin.url}?n=3`, large, { rawHeaders: [] });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(target.received.length).toBe(before + 1);
    second.server.http.removeAllListeners('upgrade');
    for (const listener of upgrade) second.server.http.on('upgrade', listener as (...args: unknown[]) => void);
    await target.waitFor(before + 3, 15_000);
    await capture(`${bin.url}?n=4`, Buffer.from('four'), { rawHeaders: [] }); // live again
    await target.waitFor(before + 4);
    await new Promise((resolve) => setTimeout(resolve, 500)); // time for any duplicate to show up

    const got = target.received.slice(before);
    expect(got.map((r) => r.url)).toEqual(['/?n=1', '/?n=2', '/?n=3', '/?n=4']);
    expect(got[2]!.body.equals(large)).toBe(true);
    expect(deliveryLines(relay)).toHaveLength(4);
    relay.child.kill('SIGTERM');
    expect(await relay.exited).toBe(0);
    await second.close();
  });

  it('with --replay-missed, first delivers what the bin already holds, in order', async () => {
    const srv = await startServer();
    const bin = await createBin(srv.url);
    for (const n of [1, 2]) await capture(`${bin.url}?old=${n}`, Buffer.from(String(n)), { rawHeaders: [] });
    const before = target.received.length;
    const relay = startRelay([bin.url, '--to', target.url, '--replay-missed']);
    await target.waitFor(before + 2, 15_000);
    expect(target.received.slice(before).map((r) => r.url)).toEqual(['/?old=1', '/?old=2']);
    relay.child.kill('SIGTERM');
    expect(await relay.exited).toBe(0);
    await srv.close();
  });

  it('exits 2 with a one-line error on bad arguments, and 1 for an unknown bin', async () => {
    const missing = await runCli(['forward', 'http://127.0.0.1:1/h/not-a-bin', '--to', 'http://localhost:3000']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/not a capture URL/);
    expect((await runCli(['forward', 'http://127.0.0.1:1/h/00000000-0000-4000-8000-000000000000'])).stderr).toMatch(/--to <url> is required/);
    const srv = await startServer();
    const unknown = await runCli(['forward', `${srv.url}/h/00000000-0000-4000-8000-000000000000`, '--to', target.url]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no bin/);
    await srv.close();
  });

  it('exits 1 naming the problem when the server refuses its live stream (a host name the inspector does not answer)', async () => {
    const port = await freePort();
    // The capture URLs' own host name (--capture-origin) serves captures only, not /ws.
    const srv = await startServer({ port, captureOrigin: `http://localhost:${port}` });
    try {
      const bin = await createBin(srv.url);
      expect(bin.url).toBe(`http://localhost:${port}/h/${bin.id}`);
      const refused = startRelay([bin.url, '--to', target.url]);
      expect(await refused.exited).toBe(1);
      expect(refused.stderr()).toMatch(/refused the live stream: localhost serves capture URLs only \(--capture-origin\)/);
      const relay = startRelay([`${srv.url}/h/${bin.id}`, '--to', `${target.url}/inspector-host`]);
      await eventually(() => relay.stderr().includes('connected'), 'the relay to connect', 15_000);
      relay.child.kill('SIGTERM');
      expect(await relay.exited).toBe(0);
    } finally {
      await srv.close();
    }
  });

  it('authenticates to a server that has an access token', async () => {
    const token = 'relay-access-token-0123456789';
    const srv = await startServer({ accessToken: token });
    try {
      const bin = (await (await fetch(`${srv.url}/api/bins`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).json()) as { url: string };
      const refused = startRelay([bin.url, '--to', target.url]);
      expect(await refused.exited).toBe(1);
      expect(refused.stderr()).toMatch(/needs an access token: pass --access-token/);
      const relay = startRelay([bin.url, '--to', `${target.url}/auth`, '--access-token', token]);
      await eventually(() => relay.stderr().includes('connected'), 'the relay to connect', 15_000);
      const before = target.received.length;
      await capture(bin.url, Buffer.from('{"authed":true}'), { rawHeaders: [] });
      await target.waitFor(before + 1);
      expect(target.received[before]!.body.toString()).toBe('{"authed":true}');
      relay.child.kill('SIGTERM');
      expect(await relay.exited).toBe(0);
    } finally {
      await srv.close();
    }
  });
});
