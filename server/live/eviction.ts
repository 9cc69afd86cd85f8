import type { Store } from '../store/types.js';
import type { LiveBus } from './bus.js';

/**
 * After a capture: when the bin is at its request limit (so storing it evicted the oldest),
 * tells live listeners which request is now the oldest kept (`requests.evicted`), so lists drop
 * what the store dropped. Costs a count per capture and one more read only at the limit. Never
 * rejects: a failure only means lists keep a stale row until they reload.
 */
export async function announceEviction(store: Store, bus: LiveBus, binId: string, limit: number): Promise<void> {
  try {
    if ((await store.requestCount(binId)) < limit) return;
    const [oldest] = await store.requestsAfter(binId, null, 1);
    if (oldest) bus.publish(binId, { type: 'requests.evicted', binId, oldestKept: oldest.id, limit });
  } catch (error) {
    console.error(`hookscope: could not announce evictions of bin ${binId}`, error);
  }
}
