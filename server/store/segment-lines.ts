import { isRequestId } from '../../shared/ids.js';
import type { StoredRequest } from './types.js';

/**
 * One line of a segment log (see jsonl-file.ts):
 *   {"r":<request>} added   {"u":<request>} replaced   {"d":"<id>"} deleted   {"w":"<id>"|null} watermark
 */
export type SegmentChange = { r: StoredRequest } | { u: StoredRequest } | { d: string } | { w: string | null };

/**
 * Parses one complete line; null when it is not JSON or not one of the four changes with the
 * fields the rest of the server relies on (a damaged disk or a hand edit must not crash a page).
 */
export function parseSegmentLine(line: string): SegmentChange | null {
  let change: unknown;
  try {
    change = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof change !== 'object' || change === null || Array.isArray(change)) return null;
  const fields = change as Record<string, unknown>;
  if ('r' in fields) return isRequestShape(fields.r) ? { r: fields.r } : null;
  if ('u' in fields) return isRequestShape(fields.u) ? { u: fields.u } : null;
  if ('d' in fields) return isRequestId(fields.d) ? { d: fields.d } : null;
  if ('w' in fields) return fields.w === null || isRequestId(fields.w) ? { w: fields.w } : null;
  return null;
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
