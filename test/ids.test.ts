import { describe, expect, it } from 'vitest';
import { isRequestId } from '../shared/ids.js';
import { createRequestIdGenerator } from '../server/ids.js';

describe('request ids', () => {
  it('strictly increase within a millisecond, across milliseconds and when the clock steps back', () => {
    const clock = [1000, 1000, 1000, 1001, 999, 999, 1002];
    let i = 0;
    const next = createRequestIdGenerator(() => clock[i++]!);
    const ids = clock.map(() => next().id);
    expect(ids.every(isRequestId)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('take fresh randomness each millisecond, past the pool they are drawn from', () => {
    let now = 1_700_000_000_000;
    const next = createRequestIdGenerator(() => now++);
    // 1,000 milliseconds: more than two fills of the 400-id pool.
    const randomParts = Array.from({ length: 1000 }, () => next().id.slice(10));
    expect(new Set(randomParts).size).toBe(1000);
  });
});
