import type { RetrySetting } from '../../shared/api-types.js';

/**
 * How each real sender delivers a webhook (../shared/reference/payloads.md): headers, retries
 * and timeouts. The simulator reproduces these so a receiver can be tested against them.
 */
export interface SenderProfile {
  name: string;
  /** Headers in the order the sender writes them (host and content-length are added on the wire). */
  headers: [string, string][];
  retry: RetrySetting;
  /** Connect and read timeouts, milliseconds. */
  connectTimeoutMs: number;
  readTimeoutMs: number;
}

/** LangGraph's Python server: httpx, JSON, 3 tries with jittered exponential back-off, 5 s / 30 s timeouts. */
export const LANGGRAPH_PYTHON: SenderProfile = {
  name: 'LangGraph Python server (httpx)',
  headers: [
    ['accept', '*/*'],
    ['accept-encoding', 'gzip, deflate'],
    ['connection', 'keep-alive'],
    ['user-agent', 'python-httpx/0.28.1'],
    ['content-type', 'application/json'],
  ],
  retry: { attempts: 3, baseDelayMs: 1000, maxDelayMs: 10_000 },
  connectTimeoutMs: 5_000,
  readTimeoutMs: 30_000,
};

/** LangGraph's JS dev server: one bare fetch, no retries, the body as text/plain. */
export const LANGGRAPH_JS: SenderProfile = {
  name: 'LangGraph JS server (fetch)',
  headers: [
    ['content-type', 'text/plain;charset=UTF-8'],
    ['accept', '*/*'],
    ['accept-language', '*'],
    ['sec-fetch-mode', 'cors'],
    ['user-agent', 'node'],
    ['accept-encoding', 'gzip, deflate'],
  ],
  retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
  connectTimeoutMs: 10_000,
  readTimeoutMs: 300_000,
};

/** Krea: one POST with the job (no retry schedule is documented). */
export const KREA: SenderProfile = {
  name: 'Krea',
  headers: [
    ['content-type', 'application/json'],
    ['user-agent', 'Krea-Webhooks (simulated by hookscope)'],
    ['accept', '*/*'],
  ],
  retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
  connectTimeoutMs: 10_000,
  readTimeoutMs: 30_000,
};
