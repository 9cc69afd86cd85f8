// checkPayload as the capture path will call it: schema choice, non-JSON bodies, duplicates,
// token and signature verdicts, and how they add up to `valid`.
import { describe, expect, it } from 'vitest';
import { addDuplicate, checkPayload, isSchemaChoice, type CheckInput, type CheckResult } from '../../shared/checks/index.js';
import { validatePayload } from '../../server/checks/validator.js';
import { signStandardWebhook, verifyStandardWebhook } from '../../server/checks/signature.js';
import { KREA_REFERENCE_EXAMPLES, LANGGRAPH_REFERENCE_EXAMPLE, LANGGRAPH_WEBHOOK } from '../fixtures/payloads/index.js';

const krea = JSON.parse(KREA_REFERENCE_EXAMPLES.completed) as Record<string, unknown>;
const run = JSON.parse(LANGGRAPH_REFERENCE_EXAMPLE) as Record<string, unknown>;

function check(input: Partial<CheckInput>): CheckResult {
  return checkPayload({ json: krea, headers: {}, choice: 'auto', validate: validatePayload, ...input });
}

const codes = (result: CheckResult) => ({ errors: result.errors.map((i) => i.code), warnings: result.warnings.map((i) => i.code) });

describe('schema choice', () => {
  it("'auto' checks what it recognises and nothing else", () => {
    expect(check({})).toEqual({ schema: 'krea-job', valid: true, errors: [], warnings: [], deliveryKey: 'job_id:550e8400-e29b-41d4-a716-446655440000' });
    expect(check({ json: { hello: 'world' } })).toEqual({ schema: null, valid: true, errors: [], warnings: [] });
    expect(check({ json: undefined })).toEqual({ schema: null, valid: true, errors: [], warnings: [] });
  });

  it("'none' checks no payload, even a broken one", () => {
    expect(check({ choice: 'none', json: { job_id: 1, status: 'processing' } })).toMatchObject({ schema: 'none', valid: true, errors: [], warnings: [] });
  });

  it('an explicit built-in applies even when the fields do not match it', () => {
    const result = check({ choice: 'langgraph-run' });
    expect(result.schema).toBe('langgraph-run');
    expect(result.valid).toBe(false);
    expect(result.errors.map((e) => `${e.code} ${e.path}`)).toEqual([...Array(6).fill('schema.required '), 'schema.enum /status']);
    expect(result.errors.map((e) => e.message).slice(0, 6)).toEqual(
      ['run_id', 'thread_id', 'assistant_id', 'updated_at', 'metadata', 'kwargs'].map((f) => `Missing required field "${f}".`),
    );
  });

  it('a custom schema applies without the built-in semantic checks', () => {
    const custom = { type: 'object', required: ['job_id'], properties: { status: { const: 'completed' } } };
    expect(check({ choice: { custom }, json: { job_id: 'x', status: 'processing' } })).toMatchObject({
      schema: 'custom',
      valid: false,
      errors: [{ path: '/status', code: 'schema.const', message: '"status" must be "completed" (got "processing").' }],
      warnings: [],
    });
  });

  it('a chosen schema expects a JSON body', () => {
    expect(codes(check({ choice: 'krea-job', json: undefined }))).toEqual({ errors: ['json.missing'], warnings: [] });
    const broken = check({ choice: { custom: { type: 'object' } }, json: undefined, jsonError: 'Unexpected end of JSON input' });
    expect(broken.errors).toEqual([{ path: '', code: 'json.invalid', message: 'The body looks like JSON but does not parse: Unexpected end of JSON input.' }]);
    expect(broken.valid).toBe(false);
  });

  it("'auto' only warns about a body that looks like JSON but does not parse", () => {
    expect(codes(check({ json: undefined, jsonError: 'Unexpected token }' }))).toEqual({ errors: [], warnings: ['json.invalid'] });
  });

  it('isSchemaChoice accepts the documented shapes only', () => {
    for (const ok of ['auto', 'none', 'krea-job', 'langgraph-run', { custom: { type: 'object' } }]) expect(isSchemaChoice(ok), JSON.stringify(ok)).toBe(true);
    for (const bad of ['Auto', '', null, { custom: [] }, { custom: true }, { custom: {}, extra: 1 }, ['auto']])
      expect(isSchemaChoice(bad), JSON.stringify(bad)).toBe(false);
  });
});

describe('duplicate deliveries', () => {
  it('are marked with the first request and stay valid', () => {
    const seen = new Map([['run_id:1ef6a5b8-4457-6db0-8b15-cffd3797fa04', '01J9Z8Y7X6W5V4T3S2R1Q0P9N8']]);
    const result = check({ json: run, context: { receivedUrl: LANGGRAPH_WEBHOOK, findDelivery: (key) => seen.get(key) } });
    expect(result).toMatchObject({ schema: 'langgraph-run', valid: true, duplicateOf: '01J9Z8Y7X6W5V4T3S2R1Q0P9N8', errors: [] });
    expect(result.warnings).toEqual([
      { path: '/run_id', code: 'delivery.duplicate', message: expect.stringContaining('request 01J9Z8Y7X6W5V4T3S2R1Q0P9N8. LangGraph retries') },
    ]);
  });

  it('go by webhook-id when there is one, on any schema choice', () => {
    const asked: string[] = [];
    const findDelivery = (key: string) => (asked.push(key), key === 'webhook-id:msg_1' ? '01J9Z8Y7X6W5V4T3S2R1Q0P9N8' : undefined);
    const result = check({ choice: 'none', json: 'plain text', headers: { 'webhook-id': 'msg_1' }, context: { findDelivery } });
    expect(asked).toEqual(['webhook-id:msg_1']);
    expect(result).toMatchObject({
      valid: true,
      duplicateOf: '01J9Z8Y7X6W5V4T3S2R1Q0P9N8',
      deliveryKey: 'webhook-id:msg_1',
      warnings: [{ code: 'delivery.duplicate', path: '' }],
    });
  });

  it('are not marked when the key is new', () => {
    const result = check({ context: { findDelivery: () => undefined } });
    expect(result.duplicateOf).toBeUndefined();
    expect(result.warnings).toEqual([]);
  });
});

describe('a duplicate found after the checks (addDuplicate)', () => {
  it('gives the same result as findDelivery during them, warning order included', () => {
    const context = { signature: { status: 'no_secret' as const } };
    const headers = { 'webhook-id': 'msg_1' };
    const job = { ...krea, result: null };
    const during = check({ json: job, headers, context: { ...context, findDelivery: () => '01J9Z8Y7X6W5V4T3S2R1Q0P9N8' } });
    const after = check({ json: job, headers, context });
    addDuplicate(after, '01J9Z8Y7X6W5V4T3S2R1Q0P9N8');
    expect(after).toEqual(during);
    expect(codes(during).warnings).toEqual(['krea.no_result_url', 'delivery.duplicate', 'signature.unverified']);
  });

  it('does nothing to a result without a delivery key', () => {
    const result = check({ json: { hello: 1 } });
    addDuplicate(result, '01J9Z8Y7X6W5V4T3S2R1Q0P9N8');
    expect(result.duplicateOf).toBeUndefined();
    expect(result.warnings).toEqual([]);
  });
});

describe('a payload that could not be checked', () => {
  const skipped = { reason: 'too_deep' as const, message: 'check skipped: too deeply nested (…).' };

  it('is marked skipped and not valid, with no schema findings, whatever the choice but none', () => {
    for (const choice of ['auto', 'krea-job', { custom: { type: 'object' } }] as const) {
      const result = check({ choice, json: undefined, skipped });
      expect(result).toMatchObject({ valid: false, errors: [], warnings: [], skipped });
    }
    expect(check({ choice: 'auto', json: undefined, skipped }).schema).toBeNull();
    expect(check({ choice: 'krea-job', json: undefined, skipped }).schema).toBe('krea-job');
    const off = check({ choice: 'none', json: undefined, skipped });
    expect(off).toEqual({ schema: 'none', valid: true, errors: [], warnings: [] });
  });

  it('still gets its token, signature and header duplicate checks', () => {
    const result = check({
      json: undefined,
      skipped,
      headers: { 'webhook-id': 'm' },
      context: { token: 'invalid', signature: { status: 'invalid' }, findDelivery: () => '01J9Z8Y7X6W5V4T3S2R1Q0P9N8' },
    });
    expect(codes(result)).toEqual({ errors: ['token.invalid', 'signature.invalid'], warnings: ['delivery.duplicate'] });
    expect(result).toMatchObject({ skipped, duplicateOf: '01J9Z8Y7X6W5V4T3S2R1Q0P9N8', deliveryKey: 'webhook-id:m' });
  });
});

describe('token and signature verdicts', () => {
  it.each([
    ['none', []],
    ['valid', []],
    ['missing', ['token.missing']],
    ['invalid', ['token.invalid']],
  ] as const)('token %s', (token, errors) => {
    const result = check({ context: { token } });
    expect(result.token).toBe(token);
    expect(result.errors.map((e) => e.code)).toEqual(errors);
    expect(result.valid).toBe(errors.length === 0);
  });

  it.each([
    ['valid', [], []],
    ['none', [], []],
    ['invalid', ['signature.invalid'], []],
    ['expired', ['signature.expired'], []],
    ['missing', ['signature.missing'], []],
    ['malformed', ['signature.malformed'], []],
    ['no_secret', [], ['signature.unverified']],
  ] as const)('signature %s', (status, errors, warnings) => {
    const result = check({ choice: 'none', context: { signature: { status } } });
    expect(result.signature).toBe(status);
    expect(codes(result)).toEqual({ errors, warnings });
    expect(result.valid).toBe(errors.length === 0);
  });

  it('wire together: a signed Krea job verified over its bytes, then checked', () => {
    const secret = 'whsec_' + Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');
    const body = Buffer.from(KREA_REFERENCE_EXAMPLES.failed);
    const receivedAt = 1_750_000_000_000;
    const headers = {
      'webhook-id': 'msg_9',
      'webhook-timestamp': String(receivedAt / 1000 - 400),
      'webhook-signature': signStandardWebhook(secret, 'msg_9', receivedAt / 1000 - 400, body),
    };
    const signature = verifyStandardWebhook({ secret, headers, body, now: receivedAt });
    const result = checkPayload({ json: JSON.parse(body.toString()), headers, choice: 'auto', validate: validatePayload, context: { signature } });
    expect(result).toMatchObject({ schema: 'krea-job', valid: false, signature: 'expired', deliveryKey: 'webhook-id:msg_9', warnings: [] });
    expect(result.errors).toEqual([{ path: '', code: 'signature.expired', message: expect.stringContaining('(webhook-timestamp is 400 s in the past)') }]);
  });
});
