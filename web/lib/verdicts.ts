import type { TokenStatus } from '../../shared/api-types.js';
import type { CheckResult, SignatureStatus } from '../../shared/checks/types.js';
import { decideVerdict, type RequestVerdict } from '../../shared/verdict.js';
import type { Verdict } from './types.js';

export { plural, SCHEMA_TITLES } from '../../shared/verdict.js';

const SIGNATURE_VERDICTS: Record<SignatureStatus, Verdict | null> = {
  valid: { kind: 'signed', label: 'signed', detail: 'Signature verified' },
  invalid: { kind: 'bad-signature', label: 'bad signature', detail: 'No signature matches the bin secret: wrong secret, or the bytes changed' },
  malformed: { kind: 'bad-signature', label: 'bad signature', detail: 'The signature headers or the secret cannot be read' },
  expired: { kind: 'expired-signature', label: 'expired signature', detail: 'The signature matches but its timestamp is outside the 5-minute tolerance' },
  missing: { kind: 'unsigned', label: 'unsigned', detail: 'The bin has a signing secret but the request carries no signature' },
  no_secret: { kind: 'signed-unverified', label: 'signed', detail: 'Signed, but the bin has no secret to verify it with' },
  none: null,
};

const LEVEL_LABELS = { valid: 'valid', invalid: 'invalid', warnings: 'warnings', skipped: 'check skipped' } as const;

/** What a request is, for its verdict (RequestItem and RequestDetail have these). */
export interface VerdictSource {
  checks: CheckResult | null;
  contentType: string | null;
  token: TokenStatus;
}

/** The request's one verdict (shared/verdict.ts): what every place shows. */
export function verdictOf(source: VerdictSource): RequestVerdict {
  return decideVerdict(source);
}

/**
 * The badges of a request: first the verdict (shared/verdict.ts decides it; none when there is
 * nothing to say), then duplicate and the signature verdict. The token has its own badge
 * (TokenBadge) as well; a token problem also makes the verdict "invalid".
 */
export function verdictsOf(source: VerdictSource): Verdict[] {
  const verdict = decideVerdict(source);
  const verdicts: Verdict[] = [];
  if (verdict.level !== 'none') {
    const first = verdict.errors[0] ?? verdict.warnings[0];
    const detail = verdict.level === 'valid' || verdict.level === 'skipped' || !first ? verdict.summary : `${verdict.summary}: ${first.message}`;
    verdicts.push({ kind: verdict.level, label: LEVEL_LABELS[verdict.level], detail });
  }
  const { checks } = source;
  if (checks?.duplicateOf) verdicts.push({ kind: 'duplicate', label: 'duplicate', detail: `Same delivery as request ${checks.duplicateOf}` });
  const signature = checks?.signature ? SIGNATURE_VERDICTS[checks.signature] : null;
  if (signature) verdicts.push(signature);
  return verdicts;
}
