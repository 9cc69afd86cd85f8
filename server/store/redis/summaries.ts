import type { RequestSummary } from '../../../shared/api-types.js';
import type { StoredRequest, SummaryPage } from '../types.js';
import { toSummary } from '../../views/request-view.js';

/**
 * Records whose stored JSON has at least this many characters get their summary kept beside
 * them. Below it a page reads the record as fast as a summary (50 requests of 1 KB: 1.8 ms
 * either way, measured with bench/redis-scale.mjs), and a summary would cost a quarter more
 * Redis memory per request; above it, bodies make the difference (50 of 60 KB: 16 ms vs 1.7 ms).
 */
export const SUMMARY_FROM = 4096;

/**
 * The summary kept beside a record whose stored JSON is `storedJson`: without id and binId,
 * which the keys carry (an id can change on storing); '' for a record too small to need one.
 */
export function keptSummary(record: StoredRequest, storedJson: string): string {
  if (storedJson.length < SUMMARY_FROM) return '';
  const { id: _id, binId: _binId, ...rest } = toSummary(record);
  return JSON.stringify(rest);
}

/**
 * The page from READ_SUMMARIES' reply ([id, summary JSON, record JSON, …], limit + 1 entries
 * asked for): a request without a kept summary (a small one, or one stored by an earlier
 * version) is summarised from its record.
 */
export function summaryPage(binId: string, flat: (string | null)[], limit: number, toRecord: (id: string, json: string) => StoredRequest): SummaryPage {
  const found: RequestSummary[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) {
    const [id, summary, record] = [flat[i]!, flat[i + 1], flat[i + 2]];
    if (summary) found.push({ id, binId, ...(JSON.parse(summary) as Omit<RequestSummary, 'id' | 'binId'>) });
    else if (record) found.push(toSummary(toRecord(id, record)));
  }
  const summaries = found.slice(0, limit);
  return { summaries, nextBefore: found.length > limit && summaries.length > 0 ? summaries[summaries.length - 1]!.id : null };
}
