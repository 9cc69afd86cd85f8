// A/B of built checkouts under the same machine load: `node bench/ab.mjs <checkout> <checkout> …`
// starts a bare node:http server and each checkout's hookscope (one per body kind), then runs
// the load (bench/load.mjs, 50 connections) on each in turn, round after round, so drift in a
// shared machine's load hits them alike. Prints, per server and body, the median req/s, its ratio
// to bare, and the server's CPU and its main thread's CPU per request (µs, from /proc): the main
// thread is what limits a capture server, and its CPU is steadier than req/s here. Two identical
// builds differed by up to ±8% req/s and ±12% main-thread µs in one run on 2 shared cores.
// AB_ROUNDS (default 3), AB_SECONDS (5), AB_KINDS (generic,krea). Loopback only.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCaptureBodies } from './bodies.mjs';
import { cpuSeconds, killAll, mainThreadCpuSeconds, runLoad, startCaptureServer, startProcess, stop } from './processes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const checkouts = process.argv.slice(2).map((dir) => path.resolve(dir));
if (checkouts.length === 0) {
  console.error('usage: node bench/ab.mjs <built checkout> [<built checkout> …]');
  process.exit(2);
}
const ROUNDS = Number(process.env.AB_ROUNDS ?? 3);
const SECONDS = Number(process.env.AB_SECONDS ?? 5);
const KINDS = (process.env.AB_KINDS ?? 'generic,krea').split(',');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hookscope-ab-'));
const bodies = writeCaptureBodies(tmp);

process.on('exit', killAll);
// Like bench/run.mjs: one server per checkout and body, each with a fresh bin; bare reads any body alike.
const bare = await startProcess(process.execPath, ['bench/bare-server.mjs'], /listening on (http:\/\/\S+)/, root);
const targets = [{ key: 'bare', child: bare.child, url: bare.url, kind: KINDS[0] }];
for (const kind of KINDS)
  for (const [i, checkout] of checkouts.entries()) {
    const server = await startCaptureServer(checkout, mkdtempSync(path.join(tmp, 'data-')), 1000);
    targets.push({ key: `${i + 1}:${path.basename(checkout)} ${kind}`, child: server.child, url: server.captureUrl, kind });
  }

const results = new Map();
for (let round = 0; round < ROUNDS; round++) {
  console.error(`round ${round + 1}/${ROUNDS}…`);
  for (const target of targets) {
    const pid = target.child.pid;
    const [cpuBefore, mainBefore] = [cpuSeconds(pid), mainThreadCpuSeconds(pid)];
    const out = await runLoad(target.url, { connections: 50, duration: SECONDS, bodyFile: bodies[target.kind] });
    if (!results.has(target.key)) results.set(target.key, []);
    results.get(target.key).push({
      rps: out.requestsPerSec,
      cpuUs: ((cpuSeconds(pid) - cpuBefore) / out.total) * 1e6,
      mainUs: ((mainThreadCpuSeconds(pid) - mainBefore) / out.total) * 1e6,
      failed: out.non2xx + out.errors + out.timeouts,
    });
  }
}
for (const target of targets) await stop(target.child);
rmSync(tmp, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bareRps = median(results.get('bare').map((r) => r.rps));
console.log(`| server, body | req/s | of bare | server CPU µs / req | main thread µs / req | req/s each round | failed |`);
console.log('|---|---|---|---|---|---|---|');
for (const [key, runs] of results) {
  const rps = median(runs.map((r) => r.rps));
  const cells = [
    key,
    Math.round(rps),
    (rps / bareRps).toFixed(3),
    Math.round(median(runs.map((r) => r.cpuUs))),
    Math.round(median(runs.map((r) => r.mainUs))),
    runs.map((r) => Math.round(r.rps)).join(' '),
    runs.reduce((n, r) => n + r.failed, 0),
  ];
  console.log(`| ${cells.join(' | ')} |`);
}
