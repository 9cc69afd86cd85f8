import type { MultiValueMap } from '../../shared/api-types.js';

/** Groups [key, value] pairs: a key seen once maps to its value, a repeated key to all its values. */
export function groupPairs(pairs: Iterable<[string, string]>): MultiValueMap {
  const map: MultiValueMap = Object.create(null);
  for (const [key, value] of pairs) addValue(map, key, value);
  return map;
}

function addValue(map: MultiValueMap, key: string, value: string): void {
  const existing = map[key];
  if (existing === undefined) map[key] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else map[key] = [existing, value];
}

/** Node's flat rawHeaders [n1, v1, n2, v2, …] as pairs. */
export function headerPairs(rawHeaders: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return pairs;
}

/** Headers by lower-cased name, as groupPairs groups them (built in one pass: every capture's checks need it). */
export function headerMap(rawHeaders: readonly string[]): MultiValueMap {
  const map: MultiValueMap = Object.create(null);
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) addValue(map, rawHeaders[i]!.toLowerCase(), rawHeaders[i + 1]!);
  return map;
}

export function queryMap(queryString: string): MultiValueMap {
  return groupPairs(new URLSearchParams(queryString));
}
