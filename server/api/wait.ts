import type { ServerResponse } from 'node:http';
import { follow } from '../live/follow.js';
import type { StoredRequest } from '../store/types.js';
import type { ApiDeps } from './deps.js';

/** Events a wait may hold before its one answer; it takes the first request, so few ever wait. */
const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

/**
 * Long-poll for CI: resolves with the first request newer than `afterId` (or, without one, the
 * first request that arrives from now on), or null after `timeoutMs` or when the caller hangs up
 * (seen on the response: a request's own close event fires once its body is read). Rejects when
 * the store cannot be read (StoreUnavailableError: a 503).
 * It follows the bin (live/follow.ts), so a request landing between the look-up and the
 * subscription is not missed, and the answer is the oldest such request, not the first event.
 */
export function waitForRequest(deps: ApiDeps, binId: string, afterId: string | null, timeoutMs: number, res: ServerResponse): Promise<StoredRequest | null> {
  return new Promise((resolve, reject) => {
    const finish = (value: StoredRequest | null) => {
      following.stop();
      clearTimeout(timer);
      res.off('close', onClose);
      resolve(value);
    };
    const onClose = () => finish(null);
    const following = follow({
      store: deps.store,
      bus: deps.bus,
      binId,
      after: afterId,
      pageSize: 1, // only the first is wanted
      maxQueuedBytes: MAX_QUEUED_BYTES,
      deliver: (event) => {
        if (event.type === 'request.created') finish(event.record);
      },
    });
    const timer = setTimeout(() => finish(null), timeoutMs);
    res.on('close', onClose);
    void following.ended.then((end) => {
      if (end.reason === 'failed') reject(end.error);
      finish(null); // a no-op once settled
    });
  });
}
