/**
 * Problems with how a request arrived rather than with its body: the bin's query token and the
 * signature (of whichever provider signed it). The verdicts are computed on the server (constant-time compares
 * over the raw bytes); this turns them into issues a person can act on.
 *
 * Every failed verdict is an ERROR: a receiver that checks tokens (as LangGraph's docs advise) or
 * signatures would refuse the request. The one WARNING is a signed request on a bin without a
 * secret: nothing is wrong with the request, hookscope just cannot tell whether it is genuine.
 */
import type { TokenStatus } from '../api-types.js';
import type { CheckCode, CheckIssue, SignatureCheck, SignatureProviderId } from './types.js';

/** The issue of each failed verdict of the query token; 'valid' and 'none' have none. */
const TOKEN_ISSUES: Partial<Record<TokenStatus, [CheckCode, string]>> = {
  missing: [
    'token.missing',
    'The request has no ?token= but the bin has one: a receiver checking the token would refuse it. Add the token to the webhook URL you give the sender.',
  ],
  invalid: [
    'token.invalid',
    "The request's ?token= is not the bin's token: a receiver checking the token would refuse it. Give the sender the bin's current URL.",
  ],
};

/** The same for the secret header, an error like the token's (the header's name is in the bin settings). */
const SECRET_HEADER_ISSUES: Partial<Record<TokenStatus, [CheckCode, string]>> = {
  missing: [
    'token.header_missing',
    "The request does not carry the bin's secret header: a receiver checking it would refuse it. Have the sender add the header (LangGraph: webhooks.headers in langgraph.json).",
  ],
  invalid: [
    'token.header_invalid',
    "The request's secret header does not match the bin's: a receiver checking it would refuse it. Give the sender the bin's current secret.",
  ],
};

/** The query token's verdict as an issue; null when all is well. */
export function tokenIssue(token: TokenStatus): CheckIssue | null {
  const found = TOKEN_ISSUES[token];
  return found ? issue(...found) : null;
}

/** The secret header's verdict as an issue; null when all is well. */
export function secretHeaderIssue(status: TokenStatus): CheckIssue | null {
  const found = SECRET_HEADER_ISSUES[status];
  return found ? issue(...found) : null;
}

/** How each provider is named in messages, and the header its signature travels in. */
export const SIGNATURE_PROVIDER_NAMES: Record<SignatureProviderId, { label: string; header: string }> = {
  'standard-webhooks': { label: 'Standard Webhooks', header: 'webhook-signature' },
  svix: { label: 'Svix', header: 'svix-signature' },
  github: { label: 'GitHub', header: 'X-Hub-Signature-256' },
  stripe: { label: 'Stripe', header: 'Stripe-Signature' },
  shopify: { label: 'Shopify', header: 'X-Shopify-Hmac-Sha256' },
  slack: { label: 'Slack', header: 'X-Slack-Signature' },
  hmac: { label: 'HMAC', header: 'the signature header' },
};

/** The issue for a signature verdict, and whether it is an error (else a warning); null when all is well. */
export function signatureIssue(check: SignatureCheck): { issue: CheckIssue; error: boolean } | null {
  const detail = check.detail ? ` (${check.detail})` : '';
  const names = SIGNATURE_PROVIDER_NAMES[check.provider ?? 'standard-webhooks'];
  const header = names.header;
  switch (check.status) {
    case 'valid':
    case 'none':
      return null;
    case 'invalid':
      return {
        error: true,
        issue: issue(
          'signature.invalid',
          `No ${names.label} signature in ${header} matches: the secret differs from the sender's, or the body was changed on the way (even re-serialised JSON breaks it).`,
        ),
      };
    case 'expired':
      return {
        error: true,
        issue: issue(
          'signature.expired',
          `The ${names.label} signature matches but its timestamp is more than 5 minutes from the time the request arrived${detail}: a replayed message, or a sender clock that is off.`,
        ),
      };
    case 'missing':
      return {
        error: true,
        issue: issue(
          'signature.missing',
          `The bin has a ${names.label} signing secret but the request carries no ${header} header (nor another signature hookscope knows): it is unsigned.`,
        ),
      };
    case 'malformed':
      return { error: true, issue: issue('signature.malformed', `The ${names.label} signature could not be checked${detail}.`) };
    case 'no_secret':
      return {
        error: false,
        issue: issue(
          'signature.unverified',
          `The request is signed (${names.label}, ${header}) but the bin has no ${names.label} signing secret. Add it to the bin's signingSecrets to verify it.`,
        ),
      };
  }
}

function issue(code: CheckCode, message: string): CheckIssue {
  return { path: '', code, message };
}
