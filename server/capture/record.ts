import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import type { TokenStatus } from '../../shared/api-types.js';
import { INLINE_BODY_LIMIT, type StoredRequest } from '../store/types.js';
import { withoutSessionCookie } from './redact.js';

export interface CaptureTarget {
  binId: string;
  /** Everything after `/h/<binId>` up to the query, exactly as sent ('' when nothing). */
  path: string;
  /** The raw query string without '?' ('' when none). */
  queryString: string;
}

/**
 * Splits a capture URL (`/h/<binId>[/sub/path][?query]`) without decoding anything: the bin id
 * is validated by the caller exactly as sent, so `%2F` or `..` can never be taken for a path.
 * Returns null when the URL is not under `/h/`.
 */
export function parseCaptureUrl(url: string): CaptureTarget | null {
  if (!url.startsWith('/h/')) return null;
  const q = url.indexOf('?');
  const pathPart = q === -1 ? url : url.slice(0, q);
  const slash = pathPart.indexOf('/', 3);
  return {
    binId: slash === -1 ? pathPart.slice(3) : pathPart.slice(3, slash),
    path: slash === -1 ? '' : pathPart.slice(slash),
    queryString: q === -1 ? '' : url.slice(q + 1),
  };
}

/** The stored form of an arrived request; `id` and `receivedAt` come from the caller's clock. */
export function buildRecord(
  req: IncomingMessage,
  target: CaptureTarget,
  body: Buffer,
  fields: { id: string; receivedAt: string; token: TokenStatus; remoteAddress: string | null },
): StoredRequest {
  const { rawHeaders, redacted } = withoutSessionCookie(req.rawHeaders);
  return {
    id: fields.id,
    binId: target.binId,
    receivedAt: fields.receivedAt,
    method: req.method ?? 'GET',
    path: target.path,
    queryString: target.queryString,
    rawHeaders,
    ...(redacted.length > 0 ? { redacted } : {}),
    remoteAddress: fields.remoteAddress,
    contentType: req.headers['content-type'] ?? null,
    size: body.length,
    token: fields.token,
    ...(body.length <= INLINE_BODY_LIMIT ? { body: encodeBody(body) } : {}),
  };
}

/** Body bytes as JSON-safe text: UTF-8 when the bytes are valid UTF-8 (round-trips exactly), else base64. */
export function encodeBody(body: Buffer): { encoding: 'utf8' | 'base64'; data: string } {
  return isUtf8(body) ? { encoding: 'utf8', data: body.toString('utf8') } : { encoding: 'base64', data: body.toString('base64') };
}
