// Instructions a request costs, counted by valgrind's callgrind: `node bench/instructions.mjs
// <built checkout | bare | lean> …`. On a shared machine, time is too noisy to judge a change of a few
// percent (two identical builds differed by up to 30% in main-thread CPU per request in one A/B run
// at stop 22); the number of instructions executed much less so: at stop 22, five runs of one build
// agreed within ±1.3% for 1 KB JSON (the batching, the JIT and the collector still move it; Krea
// jobs varied more, 360k–444k). Each target runs under callgrind with counting off, takes IC_WARM
// requests (default 2,000) so the JIT settles, then counts IC_MEASURED (1,000) at 50 connections
// (IC_CONNECTIONS) and prints the instructions per request of its main thread (the event loop, what
// limits a capture server) and of all its threads. `bare` is the bare node:http server
// (bench/bare-server.mjs): its main thread's count over hookscope's is the ratio the throughput
// goal asks for, without the kernel's share (callgrind counts user space only). `lean` is the least
// durable capture (bench/lean-capture-server.mjs): what no change to hookscope can go below. Bodies: IC_KINDS
// (generic,krea). Needs valgrind (Debian's package); a run takes ~30 s per target and body.
// Loopback only.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureBodiesInTempDir } from './bodies.mjs';
import { killAll, runLoad, startCaptureServer, startProcess, stop } from './processes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const targets = process.argv.slice(2);
if (targets.length === 0) {
  console.error('usage: node bench/instructions.mjs <built checkout | bare | lean> [… more]');
  process.exit(2);
}
if (spawnSync('valgrind', ['--version']).error) {
  console.error('valgrind is not installed (Debian: apt-get install valgrind): nothing counted.');
  process.exit(1);
}
const WARM = Number(process.env.IC_WARM ?? 2000);
const MEASURED = Number(process.env.IC_MEASURED ?? 1000);
const CONNECTIONS = Number(process.env.IC_CONNECTIONS ?? 50);
const KINDS = (process.env.IC_KINDS ?? 'generic,krea').split(',');

const { dir: tmp, bodies } = captureBodiesInTempDir('hookscope-instructions-');
process.on('exit', killAll);

/** The servers of bench/ to count by name, next to hookscope's builds. */
const REFERENCE_SERVERS = new Map([
  ['bare', 'bench/bare-server.mjs'],
  ['lean', 'bench/lean-capture-server.mjs'],
]);

/** Counts one target with one body: { main, all } instructions per request. */
async function count(target, kind) {
  const dir = mkdtempSync(path.join(tmp, 'run-'));
  const reference = REFERENCE_SERVERS.get(target); // else a built checkout's hookscope
  // valgrind's own messages go to a file: startProcess passes stderr through.
  const callgrind = [
    '--tool=callgrind',
    '--instr-atstart=no',
    '--separate-threads=yes',
    `--callgrind-out-file=${path.join(dir, 'counts')}`,
    `--log-file=${path.join(dir, 'valgrind.log')}`,
  ];
  const runner = ['valgrind', ...callgrind, process.execPath];
  const server = reference
    ? await startProcess(runner[0], [...runner.slice(1), reference], /listening on (http:\/\/\S+)/, root)
    : await startCaptureServer(path.resolve(target), path.join(dir, 'data'), 1000, runner);
  const { child } = server;
  try {
    const captureUrl = reference ? `${server.url}/capture` : server.captureUrl;
    const load = (amount) => runLoad(captureUrl, { connections: CONNECTIONS, duration: 0, amount, bodyFile: bodies[kind] });
    await load(WARM);
    execFileSync('callgrind_control', ['--instr=on', String(child.pid)], { stdio: 'ignore' });
    const measured = await load(MEASURED);
    execFileSync('callgrind_control', ['--instr=off', String(child.pid)], { stdio: 'ignore' });
    execFileSync('callgrind_control', ['--dump', String(child.pid)], { stdio: 'ignore' });
    if (measured.non2xx + measured.errors > 0) throw new Error(`${target}: ${measured.non2xx + measured.errors} requests failed`);
    // One file per thread and dump; thread 1 is the main thread.
    let main = 0;
    let all = 0;
    for (const file of readdirSync(dir).filter((name) => name.startsWith('counts'))) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      const total = Number(/^totals: (\d+)/m.exec(text)?.[1] ?? 0);
      all += total;
      if (/^thread: 1$/m.test(text)) main += total;
    }
    return { main: main / measured.total, all: all / measured.total };
  } finally {
    await stop(child);
  }
}

console.log(`Instructions per request (callgrind, user space), ${MEASURED} requests at ${CONNECTIONS} connections after ${WARM}:`);
console.log('| target | body | main thread | all threads |');
console.log('|---|---|---|---|');
try {
  for (const kind of KINDS)
    for (const target of targets) {
      if (target === 'bare' && kind !== KINDS[0]) continue; // bare reads any body alike
      const { main, all } = await count(target, kind);
      const name = REFERENCE_SERVERS.has(target) ? target : path.basename(path.resolve(target));
      console.log(`| ${name} | ${target === 'bare' ? 'any' : kind} | ${Math.round(main).toLocaleString('en')} | ${Math.round(all).toLocaleString('en')} |`);
    }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
