import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ForwardSetting, RetrySetting } from '../../shared/api-types.js';
import type { Config } from '../config.js';
import { errorBody, sendJson } from '../http-error.js';
import type { LiveBus } from '../live/bus.js';
import { isolatedAnswerHeaders } from '../capture/isolation.js';
import { responseHeaders, toPairs } from '../outbound/headers.js';
import type { TargetRules } from '../outbound/policy.js';
import type { Store, StoredBin, StoredRequest } from '../store/types.js';
import { recordAttempt } from '../replay/attempts.js';
import { deliver, type Delivery } from '../replay/deliver.js';
import { DEFAULT_TIMEOUT_MS, isRetryable, retryAfterMs, retryDelay, retryOf } from './settings.js';
import { targetRules } from '../outbound/target-policy.js';
import { InFlight } from '../in-flight.js';

export interface ForwarderOptions {
  /** Multiplies every retry delay: 1 in production, small in tests so back-off runs in ms. */
  timeScale: number;
  /** Jitter source (tests may fix it). */
  random: () => number;
}

export const FORWARDER_DEFAULTS: ForwarderOptions = { timeScale: 1, random: Math.random };

/**
 * Auto-forward: sends each accepted capture of a bin with a `forward` setting on to its target,
 * after it is stored, retrying like a real sender when asked; or, in pass-through mode, answers
 * the sender with the target's own response. Every try is recorded on the request.
 */
export class Forwarder {
  readonly #rules: TargetRules;
  readonly #inFlight = new InFlight();
  readonly #stopping = new AbortController();
  readonly #deps: { store: Store; bus: LiveBus; config: Config };
  readonly #options: ForwarderOptions;

  constructor(deps: { store: Store; bus: LiveBus; config: Config }, options: ForwarderOptions = FORWARDER_DEFAULTS) {
    this.#deps = deps;
    this.#options = options;
    this.#rules = targetRules(deps.config);
  }

  /**
   * The capture path's hook, called once an accepted request is durably stored. Starts the
   * forward in the background and returns false (the sender gets hookscope's answer at once),
   * or, in pass-through mode, takes over the answer and returns true.
   */
  afterStore(bin: StoredBin, record: StoredRequest, body: Buffer, res: ServerResponse): boolean {
    const setting = bin.forward;
    if (!setting || this.#stopping.signal.aborted) return false;
    const passThrough = setting.respond === 'forward';
    this.#track(passThrough ? this.#passThrough(setting, record, body, res) : this.#forward(setting, record, body));
    return passThrough;
  }

  /** Cancels pending retries and background deliveries, and waits until every attempt is recorded. */
  async close(): Promise<void> {
    this.#stopping.abort();
    await this.#inFlight.settled();
  }

  async #forward(setting: ForwardSetting, record: StoredRequest, firstBody: Buffer): Promise<void> {
    const retry = retryOf(setting);
    const signal = this.#stopping.signal;
    // Only the first try uses the body in memory; retries read it back from the store, so a target
    // that is down for minutes does not keep every capture's body in memory meanwhile.
    let body: Buffer | null = firstBody;
    for (let attempt = 1; ; attempt++) {
      body ??= await this.#deps.store.readBody(record).catch(() => null);
      if (body === null) return; // deleted or evicted while waiting: nothing left to forward
      const delivery = await this.#deliver(setting, record, body, 'forward', attempt);
      body = null;
      const { status } = delivery.attempt;
      const again = attempt < retry.attempts && delivery.result.kind !== 'refused' && isRetryable(status) && !signal.aborted;
      const delay = again ? this.#waitBeforeTry(retry, attempt + 1, delivery) : 0;
      if (again) delivery.attempt.nextTryInMs = delay;
      await recordAttempt(this.#deps, record.binId, record.id, delivery.attempt);
      if (!again) return;
      await sleep(delay * this.#options.timeScale, undefined, { signal }).catch(() => undefined);
      if (signal.aborted) return;
    }
  }

  /** The back-off, or longer when the target's Retry-After (on a 429 or 503) asks for it. */
  #waitBeforeTry(retry: RetrySetting, next: number, delivery: Delivery): number {
    const backoff = retryDelay(retry, next, this.#options.random);
    const asked = delivery.result.kind === 'response' ? retryAfterMs(delivery.result.response.headers) : null;
    return asked === null ? backoff : Math.max(backoff, asked);
  }

  async #passThrough(setting: ForwardSetting, record: StoredRequest, body: Buffer, res: ServerResponse): Promise<void> {
    const delivery = await this.#deliver(setting, record, body, 'pass-through');
    const dropped = answerSender(res, record.id, delivery);
    if (dropped.length > 0) {
      const note = `the target's Set-Cookie of hookscope's own session cookie was not passed on`;
      delivery.attempt.warning = delivery.attempt.warning ? `${delivery.attempt.warning}; ${note}` : note;
    }
    await recordAttempt(this.#deps, record.binId, record.id, delivery.attempt);
  }

  #deliver(setting: ForwardSetting, record: StoredRequest, body: Buffer, trigger: 'forward' | 'pass-through', attempt?: number): Promise<Delivery> {
    const options = {
      target: new URL(setting.target),
      trigger,
      timeoutMs: setting.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      appendPath: setting.appendPath === true,
      // A stop cancels background forwards; a pass-through runs to its end, like any capture in flight.
      ...(trigger === 'forward' ? { signal: this.#stopping.signal } : {}),
      ...(attempt !== undefined ? { try: attempt } : {}),
    };
    return deliver(record, body, options, this.#rules);
  }

  #track(work: Promise<void>): void {
    this.#inFlight.track(work.catch((error) => console.error('hookscope: forward failed', error)));
  }
}

/**
 * Pass-through: the sender gets the target's status, headers (minus connection headers) and body,
 * or a 502 JSON error saying why there is none. A body cut at 1 MB is not passed on as if whole.
 * Isolated like every capture answer (capture/isolation.ts); returns what was dropped.
 */
function answerSender(res: ServerResponse, requestId: string, { result }: Delivery): string[] {
  const idHeader = { 'x-hookscope-request-id': requestId };
  if (result.kind === 'response' && !result.response.warning) {
    const { status, headers, body } = result.response;
    const isolated = isolatedAnswerHeaders(toPairs([...responseHeaders(headers, body.length), 'X-Hookscope-Request-Id', requestId]));
    try {
      res.writeHead(status, isolated.headers);
      res.end(body);
      return isolated.dropped;
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return [];
      }
      sendJson(
        res,
        502,
        errorBody('forward_failed', `The forward target's answer could not be passed on: ${(error as Error).message}. The request was recorded.`),
        idHeader,
      );
      return [];
    }
  }
  const why =
    result.kind === 'response'
      ? `${result.response.warning}, too large to pass through`
      : result.kind === 'refused'
        ? `the target policy refused it (${result.reason}; allow it with --allow-forward-to)`
        : result.error;
  sendJson(res, 502, errorBody('forward_failed', `The forward target gave no usable answer: ${why}. The request was recorded.`), idHeader);
  return [];
}
