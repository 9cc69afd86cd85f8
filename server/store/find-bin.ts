import { isBinId } from '../../shared/ids.js';
import type { Store, StoredBin } from './types.js';

/**
 * The bin with this id, or undefined when there is none or `binId` is not a bin id at all (it is
 * validated here, so callers may pass what a URL held). Reads this instance's copy of the bins
 * and, on a miss, the store itself (Store.refreshBin): with a store shared by several instances,
 * another one may have created the bin a moment ago. Rejects only when the store cannot be read
 * (StoreUnavailableError).
 */
export async function findBin(store: Store, binId: string | null | undefined): Promise<StoredBin | undefined> {
  return knownBin(store, binId) ?? (isBinId(binId) ? await store.refreshBin?.(binId) : undefined);
}

/** The bin when this instance knows it, without waiting (the capture's hot path); undefined otherwise, also for what is not a bin id. */
export function knownBin(store: Store, binId: string | null | undefined): StoredBin | undefined {
  return isBinId(binId) ? store.getBin(binId) : undefined;
}
