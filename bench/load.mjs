// The load generator, in its own process: runs autocannon against one URL and prints one JSON
// line with the results and this process's own CPU time (what the generator itself costs).
import autocannon from 'autocannon';

const [url, connections, duration, amount, bodyFile] = process.argv.slice(2);
const { readFileSync } = await import('node:fs');
const body = readFileSync(bodyFile);
const started = process.cpuUsage();
const result = await autocannon({
  url,
  method: 'POST',
  connections: Number(connections),
  ...(Number(amount) > 0 ? { amount: Number(amount) } : { duration: Number(duration) }),
  headers: { 'content-type': 'application/json' },
  body,
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
