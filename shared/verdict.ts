/**
 * The one verdict of a captured request: valid, warnings or invalid (or skipped / nothing to
 * say). The list row's badge, the detail header and the Checks section all show what this
 * decides, so they cannot disagree. Pure: no DOM, no node:*.
 */
import type { TokenStatus } from './api-types.js';
import { tokenIssue } from './checks/transport.js';
import type { CheckIssue, CheckResult } from './checks/types.js';

export type VerdictLevel = 'valid' | 'warnings' | 'invalid' | 'skipped' | 'none';

export interface RequestVerdict {
  /**
   * - 'invalid': at least one error (schema, semantic, token, signature, or JSON that does not
   *   parse though the content type says JSON);
   * - 'warnings': no error, and a warning that has no badge of its own;
   * - 'valid': no error, no such warning, and a schema applied (or the token matched);
   * - 'skipped': the payload checks could not run (and nothing else is wrong);
   * - 'none': nothing was checked and nothing is wrong (no badge).
   */
  level: VerdictLevel;
  /** Every error, in the order the checks found them (plus a token error the checks did not record). */
  errors: CheckIssue[];
  /** Every warning, including those with badges of their own (duplicate, unverified signature). */
  warnings: CheckIssue[];
  /** 'Krea job', 'LangGraph Run', 'custom schema' or null when no schema applied. */
  title: string | null;
  /** One sentence: what the verdict is and why (the Checks section's heading, the badge's tooltip). */
  summary: string;
}

export interface VerdictInput {
  checks: CheckResult | null;
  /** The request's Content-Type header (null when none). */
  contentType: string | null;
  /** The request's token verdict (also in checks.token when checks ran). */
  token: TokenStatus;
}

export const SCHEMA_TITLES: Readonly<Record<string, string>> = { 'krea-job': 'Krea job', 'langgraph-run': 'LangGraph Run', custom: 'custom schema' };

/** Warnings shown by badges of their own: they leave a payload "valid". */
function hasOwnBadge(issue: CheckIssue): boolean {
  return issue.code === 'delivery.duplicate' || issue.code.startsWith('signature.');
}

/** Whether a Content-Type promises JSON (application/json, anything+json). */
export function declaresJson(contentType: string | null): boolean {
  const type = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json' || /^[a-z]+\/[\w.+-]+\+json$/.test(type);
}

/**
 * Decides a request's verdict from its checks, content type and token. A body that does not
 * parse is an error when the content type promised JSON (a receiver would fail on it), a warning
 * otherwise (it merely looked like JSON). Never throws.
 */
export function decideVerdict({ checks, contentType, token }: VerdictInput): RequestVerdict {
  const errors = [...(checks?.errors ?? [])];
  const warnings: CheckIssue[] = [];
  for (const issue of checks?.warnings ?? []) {
    if (issue.code === 'json.invalid' && declaresJson(contentType)) errors.push(issue);
    else warnings.push(issue);
  }
  const tokenProblem = tokenIssue(checks?.token ?? token);
  if (tokenProblem && !errors.some((issue) => issue.code === tokenProblem.code)) errors.push(tokenProblem);
  const schema = checks?.schema;
  const title = schema && schema !== 'none' ? (SCHEMA_TITLES[schema] ?? schema) : null;
  const level = levelOf(checks, errors, warnings, title, token);
  return { level, errors, warnings, title, summary: summarise(level, checks, errors, warnings, title) };
}

function levelOf(checks: CheckResult | null, errors: CheckIssue[], warnings: CheckIssue[], title: string | null, token: TokenStatus): VerdictLevel {
  if (errors.length > 0) return 'invalid';
  if (checks?.skipped) return 'skipped';
  if (warnings.some((issue) => !hasOwnBadge(issue))) return 'warnings';
  if (title !== null) return 'valid';
  return (checks?.token ?? token) === 'valid' ? 'valid' : 'none';
}

function summarise(level: VerdictLevel, checks: CheckResult | null, errors: CheckIssue[], warnings: CheckIssue[], title: string | null): string {
  switch (level) {
    case 'invalid':
      return `${title ? `Invalid ${title}` : 'Problems found'}: ${plural(errors.length, 'error')}`;
    case 'skipped':
      return `Payload not checked: ${(checks?.skipped?.message ?? '').replace(/^check skipped: /, '')}`;
    case 'warnings':
    case 'valid':
      if (warnings.length > 0) return `${title ? `Valid ${title}` : 'No errors'}, ${plural(warnings.length, 'warning')}`;
      return title ? `Valid ${title}: no problems found` : 'No problems found';
    case 'none':
      return 'No problems found';
  }
}

/** "1 error", "3 warnings". */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
