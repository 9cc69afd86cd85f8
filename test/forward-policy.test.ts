// The target policy end to end: a server started with --forward-policy strict refuses loopback
// targets before connecting, and --allow-forward-to lets them through. Only loopback is used.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../server/config.js';
import type { Bin } from '../shared/api-types.js';
import { capture } from './helpers/capture.js';
import { createBin, getJson, makeTempDir, startServer, type TestServer } from './helpers/server.js';
import { startTarget, type TargetServer } from './helpers/target-server.js';

let target: TargetServer;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(() => target.close());

/** A server configured from these command-line flags (on 127.0.0.1, a free port, a temp dir). */
async function serverWith(flags: string[]): Promise<TestServer> {
  const config = readConfig([...flags, '--port', '0', '--data-dir', await makeTempDir()], {});
  return startServer(config);
}

async function capturedRequest(srv: TestServer): Promise<{ bin: Bin; id: string }> {
  const bin = await createBin(srv.url);
  return { bin, id: await capture(bin.url, '{"a":1}') };
}

const post = (url: string, body: unknown) =>
  fetch(url, { headers: { 'content-type': 'application/json' }, method: 'POST', body: JSON.stringify(body) }).then(async (r) => ({
    status: r.status,
    body: await r.json(),
  }));

describe('--forward-policy strict', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await serverWith(['--forward-policy', 'strict']);
  });
  afterAll(() => srv.close());

  it('refuses a replay to localhost with 403 before any connection is made', async () => {
    const { bin, id } = await capturedRequest(srv);
    const connections = target.connections;
    const res = await post(`${srv.url}/api/bins/${bin.id}/requests/${id}/replay`, { target: `http://localhost:${target.port}/hook` });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('target_refused');
    expect(res.body.error.message).toContain('127.0.0.1 is a loopback address');
    expect(res.body.error.message).toContain('--allow-forward-to');
    expect(target.connections).toBe(connections);
    const many = await post(`${srv.url}/api/bins/${bin.id}/replay`, { target: `http://127.0.0.1:${target.port}/` });
    expect(many.status).toBe(403);
    expect(target.connections).toBe(connections);
    expect((await getJson(`${srv.url}/api/bins/${bin.id}/requests/${id}/replays`)).body.replays).toEqual([]);
  });

  it('refuses IPv4-mapped and private targets too, and a forward setting to them', async () => {
    const { bin, id } = await capturedRequest(srv);
    for (const host of ['[::ffff:127.0.0.1]', '[::1]', '10.0.0.1', '169.254.169.254']) {
      expect((await post(`${srv.url}/api/bins/${bin.id}/requests/${id}/replay`, { target: `http://${host}:${target.port}/` })).status, host).toBe(403);
    }
    const patch = await fetch(`${srv.url}/api/bins/${bin.id}`, {
      headers: { 'content-type': 'application/json' },
      method: 'PATCH',
      body: JSON.stringify({ forward: { target: `http://localhost:${target.port}/` } }),
    });
    expect(patch.status).toBe(403);
  });
});

describe('--forward-policy strict --allow-forward-to 127.0.0.1', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await serverWith(['--forward-policy', 'strict', '--allow-forward-to', '127.0.0.1']);
  });
  afterAll(() => srv.close());

  it('allows the replay to localhost, connecting to the allowed address', async () => {
    const { bin, id } = await capturedRequest(srv);
    const before = target.received.length;
    const res = await post(`${srv.url}/api/bins/${bin.id}/requests/${id}/replay`, { target: `http://localhost:${target.port}/hook` });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe(200);
    expect(target.received[before]!.body.toString()).toBe('{"a":1}');
    expect(target.received[before]!.headers.host).toBe(`localhost:${target.port}`);
  });

  it('still refuses what is not listed', async () => {
    const { bin, id } = await capturedRequest(srv);
    expect((await post(`${srv.url}/api/bins/${bin.id}/requests/${id}/replay`, { target: `http://[::1]:${target.port}/` })).status).toBe(403);
  });
});
