import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { redisServerArgs } from './redis-server-args.mjs';

/**
 * A private redis-server for a test file: a free loopback port, its own temp dir, AOF with
 * fsync on every write (the setting under which hookscope promises no acknowledged loss), no
 * RDB snapshots. Nothing is shared with other tests or with a system Redis.
 */
export interface TestRedis {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** Stops the server: SIGKILL simulates a crash (what the AOF must survive), SIGTERM a clean stop. */
  stop(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Starts it again on the same port and dir (after stop). */
  restart(): Promise<void>;
  /** Runs one command on a fresh connection, e.g. ['FLUSHALL']; resolves with the raw reply text. */
  command(args: string[]): Promise<string>;
  /** Stops the server and deletes its dir. */
  close(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hookscope-redis-'));
  const port = await freePort();
  let child: ChildProcess | null = null;
  const launch = async () => {
    child = await spawnRedis(port, dir);
  };
  const stop = async (signal: 'SIGKILL' | 'SIGTERM' = 'SIGTERM') => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    dir,
    stop,
    restart: launch,
    command: (args) => rawCommand(port, args),
    close: async () => {
      await stop('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function spawnRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn('redis-server', redisServerArgs(port, dir), { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => fail(new Error(`redis-server did not start within 10 s:\n${log}`)), 10_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.once('error', (error) => fail(new Error(`cannot run redis-server (install Debian's redis-server): ${error.message}`)));
    child.once('exit', (code) => fail(new Error(`redis-server exited with ${code}:\n${log}`)));
    child.stderr!.on('data', (chunk) => (log += chunk));
    child.stdout!.on('data', (chunk) => {
      log += chunk;
      if (/Ready to accept connections/.test(log)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.stdout!.resume();
        child.stdout!.removeAllListeners('data');
        resolve(child);
      }
    });
  });
}

/** A port the kernel just gave out on 127.0.0.1 (closed again before redis-server binds it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** One RESP command over a plain socket: enough for test set-up without a client library. */
function rawCommand(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('redis command timed out')));
    socket.once('error', reject);
    socket.on('data', (chunk) => {
      reply += chunk;
      if (reply.endsWith('\r\n')) {
        socket.end();
        resolve(reply.trimEnd());
      }
    });
    socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });
}
