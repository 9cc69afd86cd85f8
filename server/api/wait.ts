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
    // With a cursor, the answer always comes from the store (the first stored request newer than
    // it), so an event that overtakes the initial look-up cannot make us skip an older one.
    const lookUp = () => deps.store.requestsAfter(binId, afterId, 1).then(([first]) => first && finish(first), reject);
    const unsubscribe = deps.bus.subscribe(binId, (event) => {
      if (event.type !== 'request.created') return;
      if (afterId === null) finish(event.record);
      else void lookUp();
    });
    const timer = setTimeout(() => finish(null), timeoutMs);
    res.on('close', onClose);
    if (afterId !== null) void deps.bus.ready(binId).then(lookUp, reject); // a shared bus listens before the first look-up
  });
}
