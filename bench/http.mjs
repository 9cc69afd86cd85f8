// HTTP from the scale benchmarks to a hookscope on 127.0.0.1: one keep-alive agent, bins made
// through the API, and captures posted many at a time.
import http from 'node:http';
import { eventBody } from './bodies.mjs';

/** How many captures fill() keeps in flight, and so the agent's sockets. */
const FILL_CONCURRENCY = 64;
const agent = new http.Agent({ keepAlive: true, maxSockets: FILL_CONCURRENCY });

/** One request (a JSON `body` when given) on the shared agent: { status, text }. Rejects on a network error only. */
export function request(url, { method = 'GET', body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method, agent, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } : headers },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Closes the agent's sockets, at the end of a run. */
export function closeAgent() {
  agent.destroy();
}

/** Creates a bin named `name` on the hookscope at `url`; resolves with it (throws unless 201). */
export async function createBin(url, name) {
  const res = await request(`${url}/api/bins`, { method: 'POST', body: JSON.stringify({ name }) });
  if (res.status !== 201) throw new Error(`create bin: ${res.status} ${res.text}`);
  return JSON.parse(res.text);
}

/**
 * Posts `total` captures of `size`-byte events spread over `bins` round-robin, FILL_CONCURRENCY
 * at a time: { perSec, failed (answers other than 200) }.
 */
export async function fill(url, bins, total, size = 1024) {
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < total) {
      const n = next++;
      const res = await request(`${url}/h/${bins[n % bins.length].id}/orders`, { method: 'POST', body: eventBody(n, size) });
      if (res.status !== 200) failed++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: FILL_CONCURRENCY }, worker));
  return { perSec: Math.round(total / ((performance.now() - started) / 1000)), failed };
}
