import type { MultiValueMap, TokenStatus } from './api-types.js';

/**
 * The request filter of the inspector and of `GET /api/bins/<id>/requests?q=`, one syntax on
 * both sides: words separated by spaces, all of which must match.
 *   method:POST        the method (case-insensitive; method:post,put for either)
 *   token:invalid      the secrets' status (none | valid | invalid | missing): the ?token= and the
 *                      secret header judged together, the worse verdict winning (secretVerdict)
 *   anything else      text looked for, case-insensitively, in the path, query, header names
 *                      and values, and the body (bodies kept inline, up to 64 KB)
 * Quotes group words: "status": "failed" is one phrase.
 */
export interface RequestFilter {
  methods: string[];
  tokens: TokenStatus[];
  text: string[];
}

/** What a request must expose to be filtered; the body is optional (large bodies are not searched). */
export interface FilterableRequest {
  method: string;
  path: string;
  queryString: string;
  token: TokenStatus;
  /** The secret header's verdict; absent when the bin has none. */
  secretHeader?: TokenStatus;
  headers?: MultiValueMap;
  bodyText?: string | null;
}

export function parseFilter(input: string): RequestFilter {
  const filter: RequestFilter = { methods: [], tokens: [], text: [] };
  for (const match of input.matchAll(/"([^"]*)"|(\S+)/g)) {
    const word = match[1] ?? match[2] ?? '';
    const colon = word.indexOf(':');
    const key = match[1] === undefined && colon > 0 ? word.slice(0, colon).toLowerCase() : '';
    const value = word.slice(colon + 1);
    if (key === 'method' && value) filter.methods.push(...value.toUpperCase().split(',').filter(Boolean));
    else if (key === 'token' && value) filter.tokens.push(...(value.toLowerCase().split(',') as TokenStatus[]));
    else if (word) filter.text.push(word.toLowerCase());
  }
  return filter;
}

export function isEmptyFilter(filter: RequestFilter): boolean {
  return filter.methods.length === 0 && filter.tokens.length === 0 && filter.text.length === 0;
}

export function matchesFilter(request: FilterableRequest, filter: RequestFilter): boolean {
  if (filter.methods.length > 0 && !filter.methods.includes(request.method.toUpperCase())) return false;
  if (filter.tokens.length > 0 && !filter.tokens.includes(secretVerdict(request.token, request.secretHeader))) return false;
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

function searchableText(request: FilterableRequest): string {
  const parts = [request.path, safeDecode(request.queryString)];
  for (const [name, value] of Object.entries(request.headers ?? {})) parts.push(`${name}: ${Array.isArray(value) ? value.join(', ') : value}`);
  if (request.bodyText) parts.push(request.bodyText);
  return parts.join('\n').toLowerCase();
}

function safeDecode(query: string): string {
  try {
    return decodeURIComponent(query.replace(/\+/g, ' '));
  } catch {
    return query;
  }
}
