/**
 * The fields `keys` of `source` that are set (truthy), copied into a new object: the views leave
 * an unset optional field out rather than sending it as undefined, null or ''.
 */
export function presentFields<T extends object, K extends keyof T>(source: T, keys: readonly K[]): { [P in K]?: NonNullable<T[P]> } {
  const out: { [P in K]?: NonNullable<T[P]> } = {};
  for (const key of keys) if (source[key]) out[key] = source[key] as NonNullable<T[K]>;
  return out;
}
