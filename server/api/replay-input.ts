import { isRequestId } from '../../shared/ids.js';
import { isForbiddenKey } from '../../shared/safe-keys.js';
import { parseTargetUrl, parseTimeout } from '../forward/settings.js';
import { HttpError } from '../http-error.js';
import type { HeaderEdits } from '../outbound/headers.js';
import type { StoredBin } from '../store/types.js';

export interface ReplayEdits {
  target: URL;
  timeoutMs: number;
  appendPath: boolean;
  method?: string;
  headers?: HeaderEdits;
  body?: Buffer;
  queryString?: string;
}

const REPLAY_FIELDS = new Set(['target', 'method', 'headers', 'body', 'bodyEncoding', 'queryString', 'appendPath', 'timeoutMs']);
const MANY_FIELDS = new Set(['target', 'requestIds', 'appendPath', 'timeoutMs']);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/; // an HTTP method or header name (RFC 9110 token)
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/; // no CR, LF or other control characters
const MAX_HEADERS = 500;
const MAX_REQUEST_IDS = 10_000;

/** A replay request body (ReplayInput), checked; the target defaults to the bin's last one. */
export function parseReplayInput(input: Record<string, unknown>, bin: StoredBin): ReplayEdits {
  refuseUnknown(input, REPLAY_FIELDS, 'target, method, headers, body, bodyEncoding, queryString, appendPath and timeoutMs');
  const edits: ReplayEdits = { ...common(input, bin) };
  if (input.method !== undefined) {
    if (typeof input.method !== 'string' || !TOKEN.test(input.method) || input.method.length > 32) throw invalid('"method" must be an HTTP method such as POST.');
    edits.method = input.method;
  }
  if (input.headers !== undefined) edits.headers = parseHeaderEdits(input.headers);
  if (input.body !== undefined) edits.body = parseBody(input.body, input.bodyEncoding);
  if (input.queryString !== undefined) {
    if (typeof input.queryString !== 'string' || !/^[\x21-\x7e]*$/.test(input.queryString)) throw invalid('"queryString" must be a raw query string without "?", spaces or control characters.');
    edits.queryString = input.queryString.replace(/^\?/, '');
  }
  return edits;
}

/** A replay-many request body (ReplayManyInput), checked. `requestIds` null: the whole bin. */
export function parseReplayManyInput(input: Record<string, unknown>, bin: StoredBin): { edits: ReplayEdits; requestIds: string[] | null } {
  refuseUnknown(input, MANY_FIELDS, 'target, requestIds, appendPath and timeoutMs');
  const ids = input.requestIds;
  if (ids !== undefined && (!Array.isArray(ids) || ids.length > MAX_REQUEST_IDS || !ids.every(isRequestId))) {
    throw invalid(`"requestIds" must be an array of at most ${MAX_REQUEST_IDS} request ids; leave it out to replay the whole bin.`);
  }
  return { edits: common(input, bin), requestIds: ids === undefined ? null : [...new Set(ids as string[])] };
}

function common(input: Record<string, unknown>, bin: StoredBin): Pick<ReplayEdits, 'target' | 'timeoutMs' | 'appendPath'> {
  const target = input.target ?? bin.replayTarget;
  if (target === undefined || target === null) throw invalid('Give a "target" (e.g. "http://localhost:3000/webhook"); this bin has no previous replay target to reuse.');
  if (input.appendPath !== undefined && typeof input.appendPath !== 'boolean') throw invalid('"appendPath" must be true or false.');
  return { target: parseTargetUrl(target), timeoutMs: parseTimeout(input.timeoutMs, 'timeoutMs'), appendPath: input.appendPath === true };
}

function parseHeaderEdits(value: unknown): HeaderEdits {
  const message = '"headers" must be a list of [name, value] pairs (replacing all headers) or an object { "name": "value" | null } (a patch; null removes), with valid names and no line breaks in values.';
  const valid = (name: unknown, value: unknown, nullable: boolean) =>
    typeof name === 'string' && TOKEN.test(name) && ((nullable && value === null) || (typeof value === 'string' && HEADER_VALUE.test(value)));
  if (Array.isArray(value)) {
    if (value.length > MAX_HEADERS || !value.every((pair) => Array.isArray(pair) && pair.length === 2 && valid(pair[0], pair[1], false))) throw invalid(message);
    return value as [string, string][];
  }
  if (typeof value !== 'object' || value === null) throw invalid(message);
  const entries = Object.entries(value);
  if (entries.length > MAX_HEADERS || !entries.every(([name, v]) => valid(name, v, true))) throw invalid(message);
  const refused = entries.find(([name]) => isForbiddenKey(name.toLowerCase()));
  if (refused) throw invalid(`"headers" patch name "${refused[0]}" is refused: hookscope does not take __proto__, constructor or prototype as a key; send the whole list of [name, value] pairs instead.`);
  return value as Record<string, string | null>;
}

function parseBody(body: unknown, encoding: unknown): Buffer {
  if (encoding !== undefined && encoding !== 'utf8' && encoding !== 'base64') throw invalid('"bodyEncoding" must be "utf8" (default) or "base64".');
  if (typeof body !== 'string') throw invalid('"body" must be a string (set "bodyEncoding": "base64" for bytes that are not UTF-8).');
  if (encoding === 'base64' && !/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw invalid('"body" is not valid base64.');
  return Buffer.from(body, encoding === 'base64' ? 'base64' : 'utf8');
}

function refuseUnknown(input: Record<string, unknown>, known: Set<string>, list: string): void {
  const unknown = Object.keys(input).filter((k) => !known.has(k));
  if (unknown.length > 0) throw invalid(`Unknown field ${unknown.map((k) => `"${k}"`).join(', ')}; a replay takes ${list}.`);
}

function invalid(message: string): HttpError {
  return new HttpError(400, 'invalid_replay', message);
}
