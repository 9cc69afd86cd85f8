// The load generator, in its own process: runs autocannon against one URL and prints one JSON
// line with the results and this process's own CPU time (what the generator itself costs).
// With UNIQUE_IDS=1, every request gets a fresh UUID in place of the body's
// 00000000-0000-4000-8000-000000000000 (real senders post each job once).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [url, connections, duration, amount, bodyFile] = process.argv.slice(2);
const body = readFileSync(bodyFile, 'utf8');
const PLACEHOLDER = '00000000-0000-4000-8000-000000000000';
const unique = process.env.UNIQUE_IDS === '1' && body.includes(PLACEHOLDER);
const started = process.cpuUsage();
const result = await autocannon({
  url,
  method: 'POST',
  connections: Number(connections),
  ...(Number(amount) > 0 ? { amount: Number(amount) } : { duration: Number(duration) }),
  headers: { 'content-type': 'application/json' },
  body,
  ...(unique ? { requests: [{ setupRequest: (request) => ({ ...request, body: body.replace(PLACEHOLDER, randomUUID()) }) }] } : {}),
});
const cpu = process.cpuUsage(started);
console.log(
  JSON.stringify({
    requestsPerSec: result.requests.average,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    durationSec: result.duration,
    loadCpuSec: (cpu.user + cpu.system) / 1e6,
  }),
);
