/**
 * The `signingSecrets` bin setting, checked as it comes from the API: a list of
 * `{ provider, secret, hmac? }` (shared/checks/types.ts SigningSecret). Each problem is thrown as
 * a message naming the entry and field, which bin-input turns into a 400.
 */
import { SIGNATURE_PROVIDERS, type GenericHmac, type SigningSecret } from '../../shared/checks/types.js';
import { isJsonObject } from '../../shared/checks/detect.js';
import { parseSigningSecret } from './signature.js';

/** More secrets than this on one bin help no rotation. */
export const MAX_SIGNING_SECRETS = 20;
const MAX_SECRET = 1024;
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]{1,100}$/;

export class SigningSecretsError extends Error {}

/** The validated list; throws SigningSecretsError saying what is wrong. */
export function parseSigningSecrets(value: unknown): SigningSecret[] {
  if (!Array.isArray(value) || value.length > MAX_SIGNING_SECRETS)
    throw fail(`"signingSecrets" must be an array of at most ${MAX_SIGNING_SECRETS} { "provider", "secret" } entries.`);
  return value.map((entry, i) => parseEntry(entry, `signingSecrets[${i}]`));
}

function parseEntry(entry: unknown, at: string): SigningSecret {
  if (!isJsonObject(entry)) throw fail(`${at} must be an object { "provider", "secret" }.`);
  const unknown = Object.keys(entry).filter((k) => k !== 'provider' && k !== 'secret' && k !== 'hmac');
  if (unknown.length > 0) throw fail(`${at} has unknown field "${unknown[0]}"; an entry has provider, secret and (for "hmac") hmac.`);
  const provider = entry.provider;
  if (typeof provider !== 'string' || !(SIGNATURE_PROVIDERS as readonly string[]).includes(provider)) {
    throw fail(`${at}.provider must be one of ${SIGNATURE_PROVIDERS.join(', ')}.`);
  }
  const secret = entry.secret;
  if (typeof secret !== 'string' || secret.length === 0 || secret.length > MAX_SECRET || /[\x00-\x1f\x7f]/.test(secret)) {
    throw fail(`${at}.secret must be a string of 1 to ${MAX_SECRET} characters without control characters.`);
  }
  if ((provider === 'standard-webhooks' || provider === 'svix') && (!secret.startsWith('whsec_') || !parseSigningSecret(secret))) {
    throw fail(`${at}.secret must be whsec_ followed by base64, as ${provider === 'svix' ? 'Svix' : 'your sender'} shows it.`);
  }
  if (provider !== 'hmac') {
    if (entry.hmac !== undefined) throw fail(`${at}.hmac is only for provider "hmac".`);
    return { provider: provider as SigningSecret['provider'], secret };
  }
  return { provider: 'hmac', secret, hmac: parseGenericHmac(entry.hmac, `${at}.hmac`) };
}

/** `{ header, algorithm?, encoding?, prefix?, signed?, timestampHeader?, toleranceSeconds? }` with defaults sha256, hex, '', '{body}'. */
function parseGenericHmac(value: unknown, at: string): GenericHmac {
  if (!isJsonObject(value))
    throw fail(`${at} must say how the signature is made: { "header", "algorithm", "encoding", "prefix", "signed", "timestampHeader" }.`);
  const known = ['header', 'algorithm', 'encoding', 'prefix', 'signed', 'timestampHeader', 'toleranceSeconds'];
  const unknown = Object.keys(value).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw fail(`${at} has unknown field "${unknown[0]}"; it takes ${known.join(', ')}.`);
  const header = headerName(value.header, `${at}.header`);
  const algorithm = value.algorithm ?? 'sha256';
  if (algorithm !== 'sha1' && algorithm !== 'sha256' && algorithm !== 'sha512') throw fail(`${at}.algorithm must be sha1, sha256 or sha512.`);
  const encoding = value.encoding ?? 'hex';
  if (encoding !== 'hex' && encoding !== 'base64') throw fail(`${at}.encoding must be hex or base64.`);
  const prefix = value.prefix ?? '';
  if (typeof prefix !== 'string' || prefix.length > 32) throw fail(`${at}.prefix must be a string of at most 32 characters (e.g. "sha256=").`);
  const signed = value.signed ?? '{body}';
  if (typeof signed !== 'string' || signed.length > 200 || signed.split('{body}').length !== 2) {
    throw fail(`${at}.signed must hold {body} exactly once, e.g. "{body}" or "{timestamp}.{body}".`);
  }
  const scheme: GenericHmac = { header, algorithm, encoding, prefix, signed };
  if (value.timestampHeader !== undefined) scheme.timestampHeader = headerName(value.timestampHeader, `${at}.timestampHeader`);
  if (signed.includes('{timestamp}') && scheme.timestampHeader === undefined)
    throw fail(`${at}.signed uses {timestamp}: name the header that carries it in timestampHeader.`);
  if (value.toleranceSeconds !== undefined) {
    const t = value.toleranceSeconds;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > 7 * 24 * 3600)
      throw fail(`${at}.toleranceSeconds must be a whole number of seconds from 1 to 604800.`);
    scheme.toleranceSeconds = t;
  }
  return scheme;
}

function headerName(value: unknown, at: string): string {
  if (typeof value !== 'string' || !HEADER_NAME.test(value.toLowerCase())) throw fail(`${at} must be an HTTP header name, e.g. "x-signature".`);
  return value.toLowerCase();
}

function fail(message: string): SigningSecretsError {
  return new SigningSecretsError(message);
}
