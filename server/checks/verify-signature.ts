/**
 * A request's signature verdict: which provider signed it (by its headers), then whether any of
 * the bin's secrets for that provider verifies it over the exact bytes received.
 */
import type { SignatureCheck, SigningSecret } from '../../shared/checks/types.js';
import type { HeaderBag } from './signature.js';
import { SIGNATURE_PROVIDER_LIST, type SignatureProvider, type Verdict } from './signature-providers.js';

export interface SignatureInput {
  /** The bin's secrets (binSecrets gives them from its settings); [] when it has none. */
  secrets: readonly SigningSecret[];
  headers: HeaderBag;
  /** The exact body bytes received. */
  body: Buffer;
  /** The arrival time in ms since the epoch, so a recheck later gives the same verdict. */
  now: number;
}

/**
 * The bin's secrets as verification takes them: the `signingSecrets` list and the older single
 * `signingSecret` (a Standard Webhooks secret, as stored by earlier versions) after it.
 */
export function binSecrets(bin: { signingSecret: string | null; signingSecrets?: readonly SigningSecret[] }): SigningSecret[] {
  const list = [...(bin.signingSecrets ?? [])];
  if (bin.signingSecret !== null) list.push({ provider: 'standard-webhooks', secret: bin.signingSecret });
  return list;
}

/**
 * The verdict for a request; never throws. The provider is the first whose header the request
 * carries (a bin's own 'hmac' scheme first), preferring one the bin has a secret for. Secrets
 * of Standard Webhooks and Svix serve both (one scheme under two header names). Of several
 * secrets (a rotation), any one verifying is enough: 'valid' beats 'expired' beats 'invalid';
 * 'malformed' only when every secret found the headers unreadable.
 */
export function verifySignature(input: SignatureInput): SignatureCheck {
  const detected = SIGNATURE_PROVIDER_LIST.flatMap((provider) =>
    provider.id === 'hmac'
      ? input.secrets.filter((s) => s.provider === 'hmac' && provider.detects(input.headers, s)).map((s) => ({ provider, secrets: [s] }))
      : provider.detects(input.headers)
        ? [{ provider, secrets: input.secrets.filter((s) => serves(s, provider)) }]
        : [],
  );
  if (detected.length === 0) {
    const expected = input.secrets[0];
    return expected === undefined ? { status: 'none' } : { status: 'missing', provider: expected.provider };
  }
  const chosen = detected.find((d) => d.secrets.length > 0) ?? detected[0]!;
  if (chosen.secrets.length === 0) return { status: 'no_secret', provider: chosen.provider.id };
  const verdicts = chosen.secrets.map((s) => chosen.provider.verify(s, input.headers, input.body, input.now));
  return { ...best(verdicts), provider: chosen.provider.id };
}

/** Whether a secret is meant for a provider. */
function serves(secret: SigningSecret, provider: SignatureProvider): boolean {
  if (provider.id === 'standard-webhooks' || provider.id === 'svix') return secret.provider === 'standard-webhooks' || secret.provider === 'svix';
  return secret.provider === provider.id;
}

const RANK: Record<string, number> = { valid: 0, expired: 1, invalid: 2, malformed: 3 };

function best(verdicts: Verdict[]): Verdict {
  return verdicts.reduce((a, b) => ((RANK[b.status] ?? 4) < (RANK[a.status] ?? 4) ? b : a));
}
