import { describe, expect, it } from 'vitest';
import { compileCustomSchema, MAX_CUSTOM_SCHEMA_BYTES, validateBuiltin, validatePayload } from '../../server/checks/validator.js';
import { MAX_SCHEMA_ISSUES } from '../../server/checks/ajv-messages.js';
import { computeChecks, type CheckJob } from '../../server/checks/compute-checks.js';
import { CheckSkippedError } from '../../server/checks/skipped.js';
import { BUILTIN_SCHEMAS } from '../../shared/schemas/index.js';

const job = {
  job_id: '550e8400-e29b-41d4-a716-446655440000',
  status: 'completed',
  created_at: '2025-01-15T10:30:00.000Z',
  result: { urls: ['https://cdn.example.com/a.png'] },
};

describe('date-time format', () => {
  it.each(['2024-08-30T23:07:38.242730+00:00', '2023-11-07T05:31:56Z', '2025-01-15T10:30:00.000Z', '2024-08-30T23:07:38+00:00', '2024-08-30T23:07:38.1-05:30'])(
    'accepts %s',
    (created_at) => {
      expect(validateBuiltin('krea-job', { ...job, created_at })).toEqual([]);
    },
  );

  it.each(['2025-13-45', '2025-02-30T00:00:00Z', '2025-01-15T10:30:00', '2025-01-15', 'yesterday', '2025-01-15T25:00:00Z'])('refuses %s', (created_at) => {
    expect(validateBuiltin('krea-job', { ...job, created_at })).toEqual([
      { path: '/created_at', code: 'schema.format', message: expect.stringContaining('"created_at" must be a date-time') },
    ]);
  });
});

describe('built-in schemas', () => {
  it('are valid draft 2020-12 schemas, with an $id, a title and a description on every field', () => {
    for (const { id, schema } of BUILTIN_SCHEMAS) {
      expect(compileCustomSchema(schema as unknown as Record<string, unknown>).ok, id).toBe(true);
      expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', $id: expect.any(String), title: expect.any(String) });
      const missing: string[] = [];
      const visit = (node: Record<string, unknown>, path: string) => {
        for (const [key, sub] of Object.entries((node.properties ?? {}) as Record<string, Record<string, unknown>>)) {
          if (typeof sub.description !== 'string') missing.push(`${path}/${key}`);
          visit(sub, `${path}/${key}`);
        }
      };
      visit(schema as unknown as Record<string, unknown>, '');
      expect(missing, id).toEqual([]);
    }
  });

  it('allow extra top-level fields (senders add them) but not a non-object body', () => {
    expect(validateBuiltin('krea-job', { ...job, added_later: { x: 1 } })).toEqual([]);
    expect(validateBuiltin('langgraph-run', 'hello')).toEqual([{ path: '', code: 'schema.type', message: 'The payload must be an object (got "hello").' }]);
  });

  it('word errors for people', () => {
    expect(validateBuiltin('krea-job', { ...job, status: 'done', job_id: undefined })).toEqual([
      { path: '', code: 'schema.required', message: 'Missing required field "job_id".' },
      {
        path: '/status',
        code: 'schema.enum',
        message:
          '"status" must be one of backlogged, queued, scheduled, processing, sampling, intermediate-complete, completed, failed, cancelled (got "done").',
      },
    ]);
    expect(validateBuiltin('krea-job', { ...job, result: { urls: [{ type: 'glb' }, 3] } })).toEqual([
      { path: '/result/urls/0', code: 'schema.required', message: '"result.urls[0]" is missing required field "url".' },
      { path: '/result/urls/1', code: 'schema.type', message: '"result.urls[1]" must be a string or an object (got 3).' },
    ]);
  });

  it('caps the number of issues', () => {
    const urls = Array.from({ length: MAX_SCHEMA_ISSUES + 10 }, (_, i) => `bad ${i}`);
    const issues = validateBuiltin('krea-job', { ...job, result: { urls } });
    expect(issues).toHaveLength(MAX_SCHEMA_ISSUES + 1);
    expect(issues.at(-1)).toEqual({ path: '', code: 'schema.truncated', message: '…and 10 more schema problems.' });
  });
});

describe('custom schemas', () => {
  const order = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    required: ['id', 'kind'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', minLength: 3 },
      kind: { anyOf: [{ const: 'a' }, { type: 'integer', minimum: 10 }] },
    },
    example: { id: 'abc', kind: 'a' }, // an unknown keyword: ignored, as the spec says
  };

  it('compile and validate with paths and readable messages', () => {
    const compiled = compileCustomSchema(order);
    if (!compiled.ok) throw new Error(compiled.message);
    expect(compiled.validate({ id: 'abc', kind: 12 })).toEqual([]);
    expect(compiled.validate({ id: 'x', kind: 5, extra: true })).toEqual([
      { path: '/extra', code: 'schema.additionalProperties', message: 'Field "extra" is not allowed here.' },
      { path: '/id', code: 'schema.minLength', message: '"id" must NOT have fewer than 3 characters.' },
      { path: '/kind', code: 'schema.anyOf', message: '"kind" matches none of the allowed forms: must be "a" (got 5); or must be >= 10.' },
    ]);
  });

  it.each([
    ['an array', [], 'must be a JSON object'],
    ['a string', 'type: object', 'must be a JSON object'],
    ['another draft', { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object' }, 'declares $schema "http://json-schema.org/draft-07/schema#"'],
    ['an unresolvable $ref', { $ref: 'https://example.com/schema.json' }, "can't resolve reference https://example.com/schema.json"],
  ])('refuses %s with a clear message', (_, schema, text) => {
    const compiled = compileCustomSchema(schema);
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(compiled.message).toContain(text);
  });

  it('refuses a schema that fails the meta-schema, pointing into it', () => {
    const compiled = compileCustomSchema({ type: 'object', properties: { a: { type: 'strin' } }, required: 'a' });
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.message).toMatch(/^This is not a valid JSON Schema \(draft 2020-12\): /);
    expect(compiled.issues.map((i) => `${i.code} ${i.path}`)).toEqual(['schema.anyOf /properties/a/type', 'schema.type /required']);
    expect(compiled.issues[0]!.message).toContain('must be one of array, boolean, integer, null, number, object, string (got "strin")');
  });

  it('refuses absurd sizes and depths', () => {
    const big = { type: 'object', description: 'x'.repeat(MAX_CUSTOM_SCHEMA_BYTES) };
    expect(compileCustomSchema(big)).toMatchObject({ ok: false, message: expect.stringContaining('too large') });
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 100; i++) deep = { type: 'object', properties: { a: deep } };
    expect(compileCustomSchema(deep)).toMatchObject({ ok: false, message: expect.stringContaining('nests deeper') });
  });

  it('run patterns in linear time, so a hostile payload cannot stall the server on a bad pattern', () => {
    // JavaScript's backtracking engine takes about 2^32 steps (tens of seconds, past the test's
    // timeout) on these values; RE2 takes one pass.
    const compiled = compileCustomSchema({
      type: 'object',
      properties: { name: { type: 'string', pattern: '^(a+)+$' } },
      patternProperties: { '^(x+x+)+y$': { type: 'string' } },
    });
    if (!compiled.ok) throw new Error(compiled.message);
    const hostile = `${'a'.repeat(32)}!`;
    expect(compiled.validate({ name: hostile }).map((i) => i.code)).toEqual(['schema.pattern']);
    expect(compiled.validate({ name: 'aaaa', [`${'x'.repeat(32)}`]: 1 })).toEqual([]);
    expect(compiled.validate({ [`${'x'.repeat(32)}y`]: 1 }).map((i) => `${i.code} ${i.path}`)).toEqual([`schema.type /${'x'.repeat(32)}y`]);
    // Unicode classes and the usual syntax work as in JSON Schema.
    const names = compileCustomSchema({ type: 'string', pattern: '^\\p{L}[\\p{L} .-]*$' });
    if (!names.ok) throw new Error(names.message);
    expect(names.validate('Zoë Müller-Ödegaard')).toEqual([]);
    expect(names.validate('1 robot')).toHaveLength(1);
  });

  it.each([
    ['lookahead', '^(?=.*\\d).+$'],
    ['a backreference', '^(a)\\1$'],
  ])('refuses a pattern with %s, saying why', (_, pattern) => {
    const compiled = compileCustomSchema({ type: 'string', pattern });
    expect(compiled).toMatchObject({ ok: false, message: expect.stringMatching(/^A pattern in the schema cannot be used: .*linear time \(RE2 syntax\)/) });
  });

  it('keep $ids of different bins apart (each compiles in its own instance)', () => {
    const a = compileCustomSchema({ $id: 'urn:example:same', type: 'string' });
    const b = compileCustomSchema({ $id: 'urn:example:same', type: 'number' });
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) {
      expect(a.validate('x')).toEqual([]);
      expect(b.validate('x')).toHaveLength(1);
    }
  });
});

describe('validatePayload (the validator checkPayload takes)', () => {
  it('uses the built-in or the custom schema', () => {
    expect(validatePayload('krea-job', job)).toEqual([]);
    expect(validatePayload({ custom: { type: 'array' } }, job)).toEqual([
      { path: '', code: 'schema.type', message: 'The payload must be an array (got an object).' },
    ]);
    expect(validatePayload({ custom: { type: 'array' } }, [])).toEqual([]);
  });

  it('reports an unusable custom schema as one issue instead of throwing', () => {
    expect(validatePayload({ custom: { type: 'nope' } }, job)).toEqual([
      { path: '', code: 'schema.custom_invalid', message: expect.stringContaining("The bin's custom schema cannot be used: This is not a valid JSON Schema") },
    ]);
  });
});

describe('a schema that recurses deeper than the stack (issue 11, item 9)', () => {
  const recursive = {
    $defs: { node: { anyOf: [{ type: 'number' }, { type: 'object', additionalProperties: { $ref: '#/$defs/node' } }] } },
    $ref: '#/$defs/node',
  };
  const deep = JSON.parse('{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000)) as unknown;

  it('throws CheckSkippedError (too_deep) instead of a RangeError', () => {
    let thrown: unknown;
    try {
      validatePayload({ custom: recursive }, deep);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CheckSkippedError);
    expect((thrown as CheckSkippedError).skipped).toMatchObject({
      reason: 'too_deep',
      message: expect.stringContaining('the schema recursed deeper into the payload than the stack allows'),
    });
  });

  it('computeChecks turns it into a result marked skipped, with the other checks kept', () => {
    const job: CheckJob = {
      body: new Uint8Array(),
      text: '{"a":1}',
      contentType: 'application/json',
      rawHeaders: ['webhook-id', 'm1'],
      choice: { custom: { hash: 'x', text: '{}' } },
      context: { token: 'missing' },
      maxParseBytes: 1000,
    };
    const result = computeChecks(job, (_, value) => validatePayload({ custom: recursive }, value === undefined ? value : deep));
    expect(result).toMatchObject({
      schema: 'custom',
      valid: false,
      skipped: { reason: 'too_deep' },
      deliveryKey: 'webhook-id:m1',
      errors: [{ code: 'token.missing' }],
    });
  });
});

describe('a payload with a hundred thousand failing items (issue 11, item 8)', () => {
  const job = (urls: unknown[]) => ({
    job_id: '550e8400-e29b-41d4-a716-446655440000',
    status: 'completed',
    created_at: '2025-01-15T10:30:00.000Z',
    completed_at: '2025-01-15T10:30:05.000Z',
    result: { urls },
  });

  it('is reported as the first 50 problems and "many more", in linear time (quadratic before: minutes)', () => {
    const issues = validateBuiltin('krea-job', job(Array(100_000).fill(1)));
    expect(issues).toHaveLength(MAX_SCHEMA_ISSUES + 1);
    expect(issues[0]).toEqual({ path: '/result/urls/0', code: 'schema.type', message: '"result.urls[0]" must be a string or an object (got 1).' });
    expect(issues.at(-1)).toEqual({ path: '', code: 'schema.truncated', message: '…and many more schema problems.' });
  });

  it("stops at the first problem in 'first' mode, for bodies too large to collect every error of", () => {
    expect(validateBuiltin('krea-job', job(Array(100_000).fill(1)), 'first')).toEqual([
      { path: '/result/urls/0', code: 'schema.type', message: '"result.urls[0]" must be a string or an object (got 1).' },
    ]);
    const custom = compileCustomSchema({ type: 'array', items: { type: 'string' } });
    expect(custom.ok && custom.validate([1, 2, 3], 'first')).toHaveLength(1);
    expect(custom.ok && custom.validate([1, 2, 3])).toHaveLength(3);
  });
});
