/**
 * JSON Pointers (RFC 6901), the form of every CheckIssue path: the server writes them, the
 * inspector follows them to highlight a place in the JSON tree.
 */
import { isForbiddenKey } from '../safe-keys.js';

/** A pointer from property names and array indexes: ['result', 'urls', 0] → '/result/urls/0'. */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replaceAll('~', '~0').replaceAll('/', '~1')).join('');
}

/** The unescaped segments of a pointer: '' → []; '/a~1b/0' → ['a/b', '0']. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/**
 * How a pointer reads in a message: '/result/urls/0' → 'result.urls[0]', '' → 'the payload'.
 * Keys that are not plain identifiers are quoted: '/a b' → '["a b"]'.
 */
export function pointerLabel(pointer: string): string {
  const segments = pointerSegments(pointer);
  if (segments.length === 0) return 'the payload';
  let label = '';
  for (const segment of segments) {
    if (/^(0|[1-9]\d*)$/.test(segment)) label += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) label += label === '' ? segment : `.${segment}`;
    else label += `[${JSON.stringify(segment)}]`;
  }
  return label;
}

/**
 * The first segment of `pointer` that a write must refuse (`__proto__`, `constructor`,
 * `prototype`: see shared/safe-keys.ts), or null when it has none.
 */
export function forbiddenSegment(pointer: string): string | null {
  return pointerSegments(pointer).find(isForbiddenKey) ?? null;
}
