import { SESSION_COOKIE } from '../security/auth.js';

/**
 * Every answer on a capture URL (scripted, relayed from a pass-through target, or hookscope's
 * own JSON) carries this policy. `sandbox` gives the document an opaque origin with scripts,
 * forms and plugins off, so an HTML answer opened in a browser cannot use the inspector's
 * origin (its API, its cookie); `default-src 'none'` loads nothing else either. Answers are
 * for machines: a browser still shows their text.
 */
export const CAPTURE_ANSWER_CSP = "default-src 'none'; sandbox";

/** What hookscope removes from an answer, as recorded ('set-cookie:<name>'). */
export const DROPPED_SESSION_COOKIE = `set-cookie:${SESSION_COOKIE}`;

/**
 * The header list of a capture answer, flat for res.writeHead (which keeps repeated names):
 * a Set-Cookie of hookscope's own session cookie is dropped (an answer could otherwise replace
 * or shadow it and lock the user out; other cookies pass), and CAPTURE_ANSWER_CSP is added after
 * any policy the answer brings (a browser enforces every policy it gets, so ours always holds).
 * `dropped` lists what was removed, for the record.
 */
export function isolatedAnswerHeaders(pairs: Iterable<readonly [string, string]>): { headers: string[]; dropped: string[] } {
  const headers: string[] = [];
  const dropped: string[] = [];
  for (const [name, value] of pairs) {
    if (setsSessionCookie(name, value)) dropped.push(DROPPED_SESSION_COOKIE);
    else headers.push(name, value);
  }
  headers.push('Content-Security-Policy', CAPTURE_ANSWER_CSP);
  return { headers, dropped };
}

/** True for `Set-Cookie: hookscope_session=…` (any attributes, any case of the header name). */
export function setsSessionCookie(name: string, value: string): boolean {
  if (name.toLowerCase() !== 'set-cookie') return false;
  const eq = value.indexOf('=');
  return eq > 0 && value.slice(0, eq).trim() === SESSION_COOKIE;
}
