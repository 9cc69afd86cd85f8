/**
 * Keys that come from outside (header names, query keys, JSON keys, JSON Pointer segments) must
 * never reach an object's prototype. Maps built from such keys are `Map`s or null-prototype
 * objects (`dictionary()`), lookups go through `ownValue()`, and writes by an untrusted key or
 * pointer refuse the three names below, which would otherwise walk into `Object.prototype`
 * (`__proto__`) or a constructor's (`constructor`, `prototype`).
 */

/** The segments that a write by untrusted key or JSON Pointer refuses. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** True for `__proto__`, `constructor` and `prototype`. */
export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

/** An empty object without a prototype: `'constructor' in it` is false, `it.__proto__ = x` stores a key. */
export function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** `object[key]` when it is the object's own property, else undefined (inherited members never answer). */
export function ownValue<T>(object: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
  return object != null && Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}
