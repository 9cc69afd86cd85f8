import type { ServerResponse } from 'node:http';
import type { ExpectedWaitResult } from '../../shared/api-types.js';
import { expectedStates } from '../checks/expected-deadlines.js';
import type { ApiDeps } from './deps.js';

/** How often the states are read again while waiting (the deadline sweep runs every second too). */
const POLL_MS = 250;

/**
 * Long-poll for CI: resolves when every expected id of the bin arrived or any is overdue, or after
 * `timeoutMs` (or when the caller hangs up) with the states as they stand. A bin without expected
 * ids has nothing to wait for: 'arrived' at once.
 */
export async function waitForExpected(deps: ApiDeps, binId: string, timeoutMs: number, res: ServerResponse): Promise<ExpectedWaitResult> {
  const end = Date.now() + timeoutMs;
  let closed = false;
  const onClose = () => (closed = true);
  res.on('close', onClose);
  try {
    for (;;) {
      const bin = deps.store.getBin(binId);
      const expected = bin ? await expectedStates(deps.store, bin, deps.now()) : [];
      if (expected.some((e) => e.state === 'overdue')) return { outcome: 'overdue', expected };
      if (expected.every((e) => e.state === 'arrived')) return { outcome: 'arrived', expected };
      if (closed || Date.now() >= end) return { outcome: 'timeout', expected };
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, Math.max(0, end - Date.now()))));
    }
  } finally {
    res.off('close', onClose);
  }
}
