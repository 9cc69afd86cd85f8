import { STATUS_CODES } from 'node:http';
import { encodeBody } from '../capture/record.js';
import type { StoredRequest } from '../store/types.js';
import { VIEW_PARSE_LIMIT } from './body-views.js';
import { jsonWithLongString, SLICE_CHARS } from './json-slices.js';
import { headerPairs } from './multi-value.js';

/** HTTP Archive 1.2 (http://www.softwareishard.com/blog/har-12-spec/), the parts hookscope fills. */
interface HarPair {
  name: string;
  value: string;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: HarPair[];
    headers: HarPair[];
    queryString: HarPair[];
    postData?: { mimeType: string; text: string; params?: HarPair[]; _encoding?: 'base64'; comment?: string };
    headersSize: -1;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: HarPair[];
    headers: HarPair[];
    content: { size: number; mimeType: string };
    redirectURL: string;
    headersSize: -1;
    bodySize: number;
    comment?: string;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  /** hookscope's own fields (custom HAR fields start with an underscore). */
  _hookscope: Pick<StoredRequest, 'id' | 'remoteAddress' | 'token'> & { checks?: StoredRequest['checks'] };
}

/** The `log` of a HAR file, without its entries (they are streamed into it). */
export function harLogHead(version: string): { version: '1.2'; creator: { name: string; version: string } } {
  return { version: '1.2', creator: { name: 'hookscope', version } };
}

/**
 * One captured request as a HAR entry: the request as it arrived at `captureUrl` (headers in
 * order and case, the exact body) and what hookscope answered. HAR has no field for binary
 * request bodies, so one that is not UTF-8 is base64 in `text`, marked `_encoding: "base64"`.
 */
export function harEntry(record: StoredRequest, body: Buffer, captureUrl: string): HarEntry {
  const query = record.queryString ? `?${record.queryString}` : '';
  const encoded = record.body ?? encodeBody(body);
  const mimeType = record.contentType ?? '';
  const answer = answerOf(record);
  return {
    startedDateTime: record.receivedAt,
    time: answer.waitMs,
    request: {
      method: record.method,
      url: `${captureUrl}${record.path}${query}`,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: toHarPairs(headerPairs(record.rawHeaders)),
      queryString: toHarPairs(new URLSearchParams(record.queryString)),
      ...(record.size > 0 || record.method !== 'GET' ? { postData: postData(encoded, mimeType) } : {}),
      headersSize: -1,
      bodySize: record.size,
    },
    response: {
      status: answer.status,
      statusText: STATUS_CODES[answer.status] ?? '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: toHarPairs(answer.headers),
      content: { size: answer.bodySize, mimeType: answer.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '' },
      redirectURL: '',
      headersSize: -1,
      bodySize: answer.bodySize,
      ...(answer.comment ? { comment: answer.comment } : {}),
    },
    cache: {},
    timings: { send: 0, wait: answer.waitMs, receive: 0 },
    _hookscope: { id: record.id, remoteAddress: record.remoteAddress, token: record.token, ...(record.checks ? { checks: record.checks } : {}) },
  };
}

/** A HAR entry's JSON text, in pieces: a long request body is escaped slice by slice (see jsonWithLongString). */
export async function* harEntryJson(entry: HarEntry): AsyncGenerator<string> {
  const postData = entry.request.postData;
  if (!postData || postData.text.length <= SLICE_CHARS) return yield JSON.stringify(entry);
  yield* jsonWithLongString((marker) => ({ ...entry, request: { ...entry.request, postData: { ...postData, text: marker } } }), postData.text);
}

function postData(encoded: { encoding: 'utf8' | 'base64'; data: string }, mimeType: string): NonNullable<HarEntry['request']['postData']> {
  if (encoded.encoding === 'base64') return { mimeType, text: encoded.data, _encoding: 'base64', comment: 'The body is not UTF-8: text holds it in base64.' };
  // Fields of a form up to the views' limit: splitting megabytes of pairs would hold the event loop.
  const form =
    mimeType.toLowerCase().startsWith('application/x-www-form-urlencoded') && encoded.data.length <= VIEW_PARSE_LIMIT
      ? { params: toHarPairs(new URLSearchParams(encoded.data)) }
      : {};
  return { mimeType, text: encoded.data, ...form };
}

/** What the sender was answered, as far as the record tells (the answer's body is not kept). */
function answerOf(record: StoredRequest): { status: number; headers: [string, string][]; bodySize: number; waitMs: number; comment?: string } {
  if (record.response) {
    return {
      status: record.response.status,
      headers: Object.entries(record.response.headers),
      bodySize: record.response.bodySize,
      waitMs: record.response.delayMs,
    };
  }
  const passedThrough = record.replays?.find((r) => r.trigger === 'pass-through');
  if (passedThrough) {
    return {
      status: passedThrough.status ?? 502,
      headers: passedThrough.headers,
      bodySize: passedThrough.size,
      waitMs: passedThrough.durationMs,
      comment: `passed through from ${passedThrough.target}`,
    };
  }
  if (record.rejection) return { status: record.rejection.status, headers: [], bodySize: -1, waitMs: 0, comment: record.rejection.message };
  return { status: 0, headers: [], bodySize: -1, waitMs: 0, comment: 'not recorded' };
}

function toHarPairs(pairs: Iterable<[string, string]>): HarPair[] {
  return Array.from(pairs, ([name, value]) => ({ name, value }));
}
