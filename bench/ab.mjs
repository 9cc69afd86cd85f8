// A/B of built checkouts under the same machine load: `node bench/ab.mjs <checkout> <checkout> …`
// starts a bare node:http server and each checkout's hookscope (one bin per body kind), then runs
// the load (bench/load.mjs, 50 connections) on each in turn, round after round, so drift in a
// shared machine's load hits them alike. Prints, per server and body, the median req/s, its ratio
// to bare, and the server's CPU and its main thread's CPU per request (µs, from /proc): the main
// thread is what limits a capture server, and its CPU is steadier than req/s here. Two identical
// builds differed by up to ±8% req/s and ±12% main-thread µs in one run on 2 shared cores.
// AB_ROUNDS (default 3), AB_SECONDS (5), AB_KINDS (generic,krea). Loopback only.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KREA_EXAMPLE } from '../test/fixtures/payloads/krea-example.mjs';
import { padded } from './bodies.mjs';
import { cpuSeconds, killAll, mainThreadCpuSeconds, runLoad, startProcess, stop } from './processes.mjs';

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
const bodies = { generic: path.join(tmp, 'generic.json'), krea: path.join(tmp, 'krea.json') };
writeFileSync(bodies.generic, padded({ event: 'order.created', order: { id: 'ord_1', items: [{ sku: 'a', qty: 1 }] } }, 1024));
writeFileSync(bodies.krea, padded(KREA_EXAMPLE, 1024));

process.on('exit', killAll);
const servers = [];
const bare = await startProcess(process.execPath, ['bench/bare-server.mjs'], /listening on (http:\/\/\S+)/, root);
servers.push({ name: 'bare', child: bare.child, urls: Object.fromEntries(KINDS.map((kind) => [kind, bare.url])) });
for (const [i, checkout] of checkouts.entries()) {
  const dataDir = mkdtempSync(path.join(tmp, 'data-'));
  const server = await startProcess(
    process.execPath,
    ['bin/hookscope.mjs', '--port', '0', '--data-dir', dataDir, '--max-requests-per-bin', '1000'],
    /listening on (http:\/\/\S+)/,
    checkout,
  );
  const urls = {};
  for (const kind of KINDS) {
    const res = await fetch(`${server.url}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"ab"}' });
    urls[kind] = `${server.url}/h/${(await res.json()).id}/webhooks/krea`;
  }
  servers.push({ name: `${i + 1}:${path.basename(checkout)}`, child: server.child, urls });
}

const results = new Map();
for (let round = 0; round < ROUNDS; round++) {
  console.error(`round ${round + 1}/${ROUNDS}…`);
  for (const kind of KINDS)
    for (const server of servers) {
      if (server.name === 'bare' && kind !== KINDS[0]) continue; // bare reads any body alike
      const pid = server.child.pid;
      const [cpuBefore, mainBefore] = [cpuSeconds(pid), mainThreadCpuSeconds(pid)];
      const out = await runLoad(server.urls[kind], { connections: 50, duration: SECONDS, bodyFile: bodies[kind] });
      const key = server.name === 'bare' ? 'bare' : `${server.name} ${kind}`;
      if (!results.has(key)) results.set(key, []);
      results.get(key).push({
        rps: out.requestsPerSec,
        cpuUs: ((cpuSeconds(pid) - cpuBefore) / out.total) * 1e6,
        mainUs: ((mainThreadCpuSeconds(pid) - mainBefore) / out.total) * 1e6,
        failed: out.non2xx + out.errors + out.timeouts,
      });
    }
}
for (const server of servers) await stop(server.child);
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
