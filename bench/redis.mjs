// Redis figures for `npm run bench` (run.mjs starts this after the lowdb figures): capture
// throughput and latency of hookscope on Redis, one instance and two instances sharing one Redis,
// each loaded by its own load generator at once. The 1 KB Krea-job body (every check), and the same
// connections and durations as run.mjs.
// Redis runs here with AOF and `appendfsync always` (a 2xx means on disk, as with lowdb), and
// once with `everysec` for comparison. A bare node:http server is loaded in the same rounds, so
// each row also says its share of the bare throughput. Then the Redis store at scale
// (bench/redis-scale.mjs). Skipped, with a note, when redis-server is not installed.
// REDIS_BENCH_BASELINE=<another checkout, built>: its hookscope is loaded in the same rounds too
// (one instance, appendfsync always), for a before/after within one run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KREA_EXAMPLE } from '../test/fixtures/payloads/krea-example.mjs';
import { padded } from './bodies.mjs';
import { cpuSeconds, killAll, runLoad, startProcess, startRedisServer, stop } from './processes.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const KEPT = 1000;
const BASELINE = process.env.REDIS_BENCH_BASELINE ? path.resolve(process.env.REDIS_BENCH_BASELINE) : null;

if (spawnSync('redis-server', ['--version']).error) {
  console.log('\nRedis: skipped (redis-server is not installed; `apt-get install redis-server`).');
  process.exit(0);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'hookscope-bench-redis-'));
const bodyFile = path.join(tmp, 'body.json');
writeFileSync(bodyFile, padded(KREA_EXAMPLE, 1024));

function startRedis(fsync) {
  return startRedisServer(mkdtempSync(path.join(tmp, `redis-${fsync}-`)), fsync);
}

async function startHookscope(redisUrl, codeRoot) {
  const server = await startProcess(
    process.execPath,
    ['bin/hookscope.mjs', '--port', '0', '--redis-url', redisUrl, '--max-requests-per-bin', String(KEPT)],
    /listening on (http:\/\/\S+)/,
    codeRoot ?? root,
  );
  server.child.stdout.resume();
  return server;
}

function load(url, connections, amount = 0) {
  return runLoad(url, { connections, duration: DURATION, amount, bodyFile });
}

/** Loads every instance at once, each from its own generator; sums throughput, keeps the worst latency. */
async function measure(setup) {
  const pids = [setup.redis?.child.pid, ...setup.instances.map((i) => i.child.pid)];
  const before = pids.map((pid) => (pid ? cpuSeconds(pid) : 0));
  const results = await Promise.all(setup.instances.map((i) => load(i.captureUrl, CONNECTIONS / setup.instances.length)));
  const after = pids.map((pid) => (pid ? cpuSeconds(pid) : 0));
  const total = results.reduce((n, r) => n + r.total, 0);
  return {
    loadCpuPerKReq: (results.reduce((n, r) => n + r.loadCpuSec, 0) / total) * 1000,
    rps: results.reduce((n, r) => n + r.requestsPerSec, 0),
    p50: Math.max(...results.map((r) => r.p50)),
    p99: Math.max(...results.map((r) => r.p99)),
    non2xx: results.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0),
    redisCpuPerKReq: ((after[0] - before[0]) / total) * 1000,
    hookscopeCpuPerKReq: ((after.slice(1).reduce((n, c) => n + c, 0) - before.slice(1).reduce((n, c) => n + c, 0)) / total) * 1000,
  };
}

async function deploy(fsync, instanceCount, codeRoot = root) {
  const redis = await startRedis(fsync);
  const instances = [];
  for (let i = 0; i < instanceCount; i++) instances.push(await startHookscope(redis.url, codeRoot));
  const bin = await (
    await fetch(`${instances[0].url}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"bench"}' })
  ).json();
  for (const instance of instances) instance.captureUrl = `${instance.url}/h/${bin.id}/webhooks/krea`;
  await load(instances[0].captureUrl, CONNECTIONS, KEPT); // prefill to the cap: every capture then evicts one
  return { redis, instances };
}

/** The bare node:http server: the least any capture server must do (no Redis). */
async function deployBare() {
  const bare = await startProcess(process.execPath, ['bench/bare-server.mjs'], /listening on (http:\/\/\S+)/, root);
  bare.child.stdout.resume();
  return { redis: null, instances: [{ ...bare, captureUrl: `${bare.url}/h/bench` }] };
}

try {
  const setups = {
    bare: await deployBare(),
    always1: await deploy('always', 1),
    always2: await deploy('always', 2),
    everysec1: await deploy('everysec', 1),
    ...(BASELINE ? { baseline1: await deploy('always', 1, BASELINE) } : {}),
  };
  const runs = Object.fromEntries(Object.keys(setups).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    console.log(`redis round ${round + 1}/${ROUNDS}…`);
    for (const name of Object.keys(runs)) runs[name].push(await measure(setups[name])); // interleaved, as in run.mjs
  }
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const summary = (rs) =>
    Object.fromEntries(Object.keys(rs[0]).map((k) => [k, k === 'non2xx' ? rs.reduce((n, r) => n + r[k], 0) : median(rs.map((r) => r[k]))]));
  const bare = summary(runs.bare);
  const row = (name, s, redis = true) =>
    `| ${name} | ${Math.round(s.rps)} | ${(s.rps / bare.rps).toFixed(2)} | ${s.p50} | ${s.p99} | ${s.hookscopeCpuPerKReq.toFixed(3)} | ${redis ? s.redisCpuPerKReq.toFixed(3) : '–'} | ${s.loadCpuPerKReq.toFixed(3)} | ${s.non2xx} |`;
  console.log(
    [
      '',
      `Redis: same load (1 KB Krea-job POSTs, ${CONNECTIONS} connections in all, ${DURATION} s per run, median of ${ROUNDS} interleaved rounds), bins prefilled to ${KEPT} kept (every capture evicts one); redis-server ${
        spawnSync('redis-server', ['--version'])
          .stdout.toString()
          .match(/v=(\S+)/)?.[1]
      } with AOF, on this machine.`,
      '',
      '| scenario | req/s (sum) | ÷ bare | p50 ms | p99 ms | server CPU s / 1k req (all instances) | redis CPU s / 1k req | load generator CPU s / 1k req | non-2xx/errors |',
      '|---|---|---|---|---|---|---|---|---|',
      row('bare node:http (reads body, answers 200)', bare, false),
      row('1 instance, appendfsync always (2xx = on disk)', summary(runs.always1)),
      row('2 instances, one Redis, appendfsync always', summary(runs.always2)),
      row('1 instance, appendfsync everysec (may lose 1 s)', summary(runs.everysec1)),
      ...(BASELINE ? [row(`baseline (${BASELINE}), 1 instance, appendfsync always`, summary(runs.baseline1))] : []),
    ].join('\n'),
  );
  for (const setup of Object.values(setups)) for (const p of [...setup.instances.map((i) => i.child), setup.redis?.child].filter(Boolean)) await stop(p);
  if (process.env.REDIS_SCALE !== '0') {
    const { runRedisScaleBench } = await import('./redis-scale.mjs');
    console.log('\nRedis at scale (bench/redis-scale.mjs; REDIS_SCALE=0 skips it):');
    console.log(JSON.stringify(await runRedisScaleBench(), null, 2));
  }
} finally {
  killAll();
  rmSync(tmp, { recursive: true, force: true });
}
