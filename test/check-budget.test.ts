// Issue 11, items 8 and 9: no request or setting may hold the event loop, and a check that cannot
// finish never loses the capture. Custom schemas compile and run on the check workers, once per
// schema content (on save); large bodies are parsed there too; a check past its budget, out of
// memory or overflowing the stack leaves the request stored and marked "check skipped".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedRequest } from '../shared/api-types.js';
import type { CheckResult } from '../shared/checks/types.js';
import { bigSchema } from './helpers/big-schema.mjs';
import { AS_JSON, capture, sendCapture } from './helpers/capture.js';
import { createBin, getJson, serversClosedAfterEach, startServer, type TestServer } from './helpers/server.js';

const startEachServer = serversClosedAfterEach();

/** A schema that recurses into every property of an object: fine on shallow payloads, deep on deep ones. */
const RECURSIVE = {
  $defs: { node: { anyOf: [{ type: 'number' }, { type: 'object', additionalProperties: { $ref: '#/$defs/node' } }] } },
  $ref: '#/$defs/node',
};
/** A schema whose references loop without stepping into the payload: compiling it overflows the stack. */
const SELF_LOOP = { $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a' } }, $ref: '#/$defs/a' };

function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** An array of `n` distinct objects: uniqueItems compares every pair (quadratic). */
function manyObjects(n: number): string {
  return JSON.stringify(Array.from({ length: n }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'] })));
}

async function checksOf(srv: TestServer, binId: string, id: string): Promise<CheckResult> {
  const { status, body } = await getJson<CapturedRequest>(`${srv.url}/api/bins/${binId}/requests/${id}`);
  expect(status).toBe(200);
  return body.checks!;
}

async function validate(srv: TestServer, body: string): Promise<{ status: number; body: CheckResult & { error?: { code: string; message: string } } }> {
  const res = await fetch(`${srv.url}/api/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, body: await res.json() };
}

describe('item 9: a recursive custom schema and a deep payload', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer();
  });
  afterAll(() => srv.close());

  it('stores the capture and marks the check skipped, for a payload past the nesting limit', async () => {
    const bin = await createBin(srv.url, { schema: { custom: RECURSIVE } });
    const deep = await sendCapture(bin.url, nested(8000), AS_JSON);
    expect(deep.status).toBe(200);
    expect(await checksOf(srv, bin.id, deep.id!)).toMatchObject({ schema: 'custom', valid: false, skipped: { reason: 'too_deep' } });
    const raw = await fetch(`${srv.url}/api/bins/${bin.id}/requests/${deep.id}/body`);
    expect(await raw.text()).toBe(nested(8000));
    // Within the limit, the same schema checks it fully.
    const ok = await capture(bin.url, nested(250), AS_JSON);
    expect(await checksOf(srv, bin.id, ok)).toMatchObject({ schema: 'custom', valid: true, errors: [] });
    expect((await checksOf(srv, bin.id, ok)).skipped).toBeUndefined();
    const bad = await capture(bin.url, nested(250).replace('1', '"one"'), AS_JSON);
    expect((await checksOf(srv, bin.id, bad)).valid).toBe(false);
  });

  it('refuses a schema whose compile overflows the stack with a 400 when it is saved', async () => {
    const res = await fetch(`${srv.url}/api/bins`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ schema: { custom: SELF_LOOP } }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'invalid_schema', message: expect.stringContaining('could not be compiled') });
  });

  it('/api/validate answers a verdict or a 4xx, never a 500', async () => {
    const deep = await validate(srv, `{"schema":{"custom":${JSON.stringify(RECURSIVE)}},"payload":${nested(8000)}}`);
    expect(deep.status).toBe(400);
    expect(deep.body.error?.code).toBe('invalid_json');
    const loop = await validate(srv, JSON.stringify({ schema: { custom: SELF_LOOP }, payload: { a: 1 } }));
    expect(loop.status).toBe(400);
    expect(loop.body.error?.code).toBe('invalid_schema');
    const fine = await validate(srv, `{"schema":{"custom":${JSON.stringify(RECURSIVE)}},"payload":${nested(200)}}`);
    expect(fine.status).toBe(200);
    expect(fine.body).toMatchObject({ schema: 'custom', valid: true });
    const invalid = await validate(srv, JSON.stringify({ schema: { custom: { type: 'nope' } }, payload: 1 }));
    expect(invalid.status).toBe(400);
    expect(invalid.body.error?.code).toBe('invalid_schema');
  });
});

describe('item 8: nothing holds the event loop', () => {
  it('a check past its budget leaves the capture stored and marked too slow, while the server answers others', async () => {
    const srv = await startEachServer({}, { checks: { budgetMs: 1500 } });
    const bin = await createBin(srv.url, { schema: { custom: { type: 'array', uniqueItems: true } } });
    // 480 KB: ~50M pairwise comparisons, several seconds on any machine here (5,000 items took
    // 4 s on one and finished inside the 1.5 s budget on a faster one). The budget bounds the wait.
    const body = manyObjects(10_000);
    let captured = false;
    const answering = sendCapture(bin.url, body, AS_JSON).finally(() => (captured = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const status = await fetch(`${srv.url}/api/status`);
    expect(status.status).toBe(200);
    expect(captured).toBe(false); // answered while the check was still running
    const { status: code, id } = await answering;
    expect(code).toBe(200);
    const checks = await checksOf(srv, bin.id, id!);
    expect(checks).toMatchObject({
      schema: 'custom',
      valid: false,
      skipped: { reason: 'too_slow', message: expect.stringContaining('did not finish within 1.5 s') },
    });
    const raw = await fetch(`${srv.url}/api/bins/${bin.id}/requests/${id}/body`);
    expect(await raw.text()).toBe(body);
    // The worker was replaced: the next capture is checked normally.
    const next = await capture(bin.url, '[1,2,3]', AS_JSON);
    expect(await checksOf(srv, bin.id, next)).toMatchObject({ valid: true, errors: [] });
    const dup = await capture(bin.url, '[1,1]', AS_JSON);
    expect((await checksOf(srv, bin.id, dup)).errors[0]?.code).toBe('schema.uniqueItems');
  });

  it('compiles a custom schema once, when it is saved, and reuses it by content', async () => {
    // What counts here is how often it compiles, not how fast: a budget no loaded machine reaches.
    const srv = await startEachServer({}, { checks: { budgetMs: 60_000 } });
    const schema = bigSchema(150); // ~40 KB
    const bin = await createBin(srv.url, { schema: { custom: schema } });
    expect(srv.server.checks.compiles).toBe(1);
    const payload = JSON.stringify({ field1: { a: 'x1abc', b: 3 }, field2: { b: 'no a' } });
    const first = await capture(bin.url, payload, AS_JSON);
    const checks = await checksOf(srv, bin.id, first);
    expect(checks).toMatchObject({ schema: 'custom', valid: false });
    expect(checks.errors.map((e) => `${e.code} ${e.path}`)).toEqual(['schema.format /field1/a', 'schema.required /field2', 'schema.anyOf /field2/b']);
    const twin = await createBin(srv.url, { schema: { custom: structuredClone(schema) } }); // same content, another bin
    await capture(twin.url, payload, AS_JSON);
    expect(srv.server.checks.compiles).toBe(1);
    const recheck = await fetch(`${srv.url}/api/bins/${bin.id}/recheck`, { method: 'POST' });
    expect(await recheck.json()).toEqual({ rechecked: 1 });
    expect(srv.server.checks.compiles).toBe(1);
  });

  it('keeps 70 bins with their own schemas compiled: captures in rotation compile nothing more', async () => {
    const srv = await startEachServer({}, { checks: { budgetMs: 60_000 } });
    const bins = [];
    for (let i = 0; i < 70; i++)
      bins.push(await createBin(srv.url, { schema: { custom: { type: 'object', properties: { n: { const: i } }, required: ['n'] } } }));
    expect(srv.server.checks.compiles).toBe(70);
    for (let round = 0; round < 2; round++) {
      await Promise.all(
        bins.map(async (bin, i) => {
          const res = await sendCapture(bin.url, JSON.stringify({ n: round === 0 ? i : -1 }), AS_JSON);
          expect(res.status).toBe(200);
          expect((await checksOf(srv, bin.id, res.id!)).valid).toBe(round === 0);
        }),
      );
    }
    expect(srv.server.checks.compiles).toBe(70);
  });

  it('refuses a schema that does not compile within the budget, with a 400', async () => {
    const srv = await startEachServer({}, { checks: { budgetMs: 400, workers: 1 } });
    // The first compile also starts the worker (not counted) and warms ajv up (counted).
    await createBin(srv.url, { schema: { custom: { type: 'object' } } });
    const res = await fetch(`${srv.url}/api/bins`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ schema: { custom: bigSchema(400, 'slow') } }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'invalid_schema', message: expect.stringContaining('did not finish within 0.4 s') });
    // The worker was stopped and replaced: the next save works.
    expect((await createBin(srv.url, { schema: { custom: { type: 'array' } } })).schema).toEqual({ custom: { type: 'array' } });
  });

  it('checks a large body off the main thread, and claims its delivery key after', async () => {
    const srv = await startEachServer();
    const bin = await createBin(srv.url);
    const job = (n: number) =>
      JSON.stringify({
        job_id: '550e8400-e29b-41d4-a716-446655440000',
        status: 'completed',
        created_at: '2025-01-15T10:30:00.000Z',
        completed_at: '2025-01-15T10:30:05.000Z',
        result: { urls: Array.from({ length: n }, (_, i) => `https://example.com/out-${i}.png`) },
      });
    const body = job(40_000); // ~1.4 MB: past the main thread's limit
    const first = await capture(bin.url, body, AS_JSON);
    const second = await capture(bin.url, body, AS_JSON);
    expect(await checksOf(srv, bin.id, first)).toMatchObject({ schema: 'krea-job', valid: true, deliveryKey: 'job_id:550e8400-e29b-41d4-a716-446655440000' });
    expect(await checksOf(srv, bin.id, second)).toMatchObject({ schema: 'krea-job', valid: true, duplicateOf: first });
    // The request detail does not parse it on the main thread either: its views are left out.
    const { body: detail } = await getJson<CapturedRequest>(`${srv.url}/api/bins/${bin.id}/requests/${second}`);
    expect(detail.viewsOmitted).toBe(true);
    expect(detail.body.data).toBe(body);
  });

  it('a body too large to parse within the worker memory is stored and marked too large, unparsed', async () => {
    // Parsing may take ~20 times the text in heap, and V8 aborts the whole process when a large
    // allocation fails in a worker: bodies over a 32nd of the worker heap are not parsed at all.
    const srv = await startEachServer({}, { checks: { maxHeapMb: 64 } });
    expect(srv.server.checks.maxParseBytes).toBe(2 * 1024 * 1024);
    const bin = await createBin(srv.url, { schema: 'krea-job' });
    const body = `{${Array.from({ length: 400_000 }, (_, i) => `"k${i}":[${i}]`).join(',')}}`; // ~6 MB of small objects
    const res = await sendCapture(bin.url, body, AS_JSON);
    expect(res.status).toBe(200);
    expect((await checksOf(srv, bin.id, res.id!)).skipped).toMatchObject({
      reason: 'too_large',
      message: expect.stringContaining('larger than 2 MB, the most the checks parse'),
    });
    const raw = await fetch(`${srv.url}/api/bins/${bin.id}/requests/${res.id}/body`);
    expect((await raw.text()).length).toBe(body.length);
  });

  it('reports only the first schema problem of a large body: millions of errors would not fit in memory', async () => {
    const srv = await startEachServer();
    const bin = await createBin(srv.url);
    const urls = `[${Array(700_000).fill('1').join(',')}]`; // 1.4 MB: each item fails the schema three ways
    const body = `{"job_id":"550e8400-e29b-41d4-a716-446655440000","status":"completed","created_at":"2025-01-15T10:30:00.000Z","completed_at":"2025-01-15T10:30:05.000Z","result":{"urls":${urls}}}`;
    const res = await sendCapture(bin.url, body, AS_JSON);
    expect(res.status).toBe(200);
    const checks = await checksOf(srv, bin.id, res.id!);
    expect(checks).toMatchObject({ schema: 'krea-job', valid: false });
    expect(checks.errors.filter((e) => e.code.startsWith('schema.'))).toHaveLength(1);
    expect(checks.errors[0]!.path).toMatch(/^\/result\/urls\/0/);
    expect(checks.warnings).toContainEqual({
      path: '',
      code: 'schema.truncated',
      message: 'The body is larger than 256 KB: the schema check stopped at its first problem.',
    });
  });
});
