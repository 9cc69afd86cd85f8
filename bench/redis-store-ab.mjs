// `REDIS_BENCH_BASELINE=<another checkout, built> node bench/redis-store-ab.mjs`: what a capture
// costs the Redis store itself, this checkout against the baseline, without HTTP (whose noise on
// a shared machine hides a few percent). Each side has its own redis-server (AOF, appendfsync
// always) and a bin at its cap of 1,000, so every append also evicts one; rounds of 4,000
// appends, 50 in flight, alternate between the sides. Per append: Redis CPU (from /proc) and this
// process's CPU while only that side runs (the store's client side: serialising, RESP).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpuSeconds, startRedisServer } from './processes.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BASELINE = process.env.REDIS_BENCH_BASELINE;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 6);
const PER_ROUND = 4000;
if (!BASELINE) {
  console.log('REDIS_BENCH_BASELINE=<another checkout, built> is needed: the side to compare with.');
  process.exit(2);
}
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hookscope-redis-ab-'));

function startRedis() {
  return startRedisServer(mkdtempSync(path.join(tmp, 'redis-')));
}

/** A store of codeRoot's build on its own Redis, with a bin filled to its cap. */
async function side(name, codeRoot) {
  // A baseline built before the stores moved under store/ has the Redis store in dist/server/redis/.
  const load = (file) => {
    const current = path.join(codeRoot, 'dist/server', file.replace(/^redis\//, 'store/redis/'));
    return import(pathToFileURL(existsSync(current) ? current : path.join(codeRoot, 'dist/server', file)).href);
  };
  const [{ RedisConnection }, { RedisStore }, { encodeBody }, { createRequestIdGenerator, newBinId }, { BIN_SETTING_DEFAULTS }] = await Promise.all(
    ['redis/connection.js', 'redis/redis-store.js', 'capture/record.js', 'ids.js', 'store/types.js'].map(load),
  );
  const redis = await startRedis();
  const store = await RedisStore.open(await RedisConnection.open(redis.url), { maxRequestsPerBin: 1000 });
  const bin = { ...BIN_SETTING_DEFAULTS, id: newBinId(), name, token: null, requireToken: false, createdAt: new Date().toISOString() };
  await store.createBin(bin);
  const nextId = createRequestIdGenerator();
  // A 1 KB Krea job as capture stores it: checks with a delivery key, the answer sent.
  const body = Buffer.from(JSON.stringify({ job_id: '550e8400-e29b-41d4-a716-446655440000', status: 'completed', pad: 'x'.repeat(900) }));
  let n = 0;
  const record = () => {
    const { id, time } = nextId();
    const rawHeaders = ['Host', '127.0.0.1:8080', 'Content-Type', 'application/json', 'Content-Length', String(body.length), 'Connection', 'keep-alive'];
    const checks = { schema: 'krea-job', valid: true, errors: [], warnings: [], deliveryKey: `job-${n++}` };
    return {
      id,
      binId: bin.id,
      receivedAt: new Date(time).toISOString(),
      method: 'POST',
      path: '/webhooks/krea',
      queryString: '',
      rawHeaders,
      remoteAddress: '127.0.0.1',
      contentType: 'application/json',
      size: body.length,
      token: 'none',
      body: encodeBody(body),
      checks,
      response: { status: 200, delayMs: 0, headers: {}, bodySize: 20 },
    };
  };
  const append = async (count) => {
    let started = 0;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (started < count) {
          started++;
          await store.appendRequest(record(), body);
        }
      }),
    );
  };
  await append(1000);
  return { name, redis, store, append, runs: [] };
}

try {
  const sides = [await side('current', root), await side('baseline', path.resolve(BASELINE))];
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of round % 2 ? [...sides].reverse() : sides) {
      const redisBefore = cpuSeconds(s.redis.child.pid);
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      await s.append(PER_ROUND);
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      s.runs.push({
        perSec: PER_ROUND / seconds,
        redisMs: ((cpuSeconds(s.redis.child.pid) - redisBefore) / PER_ROUND) * 1000,
        clientMs: (cpu.user + cpu.system) / 1e3 / PER_ROUND,
      });
    }
  }
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  console.log(`Redis store appends at steady state (cap 1,000, every append evicts), ${ROUNDS} alternating rounds of ${PER_ROUND}, 50 in flight, medians:`);
  console.log('| side | appends/s | Redis CPU ms / append | store client CPU ms / append |');
  console.log('|---|---|---|---|');
  for (const s of sides)
    console.log(
      `| ${s.name} | ${Math.round(median(s.runs.map((r) => r.perSec)))} | ${median(s.runs.map((r) => r.redisMs)).toFixed(4)} | ${median(s.runs.map((r) => r.clientMs)).toFixed(4)} |`,
    );
  for (const s of sides) {
    await s.store.close();
    s.redis.child.kill('SIGKILL');
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
