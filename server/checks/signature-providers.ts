/**
 * The signature schemes hookscope verifies, one entry per provider: how its signature is found in
 * the headers and how one secret verifies it over the exact body bytes. verify-signature.ts picks
 * the provider and tries the bin's secrets.
 *
 * Every comparison of a signature is in constant time (timingSafeEqual over equal lengths) and
 * every candidate entry is compared, without an early exit. Where a scheme has a timestamp, the
 * signature is matched first and the time judged after, so 'expired' always means "genuine, but
 * out of time" and 'invalid' "not genuine" — the same order as the Standard Webhooks check.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignatureCheck, SignatureProviderId, SigningSecret } from '../../shared/checks/types.js';
import { SIGNATURE_TOLERANCE_SECONDS, verifyStandardWebhook, type HeaderBag } from './signature.js';

/** What one secret says about a request: a SignatureCheck without the provider. */
export type Verdict = Omit<SignatureCheck, 'provider'>;

export interface SignatureProvider {
  /** Messages name it and its header by shared/checks/transport.ts's SIGNATURE_PROVIDER_NAMES. */
  id: SignatureProviderId;
  /** Whether the request carries this provider's signature header. `secret` is given for 'hmac', whose header the bin names. */
  detects(headers: HeaderBag, secret?: SigningSecret): boolean;
  /** The verdict of one secret; never throws. `now` is the arrival time in ms. */
  verify(secret: SigningSecret, headers: HeaderBag, body: Buffer, now: number): Verdict;
}

const standardWebhooks = (id: 'standard-webhooks' | 'svix', prefix: string): SignatureProvider => ({
  id,
  detects: (headers) => headers[`${prefix}-signature`] !== undefined,
  verify: (secret, headers, body, now) => verifyStandardWebhook({ secret: secret.secret, headers, body, now }),
});

const github: SignatureProvider = {
  id: 'github',
  detects: (headers) => headers['x-hub-signature-256'] !== undefined || headers['x-hub-signature'] !== undefined,
  verify(secret, headers, body) {
    // SHA-256 when sent (GitHub sends both); the SHA-1 header alone comes from older senders (Gitea, GitHub Enterprise).
    const sha256 = headers['x-hub-signature-256'] !== undefined;
    const name = sha256 ? 'x-hub-signature-256' : 'x-hub-signature';
    const prefix = sha256 ? 'sha256=' : 'sha1=';
    const sent = values(headers[name]).map((v) => v.trim());
    const candidates = sent.filter((v) => v.startsWith(prefix)).map((v) => decode(v.slice(prefix.length), 'hex'));
    if (candidates.length === 0) return { status: 'malformed', detail: `${name} is not ${prefix}<hex digest>` };
    return matchAny(candidates, digest(sha256 ? 'sha256' : 'sha1', secret.secret, [body])) ? { status: 'valid' } : { status: 'invalid' };
  },
};

const stripe: SignatureProvider = {
  id: 'stripe',
  detects: (headers) => headers['stripe-signature'] !== undefined,
  verify(secret, headers, body, now) {
    // t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=…]: several v1 entries while Stripe rolls a secret.
    const pairs = values(headers['stripe-signature'])
      .join(',')
      .split(',')
      .map((p) => p.trim().split('='));
    const timestamp = pairs.find(([k]) => k === 't')?.[1];
    const candidates = pairs.filter(([k, v]) => k === 'v1' && v !== undefined).map(([, v]) => decode(v!, 'hex'));
    if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) return { status: 'malformed', detail: 'stripe-signature holds no t=<Unix seconds>' };
    if (candidates.length === 0) return { status: 'malformed', detail: 'stripe-signature holds no v1=<hex> entry' };
    if (!matchAny(candidates, digest('sha256', secret.secret, [`${timestamp}.`, body]))) return { status: 'invalid' };
    return judgeTime('stripe-signature t=', timestamp, now, SIGNATURE_TOLERANCE_SECONDS);
  },
};

const shopify: SignatureProvider = {
  id: 'shopify',
  detects: (headers) => headers['x-shopify-hmac-sha256'] !== undefined,
  verify(secret, headers, body) {
    const candidates = values(headers['x-shopify-hmac-sha256']).map((v) => decode(v.trim(), 'base64'));
    return matchAny(candidates, digest('sha256', secret.secret, [body])) ? { status: 'valid' } : { status: 'invalid' };
  },
};

const slack: SignatureProvider = {
  id: 'slack',
  detects: (headers) => headers['x-slack-signature'] !== undefined,
  verify(secret, headers, body, now) {
    const timestamp = values(headers['x-slack-request-timestamp'])[0]?.trim();
    if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp))
      return { status: 'malformed', detail: 'x-slack-signature was sent without x-slack-request-timestamp in Unix seconds' };
    const candidates = values(headers['x-slack-signature'])
      .map((v) => v.trim())
      .filter((v) => v.startsWith('v0='))
      .map((v) => decode(v.slice(3), 'hex'));
    if (candidates.length === 0) return { status: 'malformed', detail: 'x-slack-signature is not v0=<hex digest>' };
    if (!matchAny(candidates, digest('sha256', secret.secret, [`v0:${timestamp}:`, body]))) return { status: 'invalid' };
    return judgeTime('x-slack-request-timestamp', timestamp, now, SIGNATURE_TOLERANCE_SECONDS);
  },
};

const genericHmac: SignatureProvider = {
  id: 'hmac',
  detects: (headers, secret) => secret?.hmac !== undefined && headers[secret.hmac.header] !== undefined,
  verify(secret, headers, body, now) {
    const scheme = secret.hmac;
    if (!scheme) return { status: 'malformed', detail: "the bin's hmac secret does not say how the signature is made" };
    const uses = scheme.signed.includes('{timestamp}');
    const timestamp = scheme.timestampHeader ? values(headers[scheme.timestampHeader])[0]?.trim() : undefined;
    if (uses && (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)))
      return { status: 'malformed', detail: `${scheme.timestampHeader ?? 'the timestamp header'} is missing or not Unix seconds` };
    const sent = values(headers[scheme.header]).map((v) => v.trim());
    const candidates = sent.filter((v) => v.startsWith(scheme.prefix)).map((v) => decode(v.slice(scheme.prefix.length), scheme.encoding));
    if (candidates.length === 0) return { status: 'malformed', detail: `${scheme.header} does not start with ${JSON.stringify(scheme.prefix)}` };
    const [before, after] = scheme.signed.replaceAll('{timestamp}', timestamp ?? '').split('{body}') as [string, string];
    if (!matchAny(candidates, digest(scheme.algorithm, secret.secret, [before, body, after]))) return { status: 'invalid' };
    return uses ? judgeTime(scheme.timestampHeader!, timestamp!, now, scheme.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS) : { status: 'valid' };
  },
};

/** Every provider, in the order they are looked for: a bin's own 'hmac' scheme first, the rest by specificity. */
export const SIGNATURE_PROVIDER_LIST: readonly SignatureProvider[] = [
  genericHmac,
  standardWebhooks('standard-webhooks', 'webhook'),
  standardWebhooks('svix', 'svix'),
  github,
  stripe,
  shopify,
  slack,
];

function digest(algorithm: string, key: string, parts: (string | Buffer)[]): Buffer {
  const hmac = createHmac(algorithm, Buffer.from(key, 'utf8'));
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

/** Whether any candidate equals `expected`: each compared in constant time, none skipped. */
function matchAny(candidates: Buffer[], expected: Buffer): boolean {
  let matched = false;
  for (const candidate of candidates) {
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
  }
  return matched;
}

/** A digest as sent; text that is not of the encoding decodes to an empty buffer, which matches nothing. */
function decode(text: string, encoding: 'hex' | 'base64'): Buffer {
  const pattern = encoding === 'hex' ? /^(?:[0-9a-fA-F]{2})+$/ : /^[A-Za-z0-9+/]+={0,2}$/;
  return pattern.test(text) ? Buffer.from(text, encoding) : Buffer.alloc(0);
}

function judgeTime(header: string, timestamp: string, now: number, tolerance: number): Verdict {
  const skew = Number(timestamp) - Math.floor(now / 1000);
  if (Math.abs(skew) <= tolerance) return { status: 'valid' };
  return { status: 'expired', detail: `${header} is ${Math.abs(skew)} s in the ${skew < 0 ? 'past' : 'future'}` };
}

/** Every value of a header, repeated ones included. */
function values(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
