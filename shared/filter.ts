import type { MultiValueMap, TokenStatus } from './api-types.js';
import type { CheckResult } from './checks/types.js';
import { decideVerdict } from './verdict.js';

/**
 * The request filter of the inspector and of `GET /api/bins/<id>/requests?q=` (and exports), one
 * syntax on both sides: words separated by spaces, all of which must match. A list after an
 * operator (`method:post,put`) matches any of its values.
 *   method:POST              the method (case-insensitive)
 *   token:invalid            the secrets' status (none | valid | invalid | missing): the ?token=
 *                            and the secret header judged together, the worse winning (secretVerdict)
 *   status:failed            the Krea job's or LangGraph Run's own status
 *   schema:krea-job          what the payload was checked against (krea-job | langgraph-run | custom | none)
 *   valid:false              the verdict: valid:true (a clean verdict) or valid:false (invalid)
 *   has:problems             an error or a warning (has:errors, has:warnings for one kind)
 *   duplicate:yes            a repeated delivery (duplicate:no for first deliveries)
 *   answered:5xx             the status the sender was answered (503, 5xx, 4xx, …)
 *   path:/webhooks/*         the sub-path; `*` matches any characters (a path without `*` must match whole)
 *   header:x-github-event=push   a header with that value (header:name alone: the header is present)
 *   anything else            text looked for, case-insensitively, in the path, query, header
 *                            names and values, the body (kept inline, up to 64 KB), decoded form
 *                            values and multipart file names
 * Quotes group words: "status": "failed" is one phrase. A word `name:value` whose name is not an
 * operator is searched as text, and `unknown` names it so the inspector can say so.
 */
export interface RequestFilter {
  methods: string[];
  tokens: TokenStatus[];
  statuses: string[];
  schemas: string[];
  /** true: a clean verdict; false: invalid. Empty: either. */
  valid: boolean[];
  has: ('problems' | 'errors' | 'warnings')[];
  duplicate: boolean[];
  /** '503' or a class such as '5xx'. */
  answered: string[];
  paths: RegExp[];
  headers: { name: string; value: string | null }[];
  text: string[];
  /** Operator names that are not operators (searched as text). */
  unknown: string[];
  /** Operators with a value they do not take, e.g. 'valid:maybe' (these match nothing). */
  invalid: string[];
}

/** The operators, for hints and the help dialog. */
export const FILTER_OPERATORS = ['method', 'token', 'status', 'schema', 'valid', 'has', 'duplicate', 'answered', 'path', 'header'] as const;

/** What a request must expose to be filtered; the optional parts are searched when given. */
export interface FilterableRequest {
  method: string;
  path: string;
  queryString: string;
  token: TokenStatus;
  /** The secret header's verdict; absent when the bin has none. */
  secretHeader?: TokenStatus;
  contentType?: string | null;
  checks?: CheckResult | null;
  /** The status the sender was answered (a refusal's, or the scripted / default answer's). */
  answered?: number | null;
  headers?: MultiValueMap;
  bodyText?: string | null;
  /** File names of multipart parts (the body may not be text). */
  fileNames?: string[];
}

const TRUE = new Set(['true', 'yes', '1']);
const FALSE = new Set(['false', 'no', '0']);

export function parseFilter(input: string): RequestFilter {
  const filter: RequestFilter = {
    methods: [],
    tokens: [],
    statuses: [],
    schemas: [],
    valid: [],
    has: [],
    duplicate: [],
    answered: [],
    paths: [],
    headers: [],
    text: [],
    unknown: [],
    invalid: [],
  };
  for (const match of input.matchAll(/"([^"]*)"|(\S+)/g)) {
    const word = match[1] ?? match[2] ?? '';
    const colon = word.indexOf(':');
    const key = match[1] === undefined && colon > 0 ? word.slice(0, colon).toLowerCase() : '';
    const value = word.slice(colon + 1);
    if (key && value && addOperator(filter, key, value)) continue;
    if (key && value && /^[a-z][a-z-]*$/.test(key) && !filter.unknown.includes(key)) filter.unknown.push(key);
    if (word) filter.text.push(word.toLowerCase());
  }
  return filter;
}

/** Adds `key:value` to the filter; false when `key` is no operator. */
function addOperator(filter: RequestFilter, key: string, value: string): boolean {
  const values = value.split(',').filter(Boolean);
  const lower = values.map((v) => v.toLowerCase());
  const bad = () => filter.invalid.push(`${key}:${value}`);
  switch (key) {
    case 'method':
      filter.methods.push(...values.map((v) => v.toUpperCase()));
      return true;
    case 'token':
      filter.tokens.push(...(lower as TokenStatus[]));
      return true;
    case 'status':
      filter.statuses.push(...lower);
      return true;
    case 'schema':
      filter.schemas.push(...lower);
      return true;
    case 'valid':
    case 'duplicate':
      for (const v of lower) TRUE.has(v) || FALSE.has(v) ? filter[key].push(TRUE.has(v)) : bad();
      return true;
    case 'has':
      for (const v of lower) v === 'problems' || v === 'errors' || v === 'warnings' ? filter.has.push(v) : bad();
      return true;
    case 'answered':
      for (const v of lower) /^[1-5](\d\d|xx)$/.test(v) ? filter.answered.push(v) : bad();
      return true;
    case 'path':
      filter.paths.push(globPattern(value));
      return true;
    case 'header': {
      const at = value.indexOf('=');
      filter.headers.push(
        at < 0 ? { name: value.toLowerCase(), value: null } : { name: value.slice(0, at).toLowerCase(), value: value.slice(at + 1).toLowerCase() },
      );
      return true;
    }
    default:
      return false;
  }
}

/** `*` matches any characters, everything else itself; the whole path must match. */
function globPattern(glob: string): RegExp {
  const source = glob
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i');
}

export function isEmptyFilter(filter: RequestFilter): boolean {
  const { unknown: _unknown, ...conditions } = filter;
  return Object.values(conditions).every((list: unknown[]) => list.length === 0);
}

/** Whether the request matches every condition of the filter. */
export function matchesFilter(request: FilterableRequest, filter: RequestFilter): boolean {
  if (filter.invalid.length > 0) return false;
  if (filter.methods.length > 0 && !filter.methods.includes(request.method.toUpperCase())) return false;
  if (filter.tokens.length > 0 && !filter.tokens.includes(secretVerdict(request.token, request.secretHeader))) return false;
  if (!matchesChecks(request, filter)) return false;
  if (filter.answered.length > 0 && !filter.answered.some((want) => statusMatches(request.answered ?? null, want))) return false;
  if (filter.paths.length > 0 && !filter.paths.some((pattern) => pattern.test(request.path || '/'))) return false;
  if (!filter.headers.every((want) => headerMatches(request.headers, want))) return false;
  if (filter.text.length === 0) return true;
  const haystack = searchableText(request);
  return filter.text.every((word) => haystack.includes(word));
}

const WORST_FIRST: TokenStatus[] = ['invalid', 'missing', 'valid', 'none'];

/**
 * One verdict for a request's secrets, so a bin's ?token= and secret header are filtered alike:
 * the worse of the two ('invalid' over 'missing' over 'valid'); 'none' only when neither was set.
 */
export function secretVerdict(token: TokenStatus, secretHeader: TokenStatus | undefined): TokenStatus {
  return WORST_FIRST.find((status) => status === token || status === secretHeader) ?? 'none';
}

function matchesChecks(request: FilterableRequest, filter: RequestFilter): boolean {
  const checks = request.checks ?? null;
  if (filter.statuses.length > 0 && !filter.statuses.includes(checks?.payloadStatus?.toLowerCase() ?? '')) return false;
  if (filter.schemas.length > 0 && !filter.schemas.includes(checks?.schema ?? '')) return false;
  if (filter.duplicate.length > 0 && !filter.duplicate.includes(checks?.duplicateOf !== undefined)) return false;
  if (filter.valid.length === 0 && filter.has.length === 0) return true;
  const verdict = decideVerdict({ checks, contentType: request.contentType ?? null, token: request.token });
  if (filter.valid.length > 0 && !filter.valid.some((want) => (want ? verdict.level === 'valid' : verdict.level === 'invalid'))) return false;
  return filter.has.every((what) =>
    what === 'errors' ? verdict.errors.length > 0 : what === 'warnings' ? verdict.warnings.length > 0 : verdict.errors.length + verdict.warnings.length > 0,
  );
}

function statusMatches(status: number | null, want: string): boolean {
  if (status === null) return false;
  return want.endsWith('xx') ? String(status)[0] === want[0] : String(status) === want;
}

function headerMatches(headers: MultiValueMap | undefined, want: { name: string; value: string | null }): boolean {
  if (!headers || !Object.hasOwn(headers, want.name)) return false;
  if (want.value === null) return true;
  const values = headers[want.name]!;
  return (Array.isArray(values) ? values : [values]).some((v) => v.toLowerCase() === want.value);
}

function searchableText(request: FilterableRequest): string {
  const parts = [request.path, safeDecode(request.queryString)];
  for (const [name, value] of Object.entries(request.headers ?? {})) parts.push(`${name}: ${Array.isArray(value) ? value.join(', ') : value}`);
  if (request.bodyText) {
    parts.push(request.bodyText);
    // Form values are searched as the sender typed them, not percent-encoded.
    if (/^application\/x-www-form-urlencoded/i.test(request.contentType ?? '')) parts.push(safeDecode(request.bodyText));
  }
  if (request.fileNames) parts.push(...request.fileNames);
  return parts.join('\n').toLowerCase();
}

/**
 * The file names of a multipart body's parts, read from its Content-Disposition headers in the
 * body's text (latin1 for binary bodies: the headers are ASCII). At most 100.
 */
export function multipartFileNames(bodyText: string): string[] {
  const names: string[] = [];
  for (const match of bodyText.matchAll(/content-disposition:[^\r\n]*?\bfilename="([^"\r\n]*)"/gi)) {
    names.push(match[1]!);
    if (names.length === 100) break;
  }
  return names;
}

function safeDecode(query: string): string {
  try {
    return decodeURIComponent(query.replace(/\+/g, ' '));
  } catch {
    return query;
  }
}
