// shared/json-depth.ts: the nesting scan that decides whether a parsed view is built.
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../shared/json-depth.js';

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, up to and past the limit', () => {
    expect(nestsDeeperThan('[[[]]]', 3)).toBe(false);
    expect(nestsDeeperThan('[[[[]]]]', 3)).toBe(true);
    expect(nestsDeeperThan('[{"a":[{}]}]', 3)).toBe(true);
    expect(nestsDeeperThan('[[],[],[]]', 2)).toBe(false); // siblings do not add up
    expect(nestsDeeperThan('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBe(false);
    expect(nestsDeeperThan('['.repeat(MAX_JSON_DEPTH + 1))).toBe(true);
  });

  it('does not count brackets inside strings, escaped quotes and backslashes included', () => {
    expect(nestsDeeperThan('["[[[[", "{{{{"]', 1)).toBe(false);
    expect(nestsDeeperThan('["a\\"[[[["]', 1)).toBe(false); // \" does not end the string
    expect(nestsDeeperThan('["a\\\\", [[[]]]]', 3)).toBe(true); // \\ ends with the quote after it
    expect(nestsDeeperThan('{"k[[[[":"v]]]]","x":[[1]]}', 2)).toBe(true);
  });

  it('answers for text that is not JSON without throwing (JSON.parse judges it)', () => {
    expect(nestsDeeperThan('"unterminated [[[[', 1)).toBe(false);
    expect(nestsDeeperThan(']]]]][[', 1)).toBe(true);
    expect(nestsDeeperThan('', 0)).toBe(false);
  });
});
