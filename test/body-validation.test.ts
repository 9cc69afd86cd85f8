import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../shared/wire/routes.js';
import { BODY } from '../server/api/body-validation.js';
import { HttpError } from '../server/http-error.js';

// The request-body validators built from the contract's schemas (server/api/body-validation.ts).
// The API tests check their 400s through a real server; these check what only shows here: every
// body route has one, they never write into the (untrusted) body, and how a 400 is worded.

function refusal(check: () => unknown): { status: number; code: string; message: string } {
  try {
    check();
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { status: error.status, code: error.code, message: error.message };
  }
  throw new Error('expected a refusal');
}

describe('request body validation', () => {
  it('has a validator for exactly the routes of the contract that take a body', () => {
    const withBody = Object.entries(API_ROUTES)
      .filter(([, contract]) => 'body' in contract)
      .map(([key]) => key);
    expect(Object.keys(BODY).sort()).toEqual(withBody.sort());
    expect(Object.isFrozen(BODY)).toBe(true);
  });

  it('only reads the body: no defaults written into it, no prototype reached through __proto__', () => {
    const settings = { responses: { rules: [{ sequence: { steps: [{}] } }] } };
    const before = structuredClone(settings);
    expect(BODY['POST /api/bins'](settings)).toBe(settings);
    expect(settings).toEqual(before); // defaults (match, loop, response, statusFromPath…) are the hand code's job

    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "name": "x"}');
    expect(refusal(() => BODY['POST /api/bins'](hostile))).toMatchObject({
      status: 400,
      code: 'invalid_bin',
      message: expect.stringMatching(/^Unknown field "__proto__": remove it/),
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(hostile)).toBe(Object.prototype);
  });

  it('names the field and says what it must be, with the code of the part that is wrong', () => {
    expect(refusal(() => BODY['POST /api/bins']({ name: 42 }))).toEqual({
      status: 400,
      code: 'invalid_bin',
      message: '"name" must be a string of at most 200 characters.',
    });
    expect(refusal(() => BODY['POST /api/bins']({ forward: { target: 'http://localhost:1/x', timeoutMs: 0 } }))).toEqual({
      status: 400,
      code: 'invalid_timeout',
      message: 'forward.timeoutMs must be a whole number of milliseconds from 1 to 120000.',
    });
    expect(refusal(() => BODY['POST /api/bins']({ responses: { default: { delayMs: 31_000 } } }))).toEqual({
      status: 400,
      code: 'invalid_responses',
      message: 'responses.default.delayMs must be a whole number from 0 to 30000.',
    });
    expect(refusal(() => BODY['POST /api/bins/{binId}/replay']({ requestIds: ['nope'] }))).toMatchObject({
      code: 'invalid_replay',
      message: expect.stringContaining('"requestIds" must be an array of at most 10000 request ids'),
    });
    expect(refusal(() => BODY['POST /api/send']({ target: 'http://localhost:1/' }))).toMatchObject({
      code: 'invalid_simulation',
      message: expect.stringMatching(/^"kind" must be one of krea-job, langgraph-run, custom/),
    });
  });
});
