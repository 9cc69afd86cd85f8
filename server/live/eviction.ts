import type { Appended } from '../store/types.js';
import type { BinEvent } from './bus.js';

/**
 * The live notice of an append at the bin's cap (`requests.evicted`), made from what the store
 * reported (Store.appendRequest), so announcing it costs no count and no read: which request is
 * now the oldest kept, so lists drop what the store dropped and say the bin is at its limit.
 * Null below the cap. It goes right after the append's request.created (on Redis the store's
 * script publishes both, in that order, and the bus leaves them to it).
 */
export function evictionNotice(binId: string, appended: Appended): BinEvent | null {
  return appended.atCap ? { type: 'requests.evicted', binId, ...appended.atCap } : null;
}
