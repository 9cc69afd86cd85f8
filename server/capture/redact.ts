import { SESSION_COOKIE } from '../security/auth.js';

/** How a removed session cookie is noted on the record (StoredRequest.redacted). */
export const REDACTED_SESSION_COOKIE = `cookie:${SESSION_COOKIE}`;

/**
 * Removes hookscope's own session cookie from the Cookie header(s) of a capture, keeping every
 * other cookie byte for byte, and a Cookie header left empty is dropped. A browser that is logged
 * in to the inspector sends that cookie to capture URLs on the same host too; stored, it would
 * be readable by anyone holding the capture URL (smee stream, forwards, exports). Returns the
 * same array when there is nothing to remove (the usual case: no allocation on the hot path).
 */
export function withoutSessionCookie(rawHeaders: string[]): { rawHeaders: string[]; redacted: string[] } {
  if (!rawHeaders.some((value, i) => i % 2 === 1 && isCookie(rawHeaders[i - 1]!) && value.includes(SESSION_COOKIE))) return { rawHeaders, redacted: [] };
  const kept: string[] = [];
  let removed = false;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const value = rawHeaders[i + 1]!;
    if (!isCookie(name)) {
      kept.push(name, value);
      continue;
    }
    const pairs = value.split(';');
    const others = pairs.filter((pair) => cookieName(pair) !== SESSION_COOKIE);
    removed ||= others.length < pairs.length;
    if (others.length === pairs.length) kept.push(name, value);
    else if (others.some((pair) => pair.trim() !== '')) kept.push(name, others.join(';').replace(/^\s+/, ''));
  }
  return removed ? { rawHeaders: kept, redacted: [REDACTED_SESSION_COOKIE] } : { rawHeaders, redacted: [] };
}

function isCookie(name: string): boolean {
  return name.length === 6 && name.toLowerCase() === 'cookie';
}

function cookieName(pair: string): string {
  const eq = pair.indexOf('=');
  return (eq === -1 ? '' : pair.slice(0, eq)).trim();
}
