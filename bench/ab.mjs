// A/B of built checkouts under the same machine load: `node bench/ab.mjs <checkout> <checkout> …`
// runs the load (bench/load.mjs, 50 connections) on a bare node:http server and on each
// checkout's hookscope, for each body kind, round after round. Every measurement gets a server
// of its own, started fresh and warmed for a second: one long-lived server per checkout carried
// its own luck (its JIT's and heap's) through every round: two servers of one build differed by
// 23% in main-thread CPU over a whole run, fresh ones by 2–14% (stop 22). Within a round the
// checkouts run in turn, in the reverse order every other round, so drift in a shared machine's
// load hits them alike. Prints, per server and body, the median req/s, its ratio to bare, the
// server's CPU and its main thread's CPU per request (µs, from /proc: the main thread is what
// limits a capture server), and for each checkout after the first the median of its per-round
// ratios to the first (req/s and main thread) with their middle half: the figure to judge a
// change by. Run the first checkout twice (`a a b`) to see what this machine resolves today.
// AB_ROUNDS (default 8), AB_SECONDS (2), AB_KINDS (generic,krea). Loopback only.
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureBodiesInTempDir } from './bodies.mjs';
import { cpuSeconds, killAll, mainThreadCpuSeconds, runLoad, startCaptureServer, startProcess, stop } from './processes.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const checkouts = process.argv.slice(2).map((dir) => path.resolve(dir));
if (checkouts.length === 0) {
  console.error('usage: node bench/ab.mjs <built checkout> [<built checkout> …]');
  process.exit(2);
}
const ROUNDS = Number(process.env.AB_ROUNDS ?? 8);
const SECONDS = Number(process.env.AB_SECONDS ?? 2);
const KINDS = (process.env.AB_KINDS ?? 'generic,krea').split(',');

const { dir: tmp, bodies } = captureBodiesInTempDir('hookscope-ab-');
process.on('exit', killAll);

// Bare reads any body alike: measured with the first kind's body only.
const targets = [{ key: 'bare', kind: KINDS[0], start: () => startProcess(process.execPath, ['bench/bare-server.mjs'], /listening on (http:\/\/\S+)/, root) }];
for (const kind of KINDS)
  for (const [i, checkout] of checkouts.entries()) {
    const start = async () => {
      const server = await startCaptureServer(checkout, mkdtempSync(path.join(tmp, 'data-')), 1000);
      return { ...server, url: server.captureUrl };
    };
    targets.push({ key: `${i + 1}:${path.basename(checkout)} ${kind}`, kind, checkout: i, start });
  }

/** One measurement on a fresh server: started, warmed for a second, loaded, stopped. */
async function measure(target) {
  const { child, url } = await target.start();
  const bodyFile = bodies[target.kind];
  await runLoad(url, { connections: 50, duration: 1, bodyFile });
  const [cpuBefore, mainBefore] = [cpuSeconds(child.pid), mainThreadCpuSeconds(child.pid)];
  const out = await runLoad(url, { connections: 50, duration: SECONDS, bodyFile });
  const result = {
    rps: out.requestsPerSec,
    cpuUs: ((cpuSeconds(child.pid) - cpuBefore) / out.total) * 1e6,
    mainUs: ((mainThreadCpuSeconds(child.pid) - mainBefore) / out.total) * 1e6,
    failed: out.non2xx + out.errors + out.timeouts,
  };
  await stop(child);
  return result;
}

const results = new Map(targets.map((t) => [t.key, []]));
for (let round = 0; round < ROUNDS; round++) {
  console.error(`round ${round + 1}/${ROUNDS}…`);
  const inTurn = round % 2 === 0 ? targets : [targets[0], ...targets.slice(1).reverse()];
  for (const target of inTurn) results.get(target.key).push(await measure(target));
}
rmSync(tmp, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quartiles = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return [sorted[Math.floor((sorted.length - 1) / 4)], sorted[Math.ceil(((sorted.length - 1) * 3) / 4)]];
};
/** Median of the per-round ratios of `runs` to `base` (the same round), with the middle half. */
const pairedRatio = (runs, base, field) => {
  const ratios = runs.map((r, i) => r[field] / base[i][field]);
  const [low, high] = quartiles(ratios);
  return `×${median(ratios).toFixed(3)} (${low.toFixed(2)}–${high.toFixed(2)})`;
};
const bareRps = median(results.get('bare').map((r) => r.rps));
console.log(
  '| server, body | req/s | of bare | server CPU µs / req | main thread µs / req | vs checkout 1: req/s | vs checkout 1: main thread | req/s each round | failed |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const target of targets) {
  const runs = results.get(target.key);
  const first = target.checkout === undefined ? undefined : targets.find((t) => t.kind === target.kind && t.checkout === 0);
  const base = first && first !== target ? results.get(first.key) : undefined;
  const rps = median(runs.map((r) => r.rps));
  const cells = [
    target.key,
    Math.round(rps),
    (rps / bareRps).toFixed(3),
    Math.round(median(runs.map((r) => r.cpuUs))),
    Math.round(median(runs.map((r) => r.mainUs))),
    base ? pairedRatio(runs, base, 'rps') : '',
    base ? pairedRatio(runs, base, 'mainUs') : '',
    runs.map((r) => Math.round(r.rps)).join(' '),
    runs.reduce((n, r) => n + r.failed, 0),
  ];
  console.log(`| ${cells.join(' | ')} |`);
}
