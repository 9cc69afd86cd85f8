// `node bench/scale.mjs` (also run by `npm run bench`): the embedded store at scale, and capture
// latency at idle next to its floor. Every server runs in its own process; all traffic goes to
// 127.0.0.1; every phase is bounded by a fixed count of requests.
//
//   1. Fill SCALE_BINS bins with SCALE_PER_BIN requests of ~1 KB JSON each (64 at a time).
//   2. Disk per request, RSS after filling; time to change a bin (create, update) at that many bins.
//   3. Restart: time to "listening", time of the first GET /api/bins, RSS.
//   4. Open every bin's newest page once (cold), then RSS (the goal: cache size + 150 MB).
//   5. A q= search that matches nothing over SCALE_PER_BIN kept, and over 10,000 kept.
//   6. Idle latency, one request at a time over keep-alive: hookscope's acknowledgement and live
//      push next to the floor (bench/floor-server.mjs: append + fdatasync, then answer).
// SCALE_PARTS picks parts (comma-separated: scale = 1-4, search = 5, idle = 6; default all), e.g.
// SCALE_PARTS=idle node bench/scale.mjs measures the idle latency alone, in a minute.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { eventBody } from './bodies.mjs';
import { closeAgent, createBin, fill, request } from './http.mjs';
import { memoryMb, startProcess, stop } from './processes.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BINS = Number(process.env.SCALE_BINS ?? 1000);
const PER_BIN = Number(process.env.SCALE_PER_BIN ?? 1000);
const CACHE = process.env.SCALE_CACHE ?? '256mb';
const SEARCH_KEPT = Number(process.env.SCALE_SEARCH_KEPT ?? 10_000);
const IDLE_REQUESTS = Number(process.env.SCALE_IDLE_REQUESTS ?? 500);
const PARTS = new Set((process.env.SCALE_PARTS ?? 'scale,search,idle').split(',').map((part) => part.trim()));
// SCALE_FILL=store writes the requests through the built store itself, in this process, after one
// real capture gave the record's shape: a million captures over HTTP take too long on a shared
// 2-core machine, and what is measured after the fill (restart, listing, opening, memory) depends
// only on what is on disk. Default: http (every request captured through the server).
const FILL = process.env.SCALE_FILL ?? 'http';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hookscope-scale-'));

/** Starts a Node script of this checkout and waits for its "listening on" line. */
function startNode(args) {
  return startProcess(process.execPath, args, /listening on (http:\/\/\S+)/, root);
}

function startHookscope(dataDir, extra = []) {
  return startNode(['bin/hookscope.mjs', '--port', '0', '--data-dir', dataDir, '--cache-size', CACHE, ...extra]);
}

function memory(pid) {
  const { rss, peak } = memoryMb(pid);
  return { rssMb: Math.round(rss), peakMb: Math.round(peak) };
}

function diskBytes(dir) {
  return new Promise((resolve) => {
    const du = spawn('du', ['-sb', dir]);
    let out = '';
    du.stdout.on('data', (c) => (out += c));
    du.once('exit', () => resolve(Number(out.split('\t')[0])));
  });
}

async function timed(fn) {
  const started = performance.now();
  const result = await fn();
  return { ms: performance.now() - started, result };
}

/**
 * Appends `total` requests spread over `bins` through this checkout's built store, copying the
 * one request the server captured in the first bin (new id, time and body each), 50 per bin at a
 * time so the store group-commits as under load.
 */
async function fillThroughStore(dataDir, bins, total) {
  const segments = path.join(dataDir, 'bins', bins[0].id, 'segments');
  const first = readFileSync(path.join(segments, readdirSync(segments).sort()[0]), 'utf8').split('\n')[0];
  const template = JSON.parse(first).r;
  const { LowdbStore } = await import(path.join(root, 'dist/server/store/lowdb/lowdb-store.js'));
  const { createRequestIdGenerator } = await import(path.join(root, 'dist/server/ids.js'));
  const store = await LowdbStore.open(dataDir, { maxRequestsPerBin: PER_BIN, logLimits: { maxHeldBytes: 64 * 1024 * 1024 } });
  const nextId = createRequestIdGenerator();
  const started = performance.now();
  let n = 1; // the captured one
  await Promise.all(
    bins.map(async (bin) => {
      for (let k = bin === bins[0] ? 1 : 0; k < total / bins.length; k += 50) {
        const batch = [];
        for (let j = k; j < Math.min(k + 50, total / bins.length); j++) {
          const { id, time } = nextId();
          const body = eventBody(n++);
          batch.push(
            store.appendRequest(
              {
                ...template,
                id,
                binId: bin.id,
                receivedAt: new Date(time).toISOString(),
                size: Buffer.byteLength(body),
                body: { encoding: 'utf8', data: body },
              },
              Buffer.from(body),
            ),
          );
        }
        await Promise.all(batch);
      }
    }),
  );
  await store.close();
  return { perSec: Math.round(total / ((performance.now() - started) / 1000)), failed: 0, through: 'store' };
}

const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const round = (x, digits = 1) => Number(x.toFixed(digits));

async function scale() {
  const dataDir = path.join(tmp, 'scale');
  let server = await startHookscope(dataDir, ['--max-requests-per-bin', String(PER_BIN)]);
  const bins = [];
  for (let i = 0; i < BINS; i++) bins.push(await createBin(server.url, `bin ${i}`));
  let filled;
  if (FILL === 'store') {
    await fill(server.url, bins.slice(0, 1), 1); // one real capture: the record's shape
    await stop(server.child);
    filled = await fillThroughStore(dataDir, bins, BINS * PER_BIN);
    server = await startHookscope(dataDir, ['--max-requests-per-bin', String(PER_BIN)]);
  } else filled = await fill(server.url, bins, BINS * PER_BIN);
  const afterFill = memory(server.child.pid);
  // Bin changes at this many bins: create and update, one at a time.
  const creates = [];
  for (let i = 0; i < 20; i++) creates.push((await timed(() => createBin(server.url, `extra ${i}`))).ms);
  const updates = [];
  for (let i = 0; i < 20; i++)
    updates.push(
      (await timed(() => request(`${server.url}/api/bins/${bins[i % bins.length].id}`, { method: 'PATCH', body: JSON.stringify({ name: `renamed ${i}` }) })))
        .ms,
    );
  await stop(server.child);
  const disk = await diskBytes(dataDir);

  server = await startHookscope(dataDir, ['--max-requests-per-bin', String(PER_BIN)]);
  const atStart = memory(server.child.pid);
  const firstList = await timed(() => request(`${server.url}/api/bins`));
  const listed = JSON.parse(firstList.result.text).bins.length;
  const afterList = memory(server.child.pid);
  const pages = [];
  for (const bin of bins) pages.push((await timed(() => request(`${server.url}/api/bins/${bin.id}/requests?limit=50`))).ms);
  const afterPages = memory(server.child.pid);
  const searchCold = await timed(() => request(`${server.url}/api/bins/${bins.at(-1).id}/requests?q=nomatchanywhere`));
  const searchWarm = await timed(() => request(`${server.url}/api/bins/${bins.at(-1).id}/requests?q=nomatchanywhere`));
  await stop(server.child);
  rmSync(dataDir, { recursive: true, force: true });
  return {
    bins: BINS,
    perBin: PER_BIN,
    fill: FILL,
    fillPerSec: filled.perSec,
    fillFailed: filled.failed,
    diskPerRequestBytes: Math.round(disk / (BINS * PER_BIN)),
    rssAfterFill: afterFill,
    binCreateMs: { p50: round(percentile(creates, 50)), max: round(Math.max(...creates)) },
    binUpdateMs: { p50: round(percentile(updates, 50)), max: round(Math.max(...updates)) },
    restartToListeningMs: Math.round(server.startMs),
    rssAtStart: atStart,
    firstListMs: Math.round(firstList.ms),
    listedBins: listed,
    rssAfterList: afterList,
    coldPageMs: {
      p50: round(percentile(pages, 50)),
      p99: round(percentile(pages, 99)),
      max: round(Math.max(...pages)),
      totalS: round(pages.reduce((a, b) => a + b, 0) / 1000),
    },
    rssAfterEveryBinOpened: afterPages,
    searchNoMatchMs: { kept: PER_BIN, cold: Math.round(searchCold.ms), warm: Math.round(searchWarm.ms) },
  };
}

async function searchLarge() {
  const dataDir = path.join(tmp, 'search');
  let server = await startHookscope(dataDir, ['--max-requests-per-bin', String(SEARCH_KEPT)]);
  const bin = await createBin(server.url, 'search');
  await fill(server.url, [bin], SEARCH_KEPT);
  await stop(server.child);
  server = await startHookscope(dataDir, ['--max-requests-per-bin', String(SEARCH_KEPT)]);
  const cold = await timed(() => request(`${server.url}/api/bins/${bin.id}/requests?q=nomatchanywhere`));
  const warm = await timed(() => request(`${server.url}/api/bins/${bin.id}/requests?q=nomatchanywhere`));
  const hit = await timed(() => request(`${server.url}/api/bins/${bin.id}/requests?q=evt_${SEARCH_KEPT - 7}&limit=50`));
  await stop(server.child);
  rmSync(dataDir, { recursive: true, force: true });
  return { kept: SEARCH_KEPT, noMatchColdMs: Math.round(cold.ms), noMatchWarmMs: Math.round(warm.ms), oneMatchMs: Math.round(hit.ms) };
}

/** One request at a time over one keep-alive connection: acknowledgement latency (and live push for hookscope). */
async function idleLatency(url, captureUrl, ws) {
  const acks = [];
  const pushes = [];
  for (let i = 0; i < IDLE_REQUESTS + 50; i++) {
    const pushed = ws ? new Promise((resolve) => ws.once('message', () => resolve(performance.now()))) : null;
    const started = performance.now();
    const res = await request(captureUrl, { method: 'POST', body: eventBody(i) });
    if (res.status !== 200) throw new Error(`idle capture answered ${res.status}`);
    const acked = performance.now();
    const pushedAt = pushed ? await pushed : null;
    if (i < 50) continue; // warm-up
    acks.push(acked - started);
    if (pushedAt !== null) pushes.push(pushedAt - started);
  }
  const stats = (xs) => ({ p50: round(percentile(xs, 50), 2), p99: round(percentile(xs, 99), 2) });
  return { ack: stats(acks), ...(pushes.length ? { push: stats(pushes) } : {}) };
}

async function idle() {
  const floor = await startNode(['bench/floor-server.mjs']);
  const hookscope = await startHookscope(path.join(tmp, 'idle'));
  const bin = await createBin(hookscope.url, 'idle');
  const ws = new WebSocket(`${hookscope.url.replace('http', 'ws')}/ws?bin=${bin.id}`);
  await new Promise((resolve, reject) => {
    ws.once('message', resolve); // the hello
    ws.once('error', reject);
  });
  // Interleaved halves, so drift in machine load hits both alike.
  const floorRuns = [];
  const hookscopeRuns = [];
  for (let half = 0; half < 2; half++) {
    floorRuns.push(await idleLatency(floor.url, `${floor.url}/capture`, null));
    hookscopeRuns.push(await idleLatency(hookscope.url, `${hookscope.url}/h/${bin.id}/idle`, ws));
  }
  ws.close();
  await stop(floor.child);
  await stop(hookscope.child);
  const merge = (runs, key) => ({ p50: round((runs[0][key].p50 + runs[1][key].p50) / 2, 2), p99: round((runs[0][key].p99 + runs[1][key].p99) / 2, 2) });
  const floorAck = merge(floorRuns, 'ack');
  const ack = merge(hookscopeRuns, 'ack');
  const push = merge(hookscopeRuns, 'push');
  return {
    requests: IDLE_REQUESTS * 2,
    floorAckMs: floorAck,
    ackMs: ack,
    pushMs: push,
    ackP50OverFloor: round(ack.p50 / floorAck.p50, 2),
    pushP99OverFloorP99: round(push.p99 / floorAck.p99, 2),
  };
}

export async function runScaleBench() {
  try {
    const results = {};
    if (PARTS.has('scale')) results.scale = await scale();
    if (PARTS.has('search')) results.search = await searchLarge();
    if (PARTS.has('idle')) results.idle = await idle();
    return results;
  } finally {
    closeAgent();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await runScaleBench(), null, 2));
