import type { IncomingHttpHeaders } from 'node:http';
import { rawRequest, type RawResponse } from './raw-http.js';

/** The usual header of a JSON webhook, for `headers`. */
export const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'content-type': 'application/json' });

export interface CaptureOptions {
  /** POST unless given. */
  method?: string;
  /**
   * Sent through fetch, which adds its own headers (Host, Accept, User-Agent, Accept-Encoding,
   * keep-alive, and `text/plain;charset=UTF-8` for a string body without a type).
   */
  headers?: Record<string, string>;
  /**
   * Header pairs sent through node:http in this order and case, repeats kept: the request carries
   * `Host` (from the URL), these pairs, `Content-Length` and `Connection: close`, and nothing else.
   * For tests that compare what was stored, exported or passed on with what was sent.
   */
  rawHeaders?: string[];
}

/** Options for a JSON body sent through fetch: `capture(bin.url, '{"a":1}', AS_JSON)`. */
export const AS_JSON: Readonly<CaptureOptions> = Object.freeze({ headers: JSON_HEADERS });

/** What a capture URL answered, in node:http's form whichever way it was sent. */
export interface CaptureAnswer extends RawResponse {
  /** The stored request's id, from X-Hookscope-Request-Id; undefined when nothing was stored. */
  id: string | undefined;
  /** With `rawHeaders`: every header pair as sent (Host first, Connection last); else undefined. */
  sent: string[] | undefined;
}

/**
 * Sends one request to a capture URL (`bin.url`, or `${srv.url}/h/${binId}`, optionally followed
 * by a sub-path and a query, sent as written) and resolves to the answer, whatever its status.
 * Rejects only when no answer came (the connection failed). `headers` and `rawHeaders` exclude
 * each other; with neither, the request goes through fetch with no header of the test's own.
 */
export async function sendCapture(url: string, body?: string | Buffer, options: CaptureOptions = {}): Promise<CaptureAnswer> {
  if (options.headers && options.rawHeaders) throw new Error('sendCapture: give headers (fetch) or rawHeaders (node:http), not both');
  const method = options.method ?? 'POST';
  if (options.rawHeaders) {
    const bytes = typeof body === 'string' ? Buffer.from(body) : (body ?? Buffer.alloc(0));
    const { origin, host } = new URL(url);
    if (!url.startsWith(origin)) throw new Error(`sendCapture: ${url} does not start with its origin ${origin}`);
    const sent = ['Host', host, ...options.rawHeaders, 'Content-Length', String(bytes.length), 'Connection', 'close'];
    // The path goes out as written after the origin: node:http, unlike URL and fetch, normalises nothing.
    const res = await rawRequest(origin, { method, path: url.slice(origin.length) || '/', headers: sent, body: bytes });
    return { ...res, id: idOf(res.headers), sent };
  }
  const res = await fetch(url, { method, headers: options.headers, body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body) });
  const headers: IncomingHttpHeaders = Object.fromEntries(res.headers);
  if (res.headers.has('set-cookie')) headers['set-cookie'] = res.headers.getSetCookie();
  return { status: res.status, headers, body: Buffer.from(await res.arrayBuffer()), id: idOf(headers), sent: undefined };
}

/**
 * Captures one request (as `sendCapture`) and resolves to its id. Rejects, naming the status and
 * the answer, unless the capture URL answered 200 with a request id: for tests that need a stored
 * request, not for tests of refusals or scripted answers (those use `sendCapture`).
 */
export async function capture(url: string, body?: string | Buffer, options: CaptureOptions = {}): Promise<string> {
  const answer = await sendCapture(url, body, options);
  if (answer.status !== 200 || answer.id === undefined) throw new Error(`capture: ${url} answered ${answer.status} ${answer.body.toString().slice(0, 500)}`);
  return answer.id;
}

function idOf(headers: IncomingHttpHeaders): string | undefined {
  const id = headers['x-hookscope-request-id'];
  return typeof id === 'string' ? id : undefined;
}
