import type { CheckIssue, CheckResult, SignatureStatus } from '../../shared/checks/types.js';
import type { Verdict } from './types.js';

/** Codes with a badge of their own (token, signature, duplicate): they do not make the payload "invalid". */
function isTransportIssue(issue: CheckIssue): boolean {
  return issue.code.startsWith('token.') || issue.code.startsWith('signature.') || issue.code === 'delivery.duplicate';
}

const SIGNATURE_VERDICTS: Record<SignatureStatus, Verdict | null> = {
  valid: { kind: 'signed', label: 'signed', detail: 'Signature verified' },
  invalid: { kind: 'bad-signature', label: 'bad signature', detail: 'No signature matches the bin secret: wrong secret, or the bytes changed' },
  malformed: { kind: 'bad-signature', label: 'bad signature', detail: 'The signature headers or the secret cannot be read' },
  expired: { kind: 'expired-signature', label: 'expired signature', detail: 'The signature matches but its timestamp is outside the 5-minute tolerance' },
  missing: { kind: 'unsigned', label: 'unsigned', detail: 'The bin has a signing secret but the request carries no signature' },
  no_secret: { kind: 'signed-unverified', label: 'signed', detail: 'Signed, but the bin has no secret to verify it with' },
  none: null,
};

export const SCHEMA_TITLES: Record<string, string> = { 'krea-job': 'Krea job', 'langgraph-run': 'LangGraph Run', custom: 'custom schema' };

/**
 * The badges of a request: one for the payload (valid / invalid / warnings, only when a schema
 * applied or a payload problem was found; "check skipped" when the payload could not be
 * checked), duplicate, and the signature verdict. The token has
 * its own badge (TokenBadge), so token problems are left out here.
 */
export function verdictsOf(checks: CheckResult | null): Verdict[] {
  if (!checks) return [];
  const verdicts: Verdict[] = [];
  const errors = checks.errors.filter((i) => !isTransportIssue(i));
  const warnings = checks.warnings.filter((i) => !isTransportIssue(i));
  const what = checks.schema && checks.schema !== 'none' ? SCHEMA_TITLES[checks.schema] ?? checks.schema : 'payload';
  if (checks.skipped) verdicts.push({ kind: 'skipped', label: 'check skipped', detail: checks.skipped.message });
  else if (errors.length > 0) verdicts.push({ kind: 'invalid', label: 'invalid', detail: `${plural(errors.length, 'error')} in the ${what}: ${errors[0]!.message}` });
  else if (warnings.length > 0) verdicts.push({ kind: 'warnings', label: 'warnings', detail: `${plural(warnings.length, 'warning')}: ${warnings[0]!.message}` });
  else if (checks.schema && checks.schema !== 'none') verdicts.push({ kind: 'valid', label: 'valid', detail: `A valid ${what}` });
  if (checks.duplicateOf) verdicts.push({ kind: 'duplicate', label: 'duplicate', detail: `Same delivery as request ${checks.duplicateOf}` });
  const signature = checks.signature ? SIGNATURE_VERDICTS[checks.signature] : null;
  if (signature) verdicts.push(signature);
  return verdicts;
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
