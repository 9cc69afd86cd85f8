import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { DeliveryCancelled, DeliveryTimeout, describeDeliveryError, formatBytes } from './errors.js';
import { toPairs, type HeaderPairs } from './headers.js';
import { decideTarget, type TargetRules } from './policy.js';

/** Responses are kept up to this size; the rest is counted and dropped. */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface OutboundRequest {
  /** The target: its protocol, host and port are used (the path comes from `path`). */
  url: URL;
  /** Path and query exactly as they go on the wire (not normalised). */
  path: string;
  method: string;
  /** Flat [name, value, …], already prepared (see requestHeaders): sent in this order and case. */
  headers: string[];
  body: Buffer;
  /** For the whole exchange: DNS, connect, request, response body. */
  timeoutMs: number;
  maxResponseBytes?: number;
  /** Aborting it cancels the delivery (used when the server stops). */
  signal?: AbortSignal;
}

export interface OutboundResponse {
  status: number;
  headers: HeaderPairs;
  /** At most maxResponseBytes. */
  body: Buffer;
  /** Every body byte received, kept or not. */
  size: number;
  /** Set when the body was cut: "target answered with more than 1 MB; kept the first 1 MB". */
  warning?: string;
}

/**
 * What became of a delivery; never throws. `refused`: the target policy refused every address
 * the host resolved to, and no connection was made. `failed`: no response (a readable `error`).
 */
export type OutboundResult =
  | { kind: 'response'; response: OutboundResponse; durationMs: number }
  | { kind: 'failed'; error: string; durationMs: number }
  | { kind: 'refused'; address: string; reason: string; durationMs: number };

/**
 * Sends one request with node:http(s) (not fetch, which rewrites and forbids headers): resolves
 * the host, lets the target policy judge the addresses, then connects only to an allowed one.
 */
export async function sendOutbound(request: OutboundRequest, rules: TargetRules): Promise<OutboundResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const hostPort = `${request.url.hostname}:${request.url.port || (request.url.protocol === 'https:' ? 443 : 80)}`;
  const deadline = startDeadline(request.timeoutMs, request.signal);
  try {
    const addresses = await Promise.race([resolveHost(request.url.hostname), deadline.expired]);
    const decision = decideTarget(
      addresses.map((a) => a.address),
      rules,
      request.url.hostname,
    );
    if (!decision.allowed) return { kind: 'refused', address: decision.address, reason: decision.reason, durationMs: elapsed() };
    const allowed = addresses.filter((a) => decision.addresses.includes(a.address));
    const response = await Promise.race([exchange(request, allowed, deadline.signal), deadline.expired]);
    return { kind: 'response', response, durationMs: elapsed() };
  } catch (error) {
    return { kind: 'failed', error: describeDeliveryError(error, hostPort), durationMs: elapsed() };
  } finally {
    deadline.clear();
  }
}

export interface Address {
  address: string;
  family: number;
}

/** The host's addresses (an address literal is its own); rejects with the resolver's error. */
export async function resolveHost(hostname: string): Promise<Address[]> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family !== 0) return [{ address: bare, family }];
  return dnsLookup(bare, { all: true });
}

/**
 * A lookup that answers with the addresses already judged, so the connection goes to one of
 * them and never to whatever a second DNS answer would say.
 */
function fixedLookup(addresses: Address[]): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  }) as LookupFunction;
}

function exchange(request: OutboundRequest, addresses: Address[], signal: AbortSignal): Promise<OutboundResponse> {
  const client = request.url.protocol === 'https:' ? https : http;
  const limit = request.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  return new Promise((resolve, reject) => {
    const req = client.request(
      {
        protocol: request.url.protocol,
        host: request.url.hostname.replace(/^\[|\]$/g, ''),
        port: request.url.port || undefined,
        method: request.method,
        path: request.path,
        headers: request.headers as unknown as http.OutgoingHttpHeaders, // an array keeps order and case
        lookup: fixedLookup(addresses),
        agent: false,
        signal,
      },
      (res) => {
        readBounded(res, limit).then(resolve, reject);
      },
    );
    req.on('error', (error) => reject(signal.aborted ? signal.reason : error));
    req.end(request.body);
  });
}

/** Reads a response, keeping the first `limit` bytes and counting the rest. */
function readBounded(res: http.IncomingMessage, limit: number): Promise<OutboundResponse> {
  return new Promise((resolve, reject) => {
    const kept: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      if (size < limit) kept.push(size + chunk.length > limit ? chunk.subarray(0, limit - size) : chunk);
      size += chunk.length;
    });
    res.on('error', reject);
    res.on('end', () => {
      const response: OutboundResponse = { status: res.statusCode ?? 0, headers: toPairs(res.rawHeaders), body: Buffer.concat(kept), size };
      if (size > limit) response.warning = `target answered with more than ${formatBytes(limit)}; kept the first ${formatBytes(limit)}`;
      resolve(response);
    });
  });
}

/** One timer for the whole delivery; also ends it when the caller's signal aborts. */
function startDeadline(timeoutMs: number, outer: AbortSignal | undefined) {
  const controller = new AbortController();
  let fail: (error: Error) => void = () => undefined;
  const expired = new Promise<never>((_, reject) => (fail = reject));
  expired.catch(() => undefined); // only ever observed through Promise.race
  const end = (error: Error) => {
    fail(error);
    controller.abort(error);
  };
  const timer = setTimeout(() => end(new DeliveryTimeout(timeoutMs)), timeoutMs);
  const onAbort = () => end(new DeliveryCancelled());
  if (outer?.aborted) onAbort();
  outer?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    expired,
    clear: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}
