import { isRequestId } from '../../../shared/ids.js';
import type { StoredRequest } from '../types.js';
import { estimatedSize, type BinUsage } from '../usage.js';

/**
 * The lines of a bin's segment logs (JSON Lines, append-only). Each line is one change:
 *
 *   {"h":[id,time,size,cost,key?],"r":<request>}   a request stored
 *   {"h":[id,time,size,cost,key?],"u":<request>}   a newer version of a stored request (replay, recheck)
 *   {"d":"<id>"}                              a request deleted
 *   {"w":"<id>"|null}                         eviction watermark: every request with an id <= it is gone
 *
 * The head `h` repeats what the store keeps in memory about a request (its id, arrival time in
 * ms, body size, estimated size on disk (usage.ts) and delivery key), so a log is indexed by reading a few bytes of each line
 * instead of parsing whole requests; a request is parsed only when it is read.
 *
 * The last line of every write also carries `"s":[count,dataSize,oldestAt,newestAt]`, the bin's
 * usage once that line is applied (after `h`, or after `d`/`w`), so a listing reads a bin's usage
 * from the end of its newest segment without opening the bin.
 *
 * Lines of earlier versions, {"r":<request>} and {"u":<request>}, are still read: their head
 * is taken from the parsed request.
 */
export type LineHead = (
  | { kind: 'r' | 'u'; id: string; time: number; size: number; cost: number; key: string | undefined }
  | { kind: 'd'; id: string }
  | { kind: 'w'; id: string | null }
) & { usage?: BinUsage };

/** The line of a request stored (`r`) or replaced (`u`), without its newline. */
export function requestLine(record: StoredRequest, kind: 'r' | 'u', usage?: BinUsage): string {
  return requestLineParts(record, kind).line(usage);
}

/**
 * A request line serialised once, for a writer that learns the usage to attach only later: the
 * request's JSON (the costly part) is made here, `line(usage)` only joins the pieces. `time` and
 * `cost` are the head's arrival time (ms) and estimated size, for the writer's index.
 */
export function requestLineParts(record: StoredRequest, kind: 'r' | 'u'): { time: number; cost: number; line: (usage?: BinUsage) => string } {
  const key = record.checks?.deliveryKey;
  const time = Date.parse(record.receivedAt);
  const cost = estimatedSize(record);
  const head = `{"h":${JSON.stringify([record.id, time, record.size, cost, ...(key !== undefined ? [key] : [])])}`;
  const rest = `,"${kind}":${JSON.stringify(record)}}`;
  return { time, cost, line: (usage) => `${head}${usageField(usage)}${rest}` };
}

export function deleteLine(id: string, usage?: BinUsage): string {
  return `{"d":"${id}"${usageField(usage)}}`;
}

export function watermarkLine(id: string | null, usage?: BinUsage): string {
  return `{"w":${id === null ? 'null' : `"${id}"`}${usageField(usage)}}`;
}

function usageField(usage: BinUsage | undefined): string {
  return usage === undefined ? '' : `,"s":${JSON.stringify([usage.count, usage.dataSize, usage.oldestAt, usage.newestAt])}`;
}

/** How a current-version request line starts. */
export const HEAD_START = '{"h":[';

/**
 * What one complete line says, reading as little of it as possible; null when it cannot be read
 * (not JSON, not one of the changes, or fields the server relies on are missing or malformed).
 */
export function parseLineHead(line: string): LineHead | null {
  if (line.startsWith(HEAD_START)) return line.endsWith('}}') ? parseRequestHead(line) : null;
  let change: unknown;
  try {
    change = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof change !== 'object' || change === null || Array.isArray(change)) return null;
  const fields = change as Record<string, unknown>;
  const usage = Object.hasOwn(fields, 's') ? parseUsage(fields.s) : undefined;
  if (usage === null) return null;
  const withUsage = usage === undefined ? {} : { usage };
  if (Object.hasOwn(fields, 'd')) return isRequestId(fields.d) ? { kind: 'd', id: fields.d, ...withUsage } : null;
  if (Object.hasOwn(fields, 'w')) return fields.w === null || isRequestId(fields.w) ? { kind: 'w', id: fields.w, ...withUsage } : null;
  // An earlier version's line: the whole request, parsed.
  const kind = Object.hasOwn(fields, 'r') ? 'r' : Object.hasOwn(fields, 'u') ? 'u' : null;
  if (kind === null || !isRequestShape(fields[kind])) return null;
  const record = fields[kind] as StoredRequest;
  const time = Date.parse(record.receivedAt);
  return { kind, id: record.id, time: Number.isFinite(time) ? time : 0, size: record.size, cost: estimatedSize(record), key: record.checks?.deliveryKey };
}

/**
 * The head (and usage) of a current-version request line, `{"h":[…],("s":[…],)"r"|"u":…`, from
 * the line or from any prefix of it that reaches past the kind: the request is not looked at.
 */
export function parseRequestHead(text: string): LineHead | null {
  // Both arrays hold ids, numbers, null and JSON strings: the first `],"` ends each, since a `"`
  // inside a JSON string is always escaped.
  const headEnd = text.indexOf('],"', HEAD_START.length);
  if (headEnd === -1) return null;
  let kindAt = headEnd + 3;
  let usage: BinUsage | undefined;
  if (text.startsWith('s":[', kindAt)) {
    const usageEnd = text.indexOf('],"', kindAt + 4);
    if (usageEnd === -1) return null;
    const parsed = parseUsage(parseJson(text.slice(kindAt + 3, usageEnd + 1)));
    if (parsed === null) return null;
    usage = parsed;
    kindAt = usageEnd + 3;
  }
  const kind = text[kindAt];
  if ((kind !== 'r' && kind !== 'u') || text[kindAt + 1] !== '"' || text[kindAt + 2] !== ':') return null;
  const head = parseJson(text.slice(5, headEnd + 1));
  if (!Array.isArray(head) || head.length < 4 || head.length > 5) return null;
  const [id, time, size, cost, key] = head as unknown[];
  if (!isRequestId(id) || typeof time !== 'number' || typeof size !== 'number' || typeof cost !== 'number' || (key !== undefined && typeof key !== 'string'))
    return null;
  return { kind, id, time, size, cost, key: key as string | undefined, ...(usage ? { usage } : {}) };
}

/** The request a `r` or `u` line holds (of either version); null when the line cannot be read as one. */
export function parseRequestLine(line: string): StoredRequest | null {
  const change = parseJson(line);
  if (typeof change !== 'object' || change === null) return null;
  const fields = change as Record<string, unknown>;
  const record = Object.hasOwn(fields, 'r') ? fields.r : Object.hasOwn(fields, 'u') ? fields.u : undefined;
  return isRequestShape(record) ? record : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseUsage(value: unknown): BinUsage | null {
  if (!Array.isArray(value) || value.length !== 4) return null;
  const [count, dataSize, oldestAt, newestAt] = value as unknown[];
  const isTime = (t: unknown) => t === null || typeof t === 'string';
  if (!Number.isSafeInteger(count) || !Number.isSafeInteger(dataSize) || !isTime(oldestAt) || !isTime(newestAt)) return null;
  return { count: count as number, dataSize: dataSize as number, oldestAt: oldestAt as string | null, newestAt: newestAt as string | null };
}

function isRequestShape(value: unknown): value is StoredRequest {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return (
    isRequestId(r.id) &&
    typeof r.binId === 'string' &&
    typeof r.receivedAt === 'string' &&
    typeof r.method === 'string' &&
    typeof r.path === 'string' &&
    typeof r.queryString === 'string' &&
    Array.isArray(r.rawHeaders) &&
    r.rawHeaders.every((h) => typeof h === 'string') &&
    typeof r.size === 'number' &&
    (r.body === undefined || (typeof r.body === 'object' && r.body !== null && typeof (r.body as { data?: unknown }).data === 'string'))
  );
}
