// `npm run bench`: capture throughput and latency of hookscope next to a bare node:http server,
// measured in the same run on the same machine (compare ratios, not absolute numbers: machines
// here have 2 shared cores). Every server and the load generator run in their own processes;
// all traffic goes to 127.0.0.1. Bounded: a fixed number of short runs.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCaptureBodies } from './bodies.mjs';
import { cpuSeconds, mainThreadCpuSeconds, memoryMb, runLoad, startCaptureServer, startProcess, stop } from './processes.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
// BENCH_BASELINE=<another checkout, built>: its hookscope is loaded in the same rounds (1 KB JSON
// and Krea jobs), for an A/B of what a change costs under the same machine load.
const BASELINE = process.env.BENCH_BASELINE ? path.resolve(process.env.BENCH_BASELINE) : null;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hookscope-bench-'));
const bodies = writeCaptureBodies(tmp);

function load(url, { amount = 0, duration = DURATION, body = bodies.generic } = {}) {
  return runLoad(url, { connections: CONNECTIONS, duration, amount, bodyFile: body });
}

async function measure(target, url, body) {
  const cpuBefore = cpuSeconds(target.pid);
  const mainBefore = mainThreadCpuSeconds(target.pid);
  const result = await load(url, { body });
  result.serverCpuSec = cpuSeconds(target.pid) - cpuBefore;
  result.mainCpuSec = mainThreadCpuSeconds(target.pid) - mainBefore;
  result.memory = memoryMb(target.pid);
  return result;
}

function startHookscope(maxKept, checkout = root) {
  return startCaptureServer(checkout, mkdtempSync(path.join(tmp, 'data-')), maxKept);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summarize = (runs) => ({
  rps: median(runs.map((r) => r.requestsPerSec)),
  p50: median(runs.map((r) => r.p50)),
  p99: median(runs.map((r) => r.p99)),
  non2xx: runs.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0),
  serverCpuPerKReq: median(runs.map((r) => (r.serverCpuSec / r.total) * 1000)),
  mainCpuPerKReq: median(runs.map((r) => (r.mainCpuSec / r.total) * 1000)),
  loadCpuPerKReq: median(runs.map((r) => (r.loadCpuSec / r.total) * 1000)),
  peakRssMb: Math.max(...runs.map((r) => r.memory.peak)),
});

const bare = await startProcess(process.execPath, ['bench/bare-server.mjs'], /listening on (http:\/\/\S+)/, root);
// The least a durable capture does (bench/lean-capture-server.mjs): what such a server reaches here.
const lean = await startProcess(process.execPath, ['bench/lean-capture-server.mjs'], /listening on (http:\/\/\S+)/, root);
const fresh = await startHookscope(1000);
const freshKrea = await startHookscope(1000);
const kept1k = await startHookscope(1000);
const kept10k = await startHookscope(10_000);
const baseline = BASELINE && { fresh: await startHookscope(1000, BASELINE), freshKrea: await startHookscope(1000, BASELINE) };
console.log('prefilling bins to their caps (1,000 and 10,000 requests)…');
await load(kept1k.captureUrl, { amount: 1000 });
await load(kept10k.captureUrl, { amount: 10_000 });

const runs = { bare: [], lean: [], leanKrea: [], capture: [], captureKrea: [], steady1k: [], steady10k: [], baseCapture: [], baseKrea: [] };
for (let round = 0; round < ROUNDS; round++) {
  console.log(`round ${round + 1}/${ROUNDS}…`);
  // Interleaved, so drift in machine load hits every scenario alike.
  runs.bare.push(await measure(bare.child, bare.url));
  runs.lean.push(await measure(lean.child, lean.url));
  runs.leanKrea.push(await measure(lean.child, lean.url, bodies.krea));
  runs.capture.push(await measure(fresh.child, fresh.captureUrl));
  runs.captureKrea.push(await measure(freshKrea.child, freshKrea.captureUrl, bodies.krea));
  runs.steady1k.push(await measure(kept1k.child, kept1k.captureUrl));
  runs.steady10k.push(await measure(kept10k.child, kept10k.captureUrl));
  if (baseline) {
    runs.baseCapture.push(await measure(baseline.fresh.child, baseline.fresh.captureUrl));
    runs.baseKrea.push(await measure(baseline.freshKrea.child, baseline.freshKrea.captureUrl, bodies.krea));
  }
}
for (const s of [bare, lean, fresh, freshKrea, kept1k, kept10k, ...(baseline ? [baseline.fresh, baseline.freshKrea] : [])]) await stop(s.child);
rmSync(tmp, { recursive: true, force: true });

const r = Object.fromEntries(
  Object.entries(runs)
    .filter(([, v]) => v.length > 0)
    .map(([k, v]) => [k, summarize(v)]),
);
const row = (name, s) =>
  `| ${name} | ${Math.round(s.rps)} | ${s.p50} | ${s.p99} | ${s.serverCpuPerKReq.toFixed(3)} | ${s.mainCpuPerKReq.toFixed(3)} | ${s.loadCpuPerKReq.toFixed(3)} | ${s.peakRssMb.toFixed(0)} | ${s.non2xx} |`;
const lines = [
  `Capture benchmark: 1 KB JSON POSTs, ${CONNECTIONS} connections, ${DURATION} s per run, median of ${ROUNDS} interleaved rounds (${os.cpus().length} cores, Node ${process.version}).`,
  '',
  '| scenario | req/s | p50 ms | p99 ms | server CPU s / 1k req | of which main thread | load generator CPU s / 1k req | peak RSS MB | non-2xx/errors |',
  '|---|---|---|---|---|---|---|---|---|',
  row('bare node:http (reads body, answers 200)', r.bare),
  row('least durable capture, 1 KB JSON (group commit, no checks)', r.lean),
  row('least durable capture, 1 KB Krea job', r.leanKrea),
  row('hookscope capture, 1 KB JSON (new bin, durable)', r.capture),
  row('hookscope capture, 1 KB Krea job, every check (new bin, durable)', r.captureKrea),
  row('hookscope steady state, 1,000 kept (evicting)', r.steady1k),
  row('hookscope steady state, 10,000 kept (evicting)', r.steady10k),
  ...(baseline
    ? [
        row(`baseline ${path.basename(BASELINE)}: capture, 1 KB JSON`, r.baseCapture),
        row(`baseline ${path.basename(BASELINE)}: capture, 1 KB Krea job, every check`, r.baseKrea),
      ]
    : []),
  '',
  `capture / bare throughput: ${(r.capture.rps / r.bare.rps).toFixed(2)} (target >= 0.45)`,
  `capture of Krea jobs with every check / bare: ${(r.captureKrea.rps / r.bare.rps).toFixed(2)} (target >= 0.40)`,
  `least durable capture / bare: ${(r.lean.rps / r.bare.rps).toFixed(2)} (1 KB JSON), ${(r.leanKrea.rps / r.bare.rps).toFixed(2)} (Krea): what a capture that only records and syncs reaches here`,
  `capture / least durable capture: ${(r.capture.rps / r.lean.rps).toFixed(2)} (1 KB JSON), ${(r.captureKrea.rps / r.leanKrea.rps).toFixed(2)} (Krea)`,
  `steady 1,000 kept / bare: ${(r.steady1k.rps / r.bare.rps).toFixed(2)}`,
  `cost of keeping 10x more (1 - steady10k / steady1k): ${((1 - r.steady10k.rps / r.steady1k.rps) * 100).toFixed(1)}% (target < 25%)`,
  ...(baseline
    ? [`baseline capture / bare: ${(r.baseCapture.rps / r.bare.rps).toFixed(2)}; baseline Krea / bare: ${(r.baseKrea.rps / r.bare.rps).toFixed(2)}`]
    : []),
];
console.log(lines.join('\n'));
if (process.env.BENCH_ONLY_THROUGHPUT) process.exit(0);

// The same load on Redis, one and two instances (bench/redis.mjs; skipped without redis-server).
await new Promise((resolve) => spawn(process.execPath, [path.join(root, 'bench/redis.mjs')], { stdio: 'inherit' }).once('exit', resolve));

// Large uploads in flight (bench/uploads.mjs): 40 concurrent 25 MB bodies against the default
// --max-body-memory; the server's peak RSS must stay under 1 GB.
const { measureUploads } = await import('./uploads.mjs');
const uploads = await measureUploads();
console.log(
  `\nUploads in flight: ${uploads.count} concurrent ${uploads.sizeMb} MB bodies in ${uploads.seconds} s, answered ${JSON.stringify(uploads.statuses)}; server RSS ${uploads.baseRssMb} MB before, peak ${uploads.peakRssMb} MB (target < 1024 MB)`,
);

// The embedded store at scale and idle latency next to its floor (bench/scale.mjs; sizes from
// SCALE_BINS, SCALE_PER_BIN, SCALE_SEARCH_KEPT: 1,000 × 1,000 by default, several minutes).
const { runScaleBench } = await import('./scale.mjs');
console.log('\nScale (embedded store):');
console.log(JSON.stringify(await runScaleBench(), null, 2));
