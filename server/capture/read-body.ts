import type { IncomingMessage } from 'node:http';
import type { BodyBudget } from './body-budget.js';

export type BodyReadResult =
  /** `reserved`: bytes taken from the budget for this body; the caller releases them once it is done with the body. */
  { ok: true; body: Buffer; reserved: number } | { ok: false; reason: BodyReadFailure; received: number };

/**
 * too_large: over the size limit; busy: the in-flight budget has no room for it; idle: nothing
 * arrived for the idle timeout; aborted: the sender went away first.
 */
export type BodyReadFailure = 'too_large' | 'busy' | 'idle' | 'aborted';

export interface BodyReadOptions {
  /** Memory shared by every body in flight (capture only); none = not counted. */
  budget?: BodyBudget;
  /** A body that sends nothing for this long is given up (ms); none = no idle limit. */
  idleTimeoutMs?: number;
}

/** Declared bodies at least this large are read straight into one buffer of their size (no second copy). */
const PREALLOCATE_FROM = 64 * 1024;

/**
 * Reads a request body, stopping as soon as it exceeds `limit` bytes, no longer fits the budget,
 * or stalls: what came so far is dropped and the rest is never buffered (the caller answers and
 * closes the connection). A declared Content-Length over the limit or over the budget's room is
 * refused before reading anything. On failure nothing stays reserved.
 */
export function readBodyWithLimit(req: IncomingMessage, limit: number, options: BodyReadOptions = {}): Promise<BodyReadResult> {
  const { budget, idleTimeoutMs } = options;
  const declared = Number(req.headers['content-length']);
  const hasLength = req.headers['content-length'] !== undefined && Number.isSafeInteger(declared) && declared >= 0;
  if (hasLength && declared > limit) return Promise.resolve({ ok: false, reason: 'too_large', received: 0 });
  let reserved = 0;
  if (budget && hasLength) {
    if (!budget.tryReserve(declared)) return Promise.resolve({ ok: false, reason: 'busy', received: 0 });
    reserved = declared;
  }
  return new Promise((resolve) => {
    // Node's parser ends the body at Content-Length exactly, so a declared large body fits one buffer.
    const whole = hasLength && declared >= PREALLOCATE_FROM ? Buffer.allocUnsafeSlow(declared) : null;
    const chunks: Buffer[] = [];
    let received = 0;
    let idleTimer: NodeJS.Timeout | null = null;
    const armIdleTimer = () => {
      if (idleTimeoutMs === undefined) return;
      if (idleTimer) idleTimer.refresh();
      else idleTimer = setTimeout(() => fail('idle'), idleTimeoutMs);
    };
    const finish = (result: BodyReadResult) => {
      if (idleTimer) clearTimeout(idleTimer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onAborted);
      req.off('error', onAborted);
      resolve(result);
    };
    const fail = (reason: BodyReadFailure) => {
      chunks.length = 0;
      budget?.release(reserved);
      req.pause();
      finish({ ok: false, reason, received });
    };
    const onData = (chunk: Buffer) => {
      armIdleTimer();
      if (received + chunk.length > limit) {
        received += chunk.length;
        return fail('too_large');
      }
      if (budget && !hasLength) {
        if (!budget.tryReserve(chunk.length)) return fail('busy');
        reserved += chunk.length;
      }
      if (whole) chunk.copy(whole, received);
      else chunks.push(chunk);
      received += chunk.length;
    };
    const onEnd = () => {
      const body = whole ? whole.subarray(0, received) : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
      finish({ ok: true, body, reserved });
    };
    const onAborted = () => fail('aborted');
    armIdleTimer();
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onAborted);
    req.on('error', onAborted);
  });
}
