import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Rejection, TokenStatus } from '../../shared/api-types.js';
import { findBin, knownBin } from '../store/find-bin.js';
import { toHttpError } from '../error-mapping.js';
import { binNotFound, HttpError, sendJsonError } from '../http-error.js';
import type { LiveBus } from '../live/bus.js';
import { evictionNotice } from '../live/eviction.js';
import type { Store, StoredBin, StoredRequest } from '../store/types.js';
import { BODY_BUDGET_RETRY_AFTER_SECONDS, type BodyBudget } from './body-budget.js';
import { readBodyWithLimit, type BodyReadFailure } from './read-body.js';
import { buildRecord, parseCaptureUrl, type CaptureTarget } from './record.js';
import { checkQueryToken, checkSecretHeader } from './token.js';
import type { ResponseScript } from '../responses/script.js';
import type { CaptureLimits } from './limits.js';
import { clientAddress } from './client-address.js';
import { noteCapture } from '../access-log.js';
import { finishAnswer, NO_ANSWER, refusal, scriptView, send, waitUnlessGone, type Answer, type Plan } from './answer.js';
import { checkCapturedRequest } from '../checks/run-checks.js';
import type { AfterAnswers } from './after-answers.js';
import type { CheckPool } from '../checks/check-pool.js';
import type { InFlight } from '../in-flight.js';

export interface CaptureDeps {
  store: Store;
  /** --public-url: the origin senders use, for the kwargs.webhook check (null: the Host header). */
  publicUrl: string | null;
  bus: LiveBus;
  maxBodySize: number;
  nextRequestId: () => { id: string; time: number };
  /** Tracks captures in flight so a graceful shutdown can wait for them. */
  inFlight: InFlight;
  /** Whether requests are logged (--access-log): then a capture tells the log its sizes. */
  accessLog: boolean;
  /** Runs the live announcements once the answers are out (tracked in inFlight). */
  afterAnswers: AfterAnswers;
  /**
   * Auto-forward (server/forward/forwarder.ts): told of each accepted request once it is stored.
   * Returns true when it answers the sender itself (pass-through), false to keep `{ ok, id }`.
   */
  afterStore?: (bin: StoredBin, record: StoredRequest, body: Buffer, res: ServerResponse) => boolean;
  /** Scripted responses: how each bin's capture URL answers. */
  responses: ResponseScript;
  /** Rate limits per bin and per source address. */
  limits: CaptureLimits;
  /** --trust-proxy: the sender's address comes from X-Forwarded-For. */
  trustProxy: boolean;
  /** Worker threads for the checks that can be slow (custom schemas, large bodies). */
  checkPool: CheckPool;
  /** --max-body-memory: room shared by the bodies being received and stored. */
  bodyBudget: BodyBudget;
  /** --body-timeout: a body that sends nothing for this long is given up (ms); undefined = never. */
  bodyIdleTimeoutMs?: number;
}

/**
 * Records any request to `/h/<binId>[/…]` and answers it. Runs on the bare node:http request
 * before Koa: this is the hot path, so it does the least work that keeps every byte.
 * Returns false when the URL is not a capture URL (the caller passes it on).
 */
export function handleCapture(req: IncomingMessage, res: ServerResponse, deps: CaptureDeps): boolean {
  const target = parseCaptureUrl(req.url ?? '');
  if (!target) return false;
  const done = captureRequest(req, res, target, deps).catch((error) => {
    const known = toHttpError(error); // expected, e.g. a storage error (store unavailable: 503, Retry-After)
    if (!known) console.error('hookscope: capture failed', error);
    if (!res.headersSent) sendJsonError(res, known ?? new HttpError(500, 'store_failed', 'The request could not be stored; nothing was recorded. Retry it.'));
    else res.destroy();
  });
  deps.inFlight.track(done);
  return true;
}

async function captureRequest(req: IncomingMessage, res: ServerResponse, target: CaptureTarget, deps: CaptureDeps): Promise<void> {
  // A bin this instance knows is taken without a turn of waiting; on a miss, findBin asks the
  // store itself: with a shared store, another instance may have just created the bin.
  const bin = knownBin(deps.store, target.binId) ?? (await findBin(deps.store, target.binId));
  if (!bin) {
    req.resume(); // discard the body; nothing is recorded for an unknown bin
    sendJsonError(res, binNotFound(target.binId));
    return;
  }
  const address = clientAddress(req, deps.trustProxy);
  const admitted = deps.limits.admit(bin.id, address ?? '');
  if (!admitted.allowed) {
    req.resume(); // counted, not stored: drop the body
    const why =
      admitted.scope === 'bin'
        ? 'this bin receives more requests per second than its limit (--rate-limit)'
        : 'your address sends more requests per second than its limit (--rate-limit-per-address)';
    sendJsonError(
      res,
      new HttpError(429, 'rate_limited', `Too many requests: ${why}. Retry after ${admitted.retryAfterSeconds} s.`, {
        'retry-after': String(admitted.retryAfterSeconds),
      }),
    );
    return;
  }
  const token = checkQueryToken(bin.token, target.queryString);
  const header = checkSecretHeader(bin.secretHeader, req.headers);
  const read = await readBodyWithLimit(req, deps.maxBodySize, { budget: deps.bodyBudget, idleTimeoutMs: deps.bodyIdleTimeoutMs });
  if (!read.ok) {
    if (read.reason === 'aborted') return; // the sender went away before finishing: nothing to answer
    // Recorded without its body, so the user sees who was turned away and why.
    const rejection = bodyRejection(read.reason, deps);
    const retry: Record<string, string> = rejection.status === 503 ? { 'retry-after': String(BODY_BUDGET_RETRY_AFTER_SECONDS) } : {};
    const { answer } = await store(req, { bin, target, body: Buffer.alloc(0), token, header, plan: refusal(rejection, retry), address }, deps);
    send(res, answer);
    discardRest(req);
    return;
  }
  let reserved = read.reserved;
  const releaseBody = () => {
    deps.bodyBudget.release(reserved); // stored (or failed): its room is free again, whatever waits after
    reserved = 0;
  };
  try {
    await acceptBody(req, res, { bin, target, body: read.body, token, header, plan: null, address }, deps, releaseBody);
  } finally {
    releaseBody();
  }
}

/** Stores and answers a request whose body arrived whole; `stored` is called once it is stored. */
async function acceptBody(req: IncomingMessage, res: ServerResponse, arrival: Arrival, deps: CaptureDeps, stored: () => void): Promise<void> {
  const { bin, target, body, token, header } = arrival;
  const rejection = tokenRejection(bin, token) ?? secretHeaderRejection(bin, header);
  // A refusal always wins; in pass-through mode the target answers (afterStore); else the script.
  const passThrough = !rejection && bin.forward?.respond === 'forward';
  const plan = rejection ? refusal(rejection) : passThrough ? null : await deps.responses.choose(bin.id, bin.responses, () => scriptView(req, target, body));
  const { record, answer } = await store(req, { ...arrival, plan }, deps);
  stored();
  // Every accepted request goes to the forwarder (auto-forward); it answers only in pass-through mode.
  if (!rejection && deps.afterStore?.(bin, record, body, res)) return;
  if (answer.delayMs > 0 && !(await waitUnlessGone(res, answer.delayMs))) return;
  send(res, answer);
}

/** What store() needs to know about one arrived request. */
interface Arrival {
  bin: StoredBin;
  target: CaptureTarget;
  body: Buffer;
  token: TokenStatus;
  /** The secret header's verdict ('none' when the bin has none). */
  header: TokenStatus;
  /** How it will be answered (recorded with it); null in pass-through mode. */
  plan: Plan | null;
  /** The sender's address (see clientAddress). */
  address: string | null;
}

/**
 * Checks the request (payload, token, signature, duplicates), stores it durably, then tells
 * live listeners (right after the caller answers). Returns the stored record. A body refused as too large is not checked: it is gone.
 */
async function store(
  req: IncomingMessage,
  { bin, target, body, token, header, plan, address }: Arrival,
  deps: CaptureDeps,
): Promise<{ record: StoredRequest; answer: Answer }> {
  const { id, time } = deps.nextRequestId();
  const record = buildRecord(req, target, body, { id, receivedAt: new Date(time).toISOString(), token, remoteAddress: address });
  if (header !== 'none') record.secretHeader = header;
  const rejection = plan?.rejection;
  if (rejection) record.rejection = rejection;
  const answer = plan ? finishAnswer(plan, id, req.method === 'HEAD') : NO_ANSWER;
  if (plan) record.response = answer.recorded;
  if (!rejection || !BODYLESS_REFUSALS.has(rejection.code)) {
    const origin = deps.publicUrl ?? `http://${req.headers.host ?? 'localhost'}`;
    record.checks = await checkCapturedRequest(deps.store, deps.checkPool, { bin, record, body, origin });
  }
  const appended = await deps.store.appendRequest(record, body);
  if (deps.accessLog) noteCapture(req, record.size, record.response?.bodySize);
  // Live listeners hear of it once the sender has its answer: a publish serialises the record and
  // writes to every follower's socket, work the acknowledgement need not wait for (the caller
  // answers in this same turn, before setImmediate runs). It is durable either way. What this
  // append evicted (the store said) is announced right after it; shutdown waits for them.
  deps.afterAnswers.queue(() => {
    deps.bus.publish(record.binId, { type: 'request.created', record, body });
    const evicted = evictionNotice(record.binId, appended);
    if (evicted) deps.bus.publish(record.binId, evicted);
  });
  // A store shared by several instances may have stored it under a newer id (Store.appendRequest): answer with that.
  return { record, answer: plan && record.id !== id ? finishAnswer(plan, record.id, req.method === 'HEAD') : answer };
}

/**
 * After an early 413 the body was not read to its end, so Node closes the connection once the
 * answer is written; destroying it outright would make a client that is still uploading see a
 * connection reset instead of the 413. So linger, as nginx's lingering_close does: close our
 * side, keep reading and dropping what still arrives (nothing is buffered), and destroy the
 * socket when the client closes or after a few seconds.
 */
function discardRest(req: IncomingMessage): void {
  const socket = req.socket;
  if (!socket) return;
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  socket.destroySoon = () => {
    socket.end();
    socket.once('end', () => socket.destroy());
  };
  socket.once('close', () => clearTimeout(timer));
  req.resume();
}

const LINGER_MS = 5000;

/** Refusals decided before the body was read whole: there is no body to check. */
const BODYLESS_REFUSALS = new Set(['body_too_large', 'server_busy', 'body_timeout']);

function bodyRejection(reason: Exclude<BodyReadFailure, 'aborted'>, deps: CaptureDeps): Rejection {
  switch (reason) {
    case 'too_large':
      return {
        status: 413,
        code: 'body_too_large',
        message: `The body is larger than this server's limit of ${deps.maxBodySize} bytes; it was not stored. The limit is set with --max-body-size.`,
      };
    case 'busy':
      return {
        status: 503,
        code: 'server_busy',
        message: `This server is receiving as many bodies as its memory budget allows (--max-body-memory, ${deps.bodyBudget.maxBytes} bytes); the body was not stored. Retry after ${BODY_BUDGET_RETRY_AFTER_SECONDS} s.`,
      };
    case 'idle':
      return {
        status: 408,
        code: 'body_timeout',
        message: `No part of the body arrived for ${Math.round((deps.bodyIdleTimeoutMs ?? 0) / 1000)} s, so it was given up and not stored (--body-timeout). Send the body again.`,
      };
  }
}

function tokenRejection(bin: StoredBin, token: TokenStatus): Rejection | undefined {
  if (!bin.requireToken || token === 'valid' || token === 'none') return undefined;
  return token === 'missing'
    ? { status: 401, code: 'token_missing', message: 'This bin requires a ?token= query parameter. The request was recorded and marked.' }
    : { status: 401, code: 'token_invalid', message: "The ?token= query parameter does not match this bin's token. The request was recorded and marked." };
}

/** requireToken refuses a missing or wrong secret header the same way (same status and codes). */
function secretHeaderRejection(bin: StoredBin, header: TokenStatus): Rejection | undefined {
  if (!bin.requireToken || header === 'valid' || header === 'none') return undefined;
  const name = bin.secretHeader?.name ?? 'secret';
  return header === 'missing'
    ? { status: 401, code: 'token_missing', message: `This bin requires the ${name} header. The request was recorded and marked.` }
    : { status: 401, code: 'token_invalid', message: `The ${name} header does not match this bin's secret header. The request was recorded and marked.` };
}
