import type { SkippedCheck } from '../../shared/checks/types.js';

/**
 * Thrown from inside the checks when the payload part cannot finish (a recursive schema that
 * overflows the stack on a deep payload): the caller records the request with `skipped` instead.
 */
export class CheckSkippedError extends Error {
  constructor(readonly skipped: SkippedCheck) {
    super(skipped.message);
    this.name = 'CheckSkippedError';
  }
}

export function skippedCheck(reason: SkippedCheck['reason'], why: string): SkippedCheck {
  const label = reason === 'too_deep' ? 'too deeply nested' : reason === 'too_large' ? 'too large' : reason === 'too_slow' ? 'too slow' : 'failed';
  return { reason, message: `check skipped: ${label} (${why}). The request is stored as it arrived.` };
}

/** A stack overflow (V8's RangeError), the one exception a deep payload can cause in ajv. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}
