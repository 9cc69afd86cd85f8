import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { SecretHeader, TokenStatus } from '../../shared/api-types.js';

/**
 * Compares the `token` query parameter with the bin's token in constant time (both sides are
 * hashed first so their lengths leak nothing). 'none' when the bin has no token.
 */
export function checkQueryToken(binToken: string | null, queryString: string): TokenStatus {
  if (binToken === null) return 'none';
  const sent = new URLSearchParams(queryString).get('token');
  if (sent === null) return 'missing';
  return timingSafeEqual(digest(sent), digest(binToken)) ? 'valid' : 'invalid';
}

/**
 * Compares the bin's secret header with the request's, the same way (constant time over hashes).
 * A header sent more than once is compared as Node joined it, so a repeat never passes as the
 * secret. 'none' when the bin has no secret header.
 */
export function checkSecretHeader(secret: SecretHeader | null, headers: IncomingHttpHeaders): TokenStatus {
  if (secret === null) return 'none';
  const raw = headers[secret.name.toLowerCase()];
  if (raw === undefined) return 'missing';
  const sent = Array.isArray(raw) ? raw.join(', ') : raw;
  return timingSafeEqual(digest(sent), digest(secret.value)) ? 'valid' : 'invalid';
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
