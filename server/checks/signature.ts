/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 over
 * `<webhook-id>.<webhook-timestamp>.<raw body bytes>` with the key inside a `whsec_<base64>`
 * secret, sent as one or more space-separated `v1,<base64 signature>` entries in
 * `webhook-signature` (several during a key rotation: any one matching is enough).
 *
 * Verification runs over the exact bytes received: re-serialised JSON (other whitespace or key
 * order) no longer matches, which is why hookscope never parses before it verifies.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignatureCheck } from '../../shared/checks/types.js';

/** The Standard Webhooks reference libraries reject timestamps further than this from now. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

/** Headers as Node or CapturedRequest.headers give them: lower-case names. */
export type HeaderBag = Record<string, string | string[] | undefined>;

/**
 * The HMAC key in a signing secret: `whsec_` (optional, as in the reference libraries) followed by
 * standard base64. Null when the secret is not of that form, so a bin setting can be refused with
 * a clear message before anything is signed or verified with it.
 */
export function parseSigningSecret(secret: string): Buffer | null {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  const key = Buffer.from(encoded, 'base64');
  return key.length > 0 ? key : null;
}

/**
 * The `webhook-signature` value (`v1,<base64>`) for a message, as a sender computes it.
 * `timestamp` is in Unix seconds. Throws when the secret is not `whsec_<base64>`.
 */
export function signStandardWebhook(secret: string, id: string, timestamp: number | string, body: Buffer | string): string {
  const key = parseSigningSecret(secret);
  if (!key) throw new Error('signing secret must be whsec_ followed by base64');
  return `v1,${hmac(key, id, String(timestamp), typeof body === 'string' ? Buffer.from(body) : body).toString('base64')}`;
}

export interface VerifyInput {
  /** The bin's signing secret; null when it has none. */
  secret: string | null;
  headers: HeaderBag;
  /** The exact body bytes received. */
  body: Buffer;
  /**
   * The time to judge the timestamp against, in ms since the epoch: when the request ARRIVED
   * (its receivedAt), so that rechecking an old request later gives the same verdict.
   */
  now: number;
  toleranceSeconds?: number;
}

/**
 * Verifies a request's Standard Webhooks signature; never throws. The verdicts are documented on
 * SignatureStatus (shared/checks/types.ts). A signature is matched before the timestamp is
 * judged, so 'expired' means "genuine but out of time" and 'invalid' "not genuine". Each entry is
 * compared in constant time.
 */
export function verifyStandardWebhook(input: VerifyInput): SignatureCheck {
  // Svix, where Standard Webhooks came from, sends the same scheme under svix-* names.
  const prefix = input.headers['webhook-signature'] === undefined && input.headers['svix-signature'] !== undefined ? 'svix' : 'webhook';
  const signatures = input.headers[`${prefix}-signature`];
  if (input.secret === null) return { status: signatures !== undefined ? 'no_secret' : 'none' };
  const key = parseSigningSecret(input.secret);
  if (!key) return { status: 'malformed', detail: "the bin's signing secret is not whsec_ followed by base64" };
  if (signatures === undefined) return { status: 'missing' };
  const id = single(input.headers[`${prefix}-id`]);
  const timestamp = single(input.headers[`${prefix}-timestamp`]);
  if (id === undefined || timestamp === undefined)
    return { status: 'malformed', detail: `${prefix}-signature was sent without ${prefix}-id and ${prefix}-timestamp` };
  if (id === null || timestamp === null) return { status: 'malformed', detail: `${prefix}-id and ${prefix}-timestamp must each be sent once` };
  if (!/^\d{1,12}$/.test(timestamp.trim()))
    return { status: 'malformed', detail: `${prefix}-timestamp ${JSON.stringify(timestamp.slice(0, 40))} is not Unix seconds` };
  const candidates = v1Signatures(signatures);
  if (candidates.length === 0) return { status: 'malformed', detail: `${prefix}-signature holds no v1,<base64> entry` };

  const expected = hmac(key, id, timestamp.trim(), input.body);
  let matched = false;
  for (const candidate of candidates) {
    // No early exit: every entry is compared, each in constant time.
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
  }
  if (!matched) return { status: 'invalid' };
  const skew = Number(timestamp.trim()) - Math.floor(input.now / 1000);
  const tolerance = input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(skew) > tolerance) {
    return { status: 'expired', detail: `${prefix}-timestamp is ${Math.abs(skew)} s in the ${skew < 0 ? 'past' : 'future'}` };
  }
  return { status: 'valid' };
}

function hmac(key: Buffer, id: string, timestamp: string, body: Buffer): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
}

/** The decoded `v1` signatures of a header (entries of other versions are ignored). */
function v1Signatures(header: string | string[]): Buffer[] {
  // Node joins repeated headers with ", ", so separators may carry a stray trailing comma.
  const entries = (Array.isArray(header) ? header.join(' ') : header).split(/\s+/).map((e) => e.replace(/,$/, ''));
  const out: Buffer[] = [];
  for (const entry of entries) {
    const comma = entry.indexOf(',');
    if (comma === -1 || entry.slice(0, comma) !== 'v1') continue;
    const encoded = entry.slice(comma + 1);
    if (/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) out.push(Buffer.from(encoded, 'base64'));
  }
  return out;
}

/** One header value; null when it was sent more than once (ambiguous for id and timestamp). */
function single(value: string | string[] | undefined): string | undefined | null {
  if (!Array.isArray(value)) return value;
  if (value.length === 1) return value[0];
  return value.length === 0 ? undefined : null;
}
