import type { CapturedRequest, RequestSummary } from '../../shared/api-types.js';
import type { StoredRequest } from '../store/types.js';
import { deriveBodyViews } from './body-views.js';
import { headerMap, headerPairs, queryMap } from './multi-value.js';
import { encodeBody } from '../capture/record.js';
import { jsonWithLongString, SLICE_CHARS } from './json-slices.js';
import { presentFields } from './present-fields.js';

export function toSummary(record: StoredRequest): RequestSummary {
  return {
    id: record.id,
    binId: record.binId,
    receivedAt: record.receivedAt,
    method: record.method,
    path: record.path,
    queryString: record.queryString,
    contentType: record.contentType,
    size: record.size,
    token: record.token,
    ...presentFields(record, ['secretHeader', 'rejection', 'checks', 'response']),
    ...lastReplayOf(record),
  };
}

function lastReplayOf(record: StoredRequest): Pick<RequestSummary, 'lastReplay'> {
  const last = record.replays?.[record.replays.length - 1];
  if (!last) return {};
  return { lastReplay: { at: last.at, trigger: last.trigger, status: last.status, target: last.target, ...(last.error ? { error: last.error } : {}) } };
}

export function bodyUrl(record: StoredRequest): string {
  return `/api/bins/${record.binId}/requests/${record.id}/body`;
}

/**
 * The full wire form of a request with its parsed views. `bodyLimit` caps the bytes returned
 * inline (the views are still derived from the whole body, when it is at most
 * VIEW_PARSE_LIMIT); the raw endpoint serves them all.
 */
export async function toCapturedRequest(record: StoredRequest, body: Buffer, bodyLimit = Infinity): Promise<CapturedRequest> {
  const encoded = record.body ?? encodeBody(body);
  const truncated = body.length > bodyLimit;
  // A caller that asked for a cut body (the inspector, for big bodies) does not want the whole
  // body back as a parsed tree either.
  const views = truncated ? { viewsOmitted: true } : await deriveBodyViews(body, record.contentType, encoded.encoding === 'utf8');
  const cut = truncated ? utf8Boundary(body, bodyLimit) : body.length;
  return {
    ...toSummary(record),
    query: queryMap(record.queryString),
    headers: headerMap(record.rawHeaders),
    rawHeaders: headerPairs(record.rawHeaders),
    ...(record.redacted?.length ? { redacted: record.redacted } : {}),
    remoteAddress: record.remoteAddress,
    body: truncated ? { ...encodeBody(body.subarray(0, cut)), truncated: true } : encoded,
    bodyUrl: bodyUrl(record),
    ...views,
    ...(record.replays?.length ? { replays: record.replays } : {}),
  };
}

/**
 * The JSON text of a captured request, in pieces: a body longer than SLICE_CHARS is escaped slice
 * by slice, one event-loop turn each (see jsonWithLongString); a shorter one in one go.
 */
export async function* capturedRequestJson(captured: CapturedRequest): AsyncGenerator<string> {
  if (captured.body.data.length <= SLICE_CHARS) return yield JSON.stringify(captured);
  yield* jsonWithLongString((marker) => ({ ...captured, body: { ...captured.body, data: marker } }), captured.body.data);
}

/** Moves a cut point back so it does not split a UTF-8 character (continuation bytes are 10xxxxxx). */
function utf8Boundary(body: Buffer, limit: number): number {
  let cut = limit;
  while (cut > 0 && cut > limit - 4 && (body[cut]! & 0xc0) === 0x80) cut--;
  return cut;
}
