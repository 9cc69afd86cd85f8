// The one verdict of a request (shared/verdict.ts), which the row, the detail header and the
// Checks section all show.
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../shared/checks/types.js';
import { decideVerdict } from '../../shared/verdict.js';

const VALID_KREA: CheckResult = { schema: 'krea-job', valid: true, errors: [], warnings: [] };
const issue = (code: string) => ({ path: '', code, message: `${code} happened` });

describe('decideVerdict', () => {
  it('a token the checks did not record still makes the request invalid', () => {
    const verdict = decideVerdict({ checks: VALID_KREA, contentType: 'application/json', token: 'missing' });
    expect(verdict.level).toBe('invalid');
    expect(verdict.errors.map((e) => e.code)).toEqual(['token.missing']);
    expect(verdict.summary).toBe('Invalid Krea job: 1 error');
    // Recorded by the checks: counted once.
    const recorded = decideVerdict({
      checks: { ...VALID_KREA, valid: false, token: 'missing', errors: [issue('token.missing')] },
      contentType: null,
      token: 'missing',
    });
    expect(recorded.errors).toHaveLength(1);
  });

  it('JSON that does not parse is an error when the content type promised JSON, a warning otherwise', () => {
    const checks: CheckResult = { schema: null, valid: true, errors: [], warnings: [issue('json.invalid')] };
    for (const type of ['application/json', 'application/json; charset=utf-8', 'application/vnd.api+json']) {
      expect(decideVerdict({ checks, contentType: type, token: 'none' }).level).toBe('invalid');
    }
    for (const type of ['text/plain', null, 'application/jsonx']) {
      const verdict = decideVerdict({ checks, contentType: type, token: 'none' });
      expect(verdict.level).toBe('warnings');
      expect(verdict.summary).toBe('No errors, 1 warning');
    }
  });

  it('warnings with a badge of their own leave a payload valid; other warnings do not; nothing checked says nothing', () => {
    const duplicate = decideVerdict({ checks: { ...VALID_KREA, warnings: [issue('delivery.duplicate')] }, contentType: null, token: 'none' });
    expect([duplicate.level, duplicate.summary]).toEqual(['valid', 'Valid Krea job, 1 warning']);
    expect(decideVerdict({ checks: { ...VALID_KREA, warnings: [issue('time.order')] }, contentType: null, token: 'none' }).level).toBe('warnings');
    expect(decideVerdict({ checks: { schema: null, valid: true, errors: [], warnings: [] }, contentType: null, token: 'none' }).level).toBe('none');
    expect(decideVerdict({ checks: null, contentType: null, token: 'none' }).level).toBe('none');
    expect(decideVerdict({ checks: null, contentType: null, token: 'invalid' }).level).toBe('invalid');
    const skipped = decideVerdict({
      checks: { schema: null, valid: false, errors: [], warnings: [], skipped: { reason: 'too_deep', message: 'check skipped: too deep' } },
      contentType: null,
      token: 'none',
    });
    expect([skipped.level, skipped.summary]).toEqual(['skipped', 'Payload not checked: too deep']);
  });
});
