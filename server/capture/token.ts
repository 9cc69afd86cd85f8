import { createHash, timingSafeEqual } from 'node:crypto';
import type { TokenStatus } from '../../shared/api-types.js';

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

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
