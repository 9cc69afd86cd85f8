import type { ServerResponse } from 'node:http';
import type { StoredRequest } from '../store/types.js';
import type { ApiDeps } from './deps.js';

/**
 * Long-poll for CI: resolves with the first request newer than `afterId` (or, without one, the
 * first request that arrives from now on), or null after `timeoutMs` or when the caller hangs up (seen on the response: a request's own close event fires once its body is read).
 * It subscribes before looking at what is stored, so a request landing in between is not missed.
 */
export function waitForRequest(deps: ApiDeps, binId: string, afterId: string | null, timeoutMs: number, res: ServerResponse): Promise<StoredRequest | null> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (value: StoredRequest | null) => {
      if (settled) return;
      settled = true;
      unsubscribe();
      clearTimeout(timer);
      res.off('close', onClose);
      resolve(value);
    };
    const onClose = () => finish(null);
    const unsubscribe = deps.bus.subscribe(binId, (message) => {
      if (message.type !== 'request.created' || (afterId !== null && message.request.id <= afterId)) return;
      deps.store.getRequest(binId, message.request.id).then((record) => record && finish(record), reject);
    });
    const timer = setTimeout(() => finish(null), timeoutMs);
    res.on('close', onClose);
    if (afterId !== null) {
      deps.store.requestsAfter(binId, afterId, 1).then(([first]) => first && finish(first), reject);
    }
  });
}
