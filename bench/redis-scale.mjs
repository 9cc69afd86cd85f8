// `node bench/redis-scale.mjs` (also run by bench/redis.mjs): the Redis store at scale. Every
// server runs in its own process, all traffic goes to 127.0.0.1, every phase is a fixed count.
//
//   1. Fill REDIS_SCALE_BINS bins with REDIS_SCALE_PER_BIN captures of ~1 KB JSON each (64 at a
//      time, through HTTP), then Redis' memory per request.
//   2. Restart hookscope: time to "listening", then the first GET /api/bins.
//   3. A usage pass: Store.binUsage of every bin, which retention runs every minute when
//      --retention, --bin-expiry or --max-data-size is set (twice per pass: per bin, then the total).
//   4. Every bin's newest page of 50 once; a q= search that matches nothing over one bin.
//   5. A page of 50 requests with 60 KB bodies (inline in the record, the most a page reads).
// Next to each time, the bytes Redis sent (INFO total_net_output_bytes): what was read.
//
// REDIS_BENCH_BASELINE=<another checkout of hookscope, built>: runs the same on that checkout too
// (its own Redis), then starts this checkout on the data the baseline wrote (an upgrade) and
// times the first usage pass there.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createClient } from '@redis/client';
import { closeAgent, createBin, fill, request } from './http.mjs';
import { killAll, startProcess, startRedisServer, stop } from './processes.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BINS = Number(process.env.REDIS_SCALE_BINS ?? 200);
const PER_BIN = Number(process.env.REDIS_SCALE_PER_BIN ?? 1000);
const BASELINE = process.env.REDIS_BENCH_BASELINE ? path.resolve(process.env.REDIS_BENCH_BASELINE) : null;
const BIG_BODY = 60 * 1024;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hookscope-redis-scale-'));

async function startRedis() {
  const { child, url } = await startRedisServer(mkdtempSync(path.join(tmp, 'redis-')));
  const client = createClient({ url });
  await client.connect();
  /** A field of INFO, as a number. */
  const info = async (field, section = 'stats') => Number(new RegExp(`${field}:(\\d+)`).exec(await client.info(section))[1]);
  // INFO's own reply counts in total_net_output_bytes: measured once, it is taken off each figure.
  const first = await info('total_net_output_bytes');
  const infoBytes = (await info('total_net_output_bytes')) - first;
  return { child, url, client, info, infoBytes };
}

function startHookscope(codeRoot, redisUrl) {
  return startProcess(
    process.execPath,
    ['bin/hookscope.mjs', '--port', '0', '--redis-url', redisUrl, '--max-requests-per-bin', String(PER_BIN)],
    /listening on (http:\/\/\S+)/,
    codeRoot,
  );
}

/** Runs fn; its time and the bytes Redis sent meanwhile. */
async function measured(redis, fn) {
  const bytesBefore = await redis.info('total_net_output_bytes');
  const started = performance.now();
  const result = await fn();
  const ms = performance.now() - started;
  return { ms, bytes: (await redis.info('total_net_output_bytes')) - bytesBefore - redis.infoBytes, result };
}

/** binUsage of every bin, as retention reads it, through codeRoot's own built store. */
async function usagePass(codeRoot, redis, binIds) {
  // A baseline built before the stores moved under store/ has the Redis store in dist/server/redis/.
  const folder = existsSync(path.join(codeRoot, 'dist/server/store/redis')) ? 'dist/server/store/redis' : 'dist/server/redis';
  const dist = (file) => pathToFileURL(path.join(codeRoot, folder, file)).href;
  const { RedisConnection } = await import(dist('connection.js'));
  const { RedisStore } = await import(dist('redis-store.js'));
  const store = await RedisStore.open(await RedisConnection.open(redis.url), { maxRequestsPerBin: PER_BIN });
  try {
    const pass = () =>
      measured(redis, async () => {
        let dataSize = 0;
        for (const id of binIds) dataSize += (await store.binUsage(id)).dataSize;
        return dataSize;
      });
    const first = await pass();
    const second = await pass();
    return { first, second };
  } finally {
    await store.close();
  }
}

const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];
const round = (x, digits = 1) => Number(x.toFixed(digits));
const kb = (bytes) => Math.round(bytes / 1024);

/** Fills one Redis through codeRoot's hookscope; returns the bins and the figures of filling. */
async function filled(codeRoot) {
  const redis = await startRedis();
  const server = await startHookscope(codeRoot, redis.url);
  const bins = [];
  for (let i = 0; i < BINS; i++) bins.push(await createBin(server.url, `bin ${i}`));
  const fillResult = await fill(server.url, bins, BINS * PER_BIN);
  const big = await createBin(server.url, 'big bodies');
  await fill(server.url, [big], 50, BIG_BODY);
  await stop(server.child);
  return { redis, bins, big, fillResult, memoryPerRequest: Math.round((await redis.info('used_memory', 'memory')) / (BINS * PER_BIN + 50)) };
}

/** The read-side figures of codeRoot's hookscope on a filled Redis. */
async function readSide(codeRoot, { redis, bins, big }) {
  const server = await startHookscope(codeRoot, redis.url);
  const firstList = await measured(redis, () => request(`${server.url}/api/bins`));
  const listed = JSON.parse(firstList.result.text).bins.length;
  const usage = await usagePass(
    codeRoot,
    redis,
    bins.map((b) => b.id),
  );
  const pages = [];
  let pageBytes = 0;
  for (const bin of bins) {
    const page = await measured(redis, () => request(`${server.url}/api/bins/${bin.id}/requests?limit=50`));
    pages.push(page.ms);
    pageBytes += page.bytes;
  }
  const search = await measured(redis, () => request(`${server.url}/api/bins/${bins[0].id}/requests?q=nomatchanywhere`));
  const bigPages = [];
  for (let i = 0; i < 10; i++) bigPages.push(await measured(redis, () => request(`${server.url}/api/bins/${big.id}/requests?limit=50`)));
  await stop(server.child);
  return {
    restartToListeningMs: Math.round(server.startMs),
    firstList: { ms: round(firstList.ms), redisKb: kb(firstList.bytes), bins: listed },
    usagePass: {
      firstMs: Math.round(usage.first.ms),
      firstRedisKb: kb(usage.first.bytes),
      againMs: Math.round(usage.second.ms),
      againRedisKb: kb(usage.second.bytes),
      dataSize: usage.second.result,
    },
    newestPage50: { p50: round(percentile(pages, 50)), p99: round(percentile(pages, 99)), redisKbPerPage: round(pageBytes / bins.length / 1024) },
    searchNoMatch: { kept: PER_BIN, ms: Math.round(search.ms), redisKb: kb(search.bytes) },
    pageOf60KbBodies: {
      p50: round(
        percentile(
          bigPages.map((p) => p.ms),
          50,
        ),
      ),
      redisKbPerPage: kb(bigPages[0].bytes),
    },
  };
}

async function measureOne(codeRoot) {
  const data = await filled(codeRoot);
  const result = {
    fillPerSec: data.fillResult.perSec,
    fillFailed: data.fillResult.failed,
    redisBytesPerRequest: data.memoryPerRequest,
    ...(await readSide(codeRoot, data)),
  };
  return { data, result };
}

export async function runRedisScaleBench() {
  try {
    const sizes = { bins: BINS, perBin: PER_BIN };
    const current = await measureOne(root);
    await current.data.redis.client.quit();
    await stop(current.data.redis.child);
    if (!BASELINE) return { sizes, current: current.result };
    const baseline = await measureOne(BASELINE);
    // This checkout on the data the baseline wrote: what an upgrade meets.
    const upgrade = await readSide(root, baseline.data);
    await baseline.data.redis.client.quit();
    await stop(baseline.data.redis.child);
    return { sizes, baseline: baseline.result, current: current.result, upgradedFromBaseline: upgrade };
  } finally {
    closeAgent();
    killAll();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) console.log(JSON.stringify(await runRedisScaleBench(), null, 2));
