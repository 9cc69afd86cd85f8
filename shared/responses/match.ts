import type { MultiValueMap } from '../api-types.js';
import { ownValue } from '../safe-keys.js';
import type { RuleMatch } from './types.js';

/** What a rule can look at: the request as captured, with its JSON body when it has one. */
export interface MatchableRequest {
  method: string;
  path: string;
  headers: MultiValueMap;
  json: unknown;
}

export function matchesRule(match: RuleMatch, request: MatchableRequest): boolean {
  if (match.methods && match.methods.length > 0 && !match.methods.includes(request.method.toUpperCase())) return false;
  if (match.path !== undefined && !globToRegExp(match.path).test(request.path || '/')) return false;
  if (match.header) {
    const value = ownValue(request.headers, match.header.name.toLowerCase());
    if (value === undefined) return false;
    const values = Array.isArray(value) ? value : [value];
    if (match.header.value !== undefined && !values.includes(match.header.value)) return false;
  }
  if (match.json) {
    const found = resolvePointer(request.json, match.json.pointer);
    if (!found.exists || !sameJson(found.value, match.json.equals)) return false;
  }
  return true;
}

const globCache = new Map<string, RegExp>();

/** `*` matches within one path segment, `**` across segments, `?` one character; the rest is literal. */
export function globToRegExp(glob: string): RegExp {
  let cached = globCache.get(glob);
  if (!cached) {
    const source = glob
      .split('**')
      .map((part) =>
        part
          .split('*')
          .map((p) => p.split('?').map(escapeRegExp).join('[^/]'))
          .join('[^/]*'),
      )
      .join('.*');
    cached = new RegExp(`^${source}$`);
    if (globCache.size > 500) globCache.clear();
    globCache.set(glob, cached);
  }
  return cached;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** RFC 6901 JSON Pointer lookup ('' is the whole document). */
export function resolvePointer(document: unknown, pointer: string): { exists: boolean; value?: unknown } {
  if (pointer === '') return { exists: true, value: document };
  if (!pointer.startsWith('/')) return { exists: false };
  let current: unknown = document;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, key)) return { exists: false };
    current = (current as Record<string, unknown>)[key];
  }
  return { exists: true, value: current };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
