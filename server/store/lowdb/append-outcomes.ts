import type { Appended } from '../types.js';

/**
 * What each append of a group commit evicted (Store.appendRequest), as if the batch had been
 * stored one request after the other: the bin held `before` requests (`idAt(k)`, oldest first, is
 * the k-th of those followed by the batch's), the batch adds `batchSize`, the cap is `cap`.
 * `carried` evictions (a lowered cap applied when the bin was opened) are reported with the first.
 * A request of a batch larger than the cap may be evicted by a later one of the same batch.
 */
export function appendOutcomes(before: number, batchSize: number, cap: number, idAt: (k: number) => string, carried: number): Appended[] {
  const outcomes: Appended[] = [];
  let gone = 0; // evicted so far, all of them older than what is kept
  for (let i = 0; i < batchSize; i++) {
    const held = before + i + 1;
    const goneNow = Math.max(0, held - cap);
    outcomes.push({
      evicted: goneNow - gone + (i === 0 ? carried : 0),
      atCap: held >= cap ? { oldestKept: idAt(goneNow), limit: cap } : null,
    });
    gone = goneNow;
  }
  return outcomes;
}
