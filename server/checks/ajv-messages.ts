import type { ErrorObject } from 'ajv/dist/2020.js';
import { pointerLabel, toPointer } from '../../shared/checks/pointer.js';
import { ownValue } from '../../shared/safe-keys.js';
import type { CheckIssue } from '../../shared/checks/types.js';

/** More issues than this help nobody and bloat every stored request: the rest are counted. */
export const MAX_SCHEMA_ISSUES = 50;
/** ajv errors read at most: far more than the issues kept, and a bound on the work for a payload with a million failing items. */
const MAX_AJV_ERRORS = 5000;

/**
 * Turns ajv errors (from a validator compiled with `allErrors` and `verbose`) into CheckIssues a
 * person can read: paths are JSON Pointers into the checked value, codes are `schema.<keyword>`,
 * and messages name the field, say what it must be and what it was.
 *
 * ajv reports one failure several times over (the `if` that chose a failing branch, every branch
 * of a failed anyOf, a subschema's keywords after its type already failed); this keeps the one
 * error that says the most. `root` names the checked value in messages ('The payload', or 'The
 * schema' when a user's schema fails the meta-schema). `closest`, when given, replaces a failed
 * anyOf / oneOf (and its branches' errors) by the issues of its closest branch (closest-branch.ts);
 * where it returns null, the branches are folded into one issue.
 */
export function issuesFromAjv(errors: readonly ErrorObject[], root = 'The payload', closest?: (error: ErrorObject) => CheckIssue[] | null): CheckIssue[] {
  const kept = dropTypeNoise(errors.slice(0, MAX_AJV_ERRORS).filter((e) => e.keyword !== 'if'));
  const issues: { error: ErrorObject; issue: CheckIssue }[] = [];
  for (const error of kept) {
    const refined = (error.keyword === 'anyOf' || error.keyword === 'oneOf') && !Array.isArray(error.params.passingSchemas) ? closest?.(error) : null;
    if (refined) {
      dropBranches(error, issues);
      for (const issue of refined) issues.push({ error, issue });
    } else if (error.keyword === 'anyOf' || error.keyword === 'oneOf') {
      issues.push({ error, issue: collapseBranches(error, issues, root) });
    } else {
      issues.push({ error, issue: { path: issuePath(error), code: `schema.${keywordCode(error.keyword)}`, message: describe(error, root) } });
    }
  }
  return capIssues(dedupe(issues.map((i) => i.issue)), errors.length > MAX_AJV_ERRORS);
}

/**
 * When a value has the wrong type, the other keywords of the same subschema (and the branches
 * inside it) only repeat that in other words; keep the outermost type error.
 */
function dropTypeNoise(errors: ErrorObject[]): ErrorObject[] {
  // Only errors at the same place can repeat a type error: compare within each place, so that
  // thousands of failing array items cost linear time, not the square of their number.
  const byPlace = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const place = byPlace.get(e.instancePath);
    if (place) place.push(e);
    else byPlace.set(e.instancePath, [e]);
  }
  const dropped = new Set<ErrorObject>();
  for (const place of byPlace.values()) {
    const typeErrors = place.filter((e) => e.keyword === 'type').sort((a, b) => a.schemaPath.length - b.schemaPath.length);
    for (const t of typeErrors) {
      if (dropped.has(t)) continue;
      const subschema = t.schemaPath.slice(0, -'/type'.length) + '/';
      for (const e of place) if (e !== t && e.schemaPath.startsWith(subschema)) dropped.add(e);
    }
  }
  return errors.filter((e) => !dropped.has(e));
}

/**
 * A failed anyOf/oneOf comes after the errors of its branches, which concern the same value or
 * values inside it: fold those into one issue that lists what each branch wanted.
 */
function collapseBranches(error: ErrorObject, issues: { error: ErrorObject; issue: CheckIssue }[], root: string): CheckIssue {
  const path = error.instancePath;
  const subject = subjectOf(path, root);
  if (error.keyword === 'oneOf' && Array.isArray(error.params.passingSchemas)) {
    return { path, code: 'schema.oneOf', message: `${subject} matches more than one of the allowed forms; exactly one is required.` };
  }
  const branches: string[] = [];
  while (issues.length > 0) {
    const last = issues[issues.length - 1]!.error;
    if (last.instancePath !== path && !last.instancePath.startsWith(path + '/')) break;
    branches.unshift(issues.pop()!.issue.message);
  }
  // Each branch message names the same value: keep just what it wanted ("must be a string").
  const unique = [...new Set(branches.map((m) => (m.startsWith(subject + ' ') ? m.slice(subject.length + 1) : m).replace(/\.$/, '')))];
  const listed = unique.slice(0, 3).join('; or ') + (unique.length > 3 ? '; …' : '');
  const wanted = listed ? `: ${listed}` : '';
  return { path, code: `schema.${error.keyword}`, message: `${subject} matches none of the allowed forms${wanted}.` };
}

/** Removes the issues of a failed anyOf / oneOf's branches: those just before it, at its value or inside. */
function dropBranches(error: ErrorObject, issues: { error: ErrorObject }[]): void {
  const path = error.instancePath;
  while (issues.length > 0) {
    const last = issues[issues.length - 1]!.error;
    if (last.instancePath !== path && !last.instancePath.startsWith(path + '/')) break;
    issues.pop();
  }
}

function issuePath(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties' && typeof p.additionalProperty === 'string') {
    return error.instancePath + toPointer([p.additionalProperty]);
  }
  if (error.keyword === 'unevaluatedProperties' && typeof p.unevaluatedProperty === 'string') {
    return error.instancePath + toPointer([p.unevaluatedProperty]);
  }
  return error.instancePath; // for `required`: the object that lacks the field
}

function describe(error: ErrorObject, root: string): string {
  const p = error.params as Record<string, unknown>;
  const subject = subjectOf(error.instancePath, root);
  const got = 'data' in error ? ` (got ${describeValue(error.data)})` : '';
  switch (error.keyword) {
    case 'required':
      return error.instancePath === ''
        ? `Missing required field "${String(p.missingProperty)}".`
        : `${subject} is missing required field "${String(p.missingProperty)}".`;
    case 'enum':
      return `${subject} must be one of ${listValues(p.allowedValues)}${got}.`;
    case 'const':
      return `${subject} must be ${JSON.stringify(p.allowedValue)}${got}.`;
    case 'type':
      return `${subject} must be ${typeNames(p.type)}${got}.`;
    case 'format':
      return `${subject} must be ${formatName(String(p.format))}${got}.`;
    case 'additionalProperties':
      return `Field "${pointerLabel(issuePath(error))}" is not allowed here.`;
    case 'unevaluatedProperties':
      return `Field "${pointerLabel(issuePath(error))}" is not allowed here.`;
    case 'dependentRequired':
      return `${subject} is missing field "${String(p.missingProperty)}", required when "${String(p.property)}" is present.`;
    case 'false schema':
      return `${subject} is not allowed here.`;
    case 'not':
      return `${subject} must not match the excluded form${got}.`;
    default:
      return `${subject} ${error.message ?? 'is invalid'}.`; // ajv's own wording reads well for the rest (minLength, maximum, …)
  }
}

function subjectOf(pointer: string, root: string): string {
  return pointer === '' ? root : `"${pointerLabel(pointer)}"`;
}

function keywordCode(keyword: string): string {
  return keyword === 'false schema' ? 'false' : keyword;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function typeNames(type: unknown): string {
  const types = Array.isArray(type) ? type : String(type).split(',');
  const names = types.map((t) => ownValue(TYPE_NAMES, String(t)) ?? String(t));
  return names.length <= 2 ? names.join(' or ') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

const FORMAT_NAMES: Record<string, string> = {
  'date-time': 'a date-time with a time zone (RFC 3339, e.g. 2025-01-15T10:30:00.000Z)',
  date: 'a date (e.g. 2025-01-15)',
  time: 'a time with a time zone (e.g. 10:30:00Z)',
  uri: 'an absolute URI (e.g. https://example.com/out.png)',
  'uri-reference': 'a URI reference',
  uuid: 'a UUID',
  email: 'an email address',
  hostname: 'a host name',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
};

function formatName(format: string): string {
  return ownValue(FORMAT_NAMES, format) ?? `in the "${format}" format`;
}

function listValues(values: unknown): string {
  if (!Array.isArray(values)) return 'the allowed values';
  const shown = values.slice(0, 12).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return shown.join(', ') + (values.length > 12 ? ', …' : '');
}

/** A short description of an offending value: strings quoted and shortened, containers by kind. */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function dedupe(issues: CheckIssue[]): CheckIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.code}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The first MAX_SCHEMA_ISSUES, and how many more (`uncounted`: ajv reported more errors than were read). */
function capIssues(issues: CheckIssue[], uncounted: boolean): CheckIssue[] {
  if (issues.length <= MAX_SCHEMA_ISSUES && !uncounted) return issues;
  const rest = issues.length - MAX_SCHEMA_ISSUES;
  const more = uncounted ? 'many' : String(rest);
  return [...issues.slice(0, MAX_SCHEMA_ISSUES), { path: '', code: 'schema.truncated', message: `…and ${more} more schema problems.` }];
}
