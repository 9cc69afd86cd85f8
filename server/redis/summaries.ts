import type { RequestSummary } from '../../shared/api-types.js';
import type { StoredRequest, SummaryPage } from '../store/types.js';
import { toSummary } from '../views/request-view.js';

/** A request's summary as stored beside its record: without id and binId, which the keys carry (an id can change on storing). */
export function summaryJson(record: StoredRequest): string {
  const { id: _id, binId: _binId, ...rest } = toSummary(record);
  return JSON.stringify(rest);
}

/**
 * The page from READ_SUMMARIES' reply ([id, summary JSON, record JSON, …], limit + 1 entries
 * asked for): a request stored by an earlier version has no summary, and gets one from its record.
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
