// The benchmarks' child processes: start one and wait for the line that says it is ready, stop
// it, kill what is left when a run fails, and read a process's CPU time and memory from /proc.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { redisServerArgs } from '../test/helpers/redis-server-args.mjs';

const running = new Set();

/**
 * Starts `command args` (stdout piped, stderr inherited) and resolves once stdout matches
 * `pattern`: { child, url: the pattern's first group, startMs: ms from spawn to that line }.
 * Rejects if the process exits first. Its stdout keeps flowing (and is dropped) afterwards.
 */
export function startProcess(command, args, pattern, cwd) {
  const started = performance.now();
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (c) => {
      out += c;
      const m = pattern.exec(out);
      if (!m) return;
      child.stdout.off('data', onData);
      child.stdout.resume();
      resolve({ child, url: m[1], startMs: performance.now() - started });
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited ${code}`)));
  });
}

/**
 * Starts `checkout`'s hookscope (a built checkout) on a free port with its data in `dataDir`,
 * keeping `maxKept` requests a bin, and creates one bin: { child, url, startMs, captureUrl }.
 * `runner` is the command that runs Node with the script after it (a tool in front of Node, such
 * as valgrind in bench/instructions.mjs, goes first).
 */
export async function startCaptureServer(checkout, dataDir, maxKept, runner = [process.execPath]) {
  const server = await startProcess(
    runner[0],
    [...runner.slice(1), 'bin/hookscope.mjs', '--port', '0', '--data-dir', dataDir, '--max-requests-per-bin', String(maxKept)],
    /listening on (http:\/\/\S+)/,
    checkout,
  );
  const res = await fetch(`${server.url}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"bench"}' });
  return { ...server, captureUrl: `${server.url}/h/${(await res.json()).id}/webhooks/krea` };
}

/**
 * Runs the load generator (bench/load.mjs) against `url` with `connections` for `duration`
 * seconds (or until `amount` requests, when not 0), each sending the file `bodyFile`; resolves
 * with the summary it prints last ({ rps, latency, … }, see load.mjs).
 */
export async function runLoad(url, { connections, duration, amount = 0, bodyFile }) {
  const script = fileURLToPath(new URL('load.mjs', import.meta.url));
  const child = spawn(process.execPath, [script, url, String(connections), String(duration), String(amount), bodyFile], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  await new Promise((r) => child.once('exit', r));
  return JSON.parse(out.trim().split('\n').pop());
}

/** SIGTERM, then waits for the exit (at once if it has exited already). */
export async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** SIGKILL to every process startProcess started that is still running (a run that failed). */
export function killAll() {
  for (const child of running) child.kill('SIGKILL');
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** CPU seconds used so far by a process (user + system), from /proc. */
export function cpuSeconds(pid) {
  return ticksOf(`/proc/${pid}/stat`);
}

/** CPU seconds used so far by a process's main thread (its event loop in Node), from /proc. */
export function mainThreadCpuSeconds(pid) {
  return ticksOf(`/proc/${pid}/task/${pid}/stat`);
}

function ticksOf(statFile) {
  const fields = readFileSync(statFile, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks
}

/** A process's resident memory now and at its peak, in MB (VmRSS, VmHWM). */
export function memoryMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)[1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/**
 * A redis-server on a free loopback port with its data in `dir`, append-only with `fsync`
 * (`always`: a reply means on disk; `everysec`), no snapshots: { child, url }.
 */
export async function startRedisServer(dir, fsync = 'always') {
  const port = await freePort();
  const { child } = await startProcess('redis-server', redisServerArgs(port, dir, fsync), /(Ready to accept connections)/);
  return { child, url: `redis://127.0.0.1:${port}/0` };
}
