import { matchesFilter, multipartFileNames, type RequestFilter } from '../../shared/filter.js';
import type { RequestPageResult, Store, StoredRequest } from '../store/types.js';
import { headerMap } from '../views/multi-value.js';

const SCAN_PAGE = 200;

/**
 * A filtered page, newest first: scans the bin's requests page by page (a bin holds at most
 * --max-requests-per-bin) and keeps those matching. Bodies are searched when kept inline
 * (up to 64 KB) and valid UTF-8. `nextBefore` continues the scan where this page stopped.
 */
export async function searchRequests(store: Store, binId: string, filter: RequestFilter, limit: number, before?: string): Promise<RequestPageResult> {
  const found: RequestPageResult['records'] = [];
  const mayMatch = storedTextPrefilter(filter);
  let cursor = before;
  for (;;) {
    const page = await store.listRequests(binId, { limit: SCAN_PAGE, scan: true, ...(mayMatch ? { mayMatch } : {}), ...(cursor ? { before: cursor } : {}) });
    for (const record of page.records) {
      if (!recordMatches(record, filter)) continue;
      found.push(record);
      if (found.length === limit) return { records: found, nextBefore: record.id };
    }
    if (page.nextBefore === null) return { records: found, nextBefore: null };
    cursor = page.nextBefore;
  }
}

/** The filter on one stored request (its body only when kept inline and valid UTF-8). */
export function recordMatches(record: StoredRequest, filter: RequestFilter): boolean {
  const body = record.body?.encoding === 'utf8' ? record.body.data : null;
  const multipart = /^multipart\//i.test(record.contentType ?? '') && record.body;
  // Part headers are ASCII, so a binary body read as latin1 shows its file names.
  const fileNames = multipart ? multipartFileNames(body ?? Buffer.from(record.body!.data, 'base64').toString('latin1')) : undefined;
  const answered = record.rejection?.status ?? record.response?.status ?? null;
  return matchesFilter({ ...record, headers: headerMap(record.rawHeaders), bodyText: body, answered, ...(fileNames ? { fileNames } : {}) }, filter);
}

/** Words made only of these can be looked for in a request's stored JSON text as they are. */
const PLAIN_WORD = /^[a-z0-9_./-]+$/;

/**
 * A cheap test on a request's stored text (its JSON), for a store to skip parsing requests that
 * cannot match: every text word must occur in it, lower-cased. Only for words that JSON stores
 * unescaped, and only when the text has no `%` (a percent-encoded query is searched decoded).
 * False positives are fine (the caller still checks each request); there are no false negatives.
 * Null when the filter has no such words.
 */
export function storedTextPrefilter(filter: RequestFilter): ((text: string) => boolean) | null {
  if (filter.text.length === 0 || !filter.text.every((word) => PLAIN_WORD.test(word))) return null;
  return (text) => {
    // Percent-encoded text is searched decoded; a base64 body's file names are searched too.
    if (text.includes('%') || text.includes('"base64"')) return true;
    const lower = text.toLowerCase();
    return filter.text.every((word) => lower.includes(word));
  };
}
