// `node bench/event-loop.mjs [dist/server/app.js]`: how long single hostile requests and settings
// hold the server's event loop (issue 11, item 8). The server (the built one; build first) runs
// in a child process that measures its own event loop with perf_hooks.monitorEventLoopDelay
// (10 ms resolution); this process sends one scenario at a time to 127.0.0.1 and asks the child
// for the longest delay seen during it. Bounded: a fixed list of scenarios, each a few requests.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { KREA_EXAMPLE } from '../test/fixtures/payloads/krea-example.mjs';
import { bigSchema } from '../test/helpers/big-schema.mjs';

const here = fileURLToPath(import.meta.url);
const appModule = path.resolve(process.argv[2] ?? path.join(path.dirname(here), '..', 'dist', 'server', 'app.js'));

if (process.env.HOOKSCOPE_BENCH_CHILD === '1') await serve();
else await measure();

/** The child: the server under test, and its event-loop monitor, driven over IPC. */
async function serve() {
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const { createServer } = await import(pathToFileURL(appModule).href);
  const { DEFAULTS } = await import(pathToFileURL(path.join(path.dirname(appModule), 'config.js')).href);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hookscope-loop-'));
  const server = await createServer(Object.freeze({ ...DEFAULTS, port: 0, host: '127.0.0.1', dataDir }));
  const url = await server.listen();
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  process.on('message', async (message) => {
    if (message === 'reset') {
      histogram.reset();
      process.send({ reset: true });
    } else if (message === 'read') {
      // A block that just ended is recorded when the monitor's next tick runs late: let it run.
      await new Promise((resolve) => setTimeout(resolve, 50));
      process.send({ maxMs: histogram.max / 1e6, p99Ms: histogram.percentile(99) / 1e6 });
    } else if (message === 'stop') {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0)); // the parent is gone
  process.send({ url });
}

/** The parent: one scenario at a time, each between a reset and a read of the child's histogram. */
async function measure() {
  const child = fork(here, [appModule], { env: { ...process.env, HOOKSCOPE_BENCH_CHILD: '1' } });
  const replies = [];
  let wake = null;
  child.on('message', (m) => {
    replies.push(m);
    wake?.();
  });
  const next = async () => {
    while (replies.length === 0) await new Promise((resolve) => (wake = resolve));
    return replies.shift();
  };
  const { url } = await next();
  const post = async (p, body, type = 'application/json') => {
    const res = await fetch(`${url}${p}`, { method: 'POST', headers: { 'content-type': type }, body });
    return { status: res.status, body: await res.json().catch(() => null) };
  };
  const bin = async (settings = {}) => (await post('/api/bins', JSON.stringify(settings))).body;
  const rows = [];
  const scenario = async (name, run) => {
    child.send('reset');
    await next();
    const started = performance.now();
    const note = await run().catch((error) => `failed: ${error.cause?.message ?? error.message}`);
    const wallMs = performance.now() - started;
    child.send('read');
    const { maxMs, p99Ms } = await next();
    rows.push({ name, maxMs, p99Ms, wallMs, note });
    console.error(`${name}: max ${maxMs.toFixed(0)} ms, p99 ${p99Ms.toFixed(0)} ms (wall ${wallMs.toFixed(0)} ms) ${note ?? ''}`);
  };

  const krea = JSON.stringify(KREA_EXAMPLE);
  const plain = await bin();
  await scenario('200 Krea jobs of 1 KB, built-in checks (baseline)', async () => {
    for (let i = 0; i < 200; i++) await post(`/h/${plain.id}`, krea);
  });

  const uniqueBin = await bin({ schema: { custom: { type: 'array', uniqueItems: true } } });
  const manyObjects = JSON.stringify(Array.from({ length: 5000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'] })));
  await scenario(`custom schema, uniqueItems over 5,000 objects (${kb(manyObjects)})`, async () => {
    const res = await post(`/h/${uniqueBin.id}`, manyObjects);
    return `status ${res.status}`;
  });

  const keys = `{${Array.from({ length: 1_000_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`;
  await scenario(`JSON body with 1e6 keys (${kb(keys)}), schema auto`, async () => {
    const res = await post(`/h/${plain.id}`, keys);
    return `status ${res.status}`;
  });
  await scenario('  …its request detail and NDJSON export', async () => {
    const list = await (await fetch(`${url}/api/bins/${plain.id}/requests?limit=1`)).json();
    const detail = await fetch(`${url}/api/bins/${plain.id}/requests/${list.requests[0].id}`);
    await detail.arrayBuffer();
    const ndjson = await fetch(`${url}/api/bins/${plain.id}/export?format=ndjson`);
    await ndjson.arrayBuffer();
    return `statuses ${detail.status}, ${ndjson.status}`;
  });

  const failing = (n) => JSON.stringify({ ...KREA_EXAMPLE, result: { urls: Array(n).fill(1) } });
  for (const n of [8_000, 120_000]) {
    const text = failing(n);
    await scenario(`Krea job of ${kb(text)} whose ${n.toLocaleString('en')} result.urls all fail the schema`, async () => {
      const res = await post(`/h/${plain.id}`, text);
      return `status ${res.status}`;
    });
  }

  const schema = bigSchema(150);
  await scenario(`saving a custom schema of ${kb(JSON.stringify(schema))}`, async () => {
    const created = await post('/api/bins', JSON.stringify({ schema: { custom: schema } }));
    globalThis.bigBin = created.body;
    return `status ${created.status}`;
  });
  await scenario('  …then the first capture to it', async () => {
    const res = await post(`/h/${globalThis.bigBin.id}`, JSON.stringify({ field1: { a: 'x1abc' } }));
    return `status ${res.status}`;
  });

  const rotation = [];
  await scenario('70 bins, each saved with its own custom schema', async () => {
    for (let i = 0; i < 70; i++) rotation.push(await bin({ schema: { custom: { type: 'object', properties: { n: { const: i } }, required: ['n'] } } }));
  });
  await scenario('  …then 3 rounds of captures across the 70', async () => {
    for (let round = 0; round < 3; round++) for (const [i, b] of rotation.entries()) await post(`/h/${b.id}`, JSON.stringify({ n: i }));
  });

  const deep = '['.repeat(8000) + ']'.repeat(8000);
  await scenario('16 KB of JSON nested 8000 deep: capture, detail, export', async () => {
    const { body } = await post(`/h/${plain.id}`, deep);
    const detail = await fetch(`${url}/api/bins/${plain.id}/requests/${body.id}`);
    await detail.arrayBuffer();
    const ndjson = await fetch(`${url}/api/bins/${plain.id}/export?format=ndjson`);
    await ndjson.arrayBuffer();
    return `statuses ${detail.status}, ${ndjson.status}`;
  });

  const recursive = { $defs: { n: { anyOf: [{ type: 'number' }, { type: 'object', additionalProperties: { $ref: '#/$defs/n' } }] } }, $ref: '#/$defs/n' };
  const recursiveBin = await bin({ schema: { custom: recursive } });
  await scenario('recursive custom schema, payload nested 250 deep', async () => {
    const res = await post(`/h/${recursiveBin.id}`, '{"a":'.repeat(250) + '1' + '}'.repeat(250));
    return `status ${res.status}`;
  });

  child.send('stop');
  console.log('| scenario | longest event-loop delay (ms) | p99 (ms) | wall time (ms) |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.maxMs.toFixed(0)} | ${r.p99Ms.toFixed(0)} | ${r.wallMs.toFixed(0)} |`);
}

function kb(text) {
  return `${Math.round(Buffer.byteLength(text) / 1024)} KB`;
}
