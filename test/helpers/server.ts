import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createServer, type HookscopeServer, type ServerOptions } from '../../server/app.js';
import { DEFAULTS, type Config } from '../../server/config.js';
import type { Bin, CreateBinInput } from '../../shared/api-types.js';

export interface TestServer {
  url: string;
  dataDir: string;
  server: HookscopeServer;
  config: Config;
  /** Stops the server, keeping the data dir (for restart tests). */
  stop(): Promise<void>;
  /** Stops the server and deletes its data dir. */
  close(): Promise<void>;
}

/** A new empty directory under the OS temp dir; the caller deletes it. */
export async function makeTempDir(prefix = 'hookscope-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/**
 * A real server (`createServer`, the one the CLI runs) on 127.0.0.1 and a free port, with the
 * defaults overridden by `overrides` and a temp data dir unless one is given. The caller stops or
 * closes it (or uses `serversClosedAfterEach`).
 */
export async function startServer(overrides: Partial<Config> = {}, options: ServerOptions = {}): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? (await makeTempDir());
  const config: Config = Object.freeze({ ...DEFAULTS, port: 0, host: '127.0.0.1', ...overrides, dataDir });
  const server = await createServer(config, options);
  const url = await server.listen();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.close();
  };
  return {
    url,
    dataDir,
    server,
    config,
    stop,
    close: async () => {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates a bin through the API (what the inspector does); rejects, naming the status, unless 201. */
export async function createBin(baseUrl: string, input: CreateBinInput = {}): Promise<Bin> {
  const res = await fetch(`${baseUrl}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
  if (res.status !== 201) throw new Error(`createBin: ${res.status} ${await res.text()}`);
  return (await res.json()) as Bin;
}

/** GETs `url` and parses the body as JSON (undefined when empty), whatever the status. */
export async function getJson<T = any>(url: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** A startServer whose servers are closed (and their data dirs deleted) after each test. */
export function serversClosedAfterEach(): typeof startServer {
  const servers: TestServer[] = [];
  afterEach(async () => {
    // Stop them all before deleting any data dir: a restarted server shares its predecessor's.
    const closing = servers.splice(0);
    await Promise.all(closing.map((s) => s.stop()));
    await Promise.all(closing.map((s) => s.close()));
  });
  return async (...args) => {
    const srv = await startServer(...args);
    servers.push(srv);
    return srv;
  };
}

/**
 * A file's shared setup: a real server (`startServer(overrides)`) and one more thing it needs (a browser,
 * a target), started before the file's tests, handed to `ready`, and closed after them (the
 * other thing first). What did start is closed even when the rest failed to.
 */
export function useServerWith<T extends { close(): Promise<void> }>(
  startOther: () => Promise<T>,
  ready: (srv: TestServer, other: T) => void,
  overrides: Partial<Config> = {},
): void {
  let srv: TestServer | undefined;
  let other: T | undefined;
  beforeAll(async () => {
    srv = await startServer(overrides);
    other = await startOther();
    ready(srv, other);
  });
  afterAll(async () => {
    await other?.close();
    await srv?.close();
  });
}

/**
 * Closes each of `resources` in the order given (a browser or client before the server it talks
 * to), waiting for each; one that never started (undefined: its beforeAll failed) is skipped.
 */
export async function closeInOrder(...resources: ({ close(): Promise<unknown> } | undefined)[]): Promise<void> {
  for (const resource of resources) await resource?.close();
}
