// The payload checks through the real capture path: every fixture posted to a real bin, the
// verdict read back over the API, then rechecked with 'auto'; duplicates, expected ids, tokens
// and Standard Webhooks signatures as a sender would produce them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../shared/checks/types.js';
import { signStandardWebhook } from '../server/checks/signature.js';
import {
  FIXTURE_GROUPS,
  KREA_DOCS_EXAMPLE,
  KREA_REFERENCE_EXAMPLES,
  LANGGRAPH_REFERENCE_EXAMPLE,
  type ExpectedIssue,
  type PayloadFixture,
} from './fixtures/payloads/index.js';
import { capture, JSON_HEADERS, sendCapture } from './helpers/capture.js';
import { createBin, getJson, makeTempDir, startServer, type TestServer } from './helpers/server.js';
import { LiveClient } from './helpers/ws-client.js';

// Senders see hookscope at its public URL; LangGraph fixtures echo https://my-server.app/hook.
const PUBLIC = 'https://my-server.app';
let srv: TestServer;
beforeAll(async () => {
  srv = await startServer({ publicUrl: PUBLIC });
});
afterAll(() => srv.close());

const codes = (issues: readonly ExpectedIssue[]) => issues.map((i) => `${i.code} @ ${i.path || '(root)'}`).sort();

/** Captures `body` as JSON (unless `headers` say otherwise) and reads back its verdict. */
async function send(binId: string, body: string, options: { path?: string; query?: string; headers?: Record<string, string> } = {}) {
  const { id, status } = await sendCapture(`${srv.url}/h/${binId}${options.path ?? ''}${options.query ? `?${options.query}` : ''}`, body, {
    headers: { ...JSON_HEADERS, ...options.headers },
  });
  const request = (await getJson(`${srv.url}/api/bins/${binId}/requests/${id}`)).body;
  return { id: id!, status, checks: request.checks as CheckResult };
}

const api = (method: string, path: string, body?: unknown) =>
  fetch(`${srv.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

/** Posts a fixture as its sender would (LangGraph: to the /hook sub-path with its token). */
async function captureFixture(fixture: PayloadFixture) {
  const bin = await createBin(srv.url, { schema: fixture.kind });
  if (fixture.expectedIds) await api('POST', `/api/bins/${bin.id}/expected`, { ids: fixture.expectedIds });
  const body = fixture.body.replaceAll(`${PUBLIC}/hook`, `${PUBLIC}/h/${bin.id}/hook`);
  const sent = await send(bin.id, body, fixture.kind === 'langgraph-run' ? { path: '/hook', query: 'token=XYZ' } : {});
  return { bin, ...sent };
}

describe.each(FIXTURE_GROUPS)('%s, captured', (_, fixtures) => {
  it.each(fixtures.map((f) => [f.name, f] as const))('%s', async (_name, fixture) => {
    const { bin, id, status, checks } = await captureFixture(fixture);
    expect(status).toBe(200); // checks never change the sender's answer
    expect(checks.schema).toBe(fixture.kind);
    expect(codes(checks.errors)).toEqual(codes(fixture.errors));
    expect(codes(checks.warnings)).toEqual(codes(fixture.warnings));
    expect(checks.valid).toBe(fixture.errors.length === 0);

    // The same verdict by recognition, after switching the bin to 'auto' and rechecking.
    await api('PATCH', `/api/bins/${bin.id}`, { schema: 'auto' });
    const rechecked = (await (await api('POST', `/api/bins/${bin.id}/requests/${id}/recheck`)).json()).checks as CheckResult;
    if (fixture.autoDetects === false) expect(rechecked.schema).toBeNull();
    else {
      expect(codes(rechecked.errors)).toEqual(codes(fixture.errors));
      expect(codes(rechecked.warnings)).toEqual(codes(fixture.warnings));
    }
  });
});

describe('the documented examples', () => {
  it('pass as valid, recognised automatically', async () => {
    const bin = await createBin(srv.url);
    const examples = [KREA_DOCS_EXAMPLE, ...Object.values(KREA_REFERENCE_EXAMPLES)];
    for (const body of examples) {
      const { checks } = await send(bin.id, body);
      expect(checks).toMatchObject({ schema: 'krea-job', valid: true, errors: [] });
    }
    const lg = await createBin(srv.url);
    const { checks } = await send(lg.id, LANGGRAPH_REFERENCE_EXAMPLE.replace(`${PUBLIC}/hook`, `${PUBLIC}/h/${lg.id}/hook`), {
      path: '/hook',
      query: 'token=XYZ',
    });
    expect(checks).toMatchObject({ schema: 'langgraph-run', valid: true, errors: [], warnings: [] });
  });
});

describe('duplicate deliveries', () => {
  it('marks a repeated job_id, run_id or webhook-id as a duplicate of the first', async () => {
    const bin = await createBin(srv.url);
    const first = await send(bin.id, KREA_REFERENCE_EXAMPLES.completed);
    const again = await send(bin.id, KREA_REFERENCE_EXAMPLES.completed);
    expect(first.checks.duplicateOf).toBeUndefined();
    expect(again.checks.duplicateOf).toBe(first.id);
    expect(again.checks.warnings.map((w) => w.code)).toContain('delivery.duplicate');

    const hooked = await send(bin.id, 'not json', { headers: { 'webhook-id': 'msg_1', 'content-type': 'text/plain' } });
    const hookedAgain = await send(bin.id, 'not json either', { headers: { 'webhook-id': 'msg_1', 'content-type': 'text/plain' } });
    expect(hooked.checks.duplicateOf).toBeUndefined();
    expect(hookedAgain.checks.duplicateOf).toBe(hooked.id);
  });

  it('calls exactly one of many concurrent deliveries the original', async () => {
    const bin = await createBin(srv.url);
    const results = await Promise.all(Array.from({ length: 12 }, () => send(bin.id, KREA_REFERENCE_EXAMPLES.failed)));
    const originals = results.filter((r) => r.checks.duplicateOf === undefined);
    expect(originals).toHaveLength(1);
    for (const r of results) if (r !== originals[0]) expect(r.checks.duplicateOf).toBe(originals[0]!.id);
  });

  it('keeps knowing a delivery across a restart, and forgets it once its request is deleted', async () => {
    const first = await startServer({ dataDir: await makeTempDir() });
    const bin = await createBin(first.url);
    const a = await capture(`${first.url}/h/${bin.id}`, KREA_REFERENCE_EXAMPLES.cancelled);
    await first.stop();
    const again = await startServer({ dataDir: first.dataDir });
    try {
      const post = () => capture(`${again.url}/h/${bin.id}`, KREA_REFERENCE_EXAMPLES.cancelled);
      const duplicateOf = async (id: string) => ((await getJson(`${again.url}/api/bins/${bin.id}/requests/${id}`)).body.checks as CheckResult).duplicateOf;
      const b = await post();
      expect(await duplicateOf(b)).toBe(a);
      await fetch(`${again.url}/api/bins/${bin.id}/requests/${a}`, { method: 'DELETE' });
      await fetch(`${again.url}/api/bins/${bin.id}/requests/${b}`, { method: 'DELETE' });
      expect(await duplicateOf(await post())).toBeUndefined();
    } finally {
      await again.close();
    }
  });
});

describe('expected ids', () => {
  it("flags a job the user did not register, in Krea's words", async () => {
    const bin = await createBin(srv.url);
    expect((await (await api('POST', `/api/bins/${bin.id}/expected`, { ids: ['550E8400-E29B-41D4-A716-446655440000'] })).json()).expectedIdCount).toBe(1);
    expect((await getJson(`${srv.url}/api/bins/${bin.id}/expected`)).body.ids).toEqual(['550e8400-e29b-41d4-a716-446655440000']);
    expect((await send(bin.id, KREA_REFERENCE_EXAMPLES.completed)).checks.valid).toBe(true);
    const unknown = await send(bin.id, KREA_REFERENCE_EXAMPLES.failed);
    expect(unknown.checks.errors).toEqual([
      expect.objectContaining({ code: 'id.unexpected', path: '/job_id', message: expect.stringMatching(/Verify the job_id matches a job you initiated/) }),
    ]);
    expect((await api('POST', `/api/bins/${bin.id}/expected`, { ids: 'nope' })).status).toBe(400);
    expect((await api('DELETE', `/api/bins/${bin.id}/expected`)).status).toBe(204);
    expect((await getJson(`${srv.url}/api/bins/${bin.id}`)).body.expectedIdCount).toBe(0);
  });
});

describe('query token', () => {
  it('records valid, invalid and missing tokens as check results', async () => {
    const bin = await createBin(srv.url, { token: 's3cret' });
    expect((await send(bin.id, '{}', { query: 'token=s3cret' })).checks).toMatchObject({ token: 'valid', valid: true });
    const bad = await send(bin.id, '{}', { query: 'token=guess' });
    expect(bad.checks.token).toBe('invalid');
    expect(bad.checks.errors.map((e) => e.code)).toEqual(['token.invalid']);
    expect((await send(bin.id, '{}')).checks.errors.map((e) => e.code)).toEqual(['token.missing']);
    const open = await createBin(srv.url);
    expect((await send(open.id, '{}', { query: 'token=anything' })).checks.token).toBeUndefined();
  });
});

describe('Standard Webhooks signatures', () => {
  const secret = `whsec_${Buffer.from('a test key of 32 bytes length!!').toString('base64')}`;
  const other = `whsec_${Buffer.from('another key, not the bins one.').toString('base64')}`;
  const body = KREA_REFERENCE_EXAMPLES.completed;
  const signed = (key: string, opts: { id?: string; at?: number; payload?: string } = {}) => {
    const id = opts.id ?? `msg_${Math.random().toString(36).slice(2)}`;
    const at = opts.at ?? Math.floor(Date.now() / 1000);
    return { 'webhook-id': id, 'webhook-timestamp': String(at), 'webhook-signature': signStandardWebhook(key, id, at, opts.payload ?? body) };
  };

  it('verifies the exact bytes: valid, invalid, expired, rotated, tampered, re-serialised, missing', async () => {
    const bin = await createBin(srv.url, { signingSecret: secret });
    const verdict = async (headers: Record<string, string>, payload = body) => (await send(bin.id, payload, { headers })).checks;

    expect(await verdict(signed(secret))).toMatchObject({ signature: 'valid', valid: true });
    expect((await verdict(signed(other))).signature).toBe('invalid');
    expect((await verdict(signed(secret, { at: Math.floor(Date.now() / 1000) - 600 }))).signature).toBe('expired');
    const rotated = signed(secret);
    const oldKey = signed(other, { id: rotated['webhook-id'], at: Number(rotated['webhook-timestamp']) });
    expect((await verdict({ ...rotated, 'webhook-signature': `${oldKey['webhook-signature']} ${rotated['webhook-signature']}` })).signature).toBe('valid');
    const tampered = body.replace('out.png', 'out.jpg');
    expect((await verdict(signed(secret), tampered)).signature).toBe('invalid');
    const reserialised = JSON.stringify(JSON.parse(body), null, 2);
    expect((await verdict(signed(secret), reserialised)).signature).toBe('invalid');
    const missing = await verdict({});
    expect(missing.signature).toBe('missing');
    expect(missing.errors.map((e) => e.code)).toContain('signature.missing');
  });

  it("verifies Svix's svix-* headers the same way, and takes svix-id as the delivery id", async () => {
    const bin = await createBin(srv.url, { signingSecret: secret });
    const standard = signed(secret);
    const svix = { 'svix-id': standard['webhook-id'], 'svix-timestamp': standard['webhook-timestamp'], 'svix-signature': standard['webhook-signature'] };
    const first = await send(bin.id, body, { headers: svix });
    expect(first.checks).toMatchObject({ signature: 'valid', valid: true, deliveryKey: `webhook-id:${standard['webhook-id']}` });
    const forged = await send(bin.id, body, {
      headers: { ...svix, 'svix-signature': signStandardWebhook(other, svix['svix-id'], Number(svix['svix-timestamp']), body) },
    });
    expect(forged.checks.signature).toBe('invalid');
    expect(forged.checks.duplicateOf).toBe(first.id); // same svix-id: the same message again
  });

  it('warns when a signed request reaches a bin without a secret', async () => {
    const bin = await createBin(srv.url);
    const { checks } = await send(bin.id, body, { headers: signed(secret) });
    expect(checks.signature).toBe('no_secret');
    expect(checks.warnings.map((w) => w.code)).toContain('signature.unverified');
  });

  it('refuses a secret that is not whsec_ + base64', async () => {
    const res = await api('POST', '/api/bins', { signingSecret: 'not-a-secret' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/whsec_/);
  });
});

describe('custom schemas, schema list and validate', () => {
  it('validates an uploaded schema first, then checks payloads against it', async () => {
    const bad = await api('POST', '/api/bins', { schema: { custom: { type: 'object', properties: { a: { type: 'strnig' } } } } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({ code: 'invalid_schema', message: expect.stringMatching(/schema/i) });
    expect((await api('POST', '/api/bins', { schema: 'krea' })).status).toBe(400);

    const custom = { type: 'object', required: ['event'], properties: { event: { enum: ['order.paid'] } } };
    const bin = (await (await api('POST', '/api/bins', { schema: { custom } })).json()) as { id: string; schema: unknown };
    expect(bin.schema).toEqual({ custom });
    expect((await send(bin.id, '{"event":"order.paid"}')).checks).toMatchObject({ schema: 'custom', valid: true });
    const wrong = await send(bin.id, '{"event":"order.lost"}');
    expect(wrong.checks.valid).toBe(false);
    expect(wrong.checks.errors[0]).toMatchObject({ path: '/event' });
    expect((await send(bin.id, 'plain text', { headers: { 'content-type': 'text/plain' } })).checks.errors.map((e) => e.code)).toEqual(['json.missing']);
  });

  it('lists the built-in schemas and validates without capturing', async () => {
    const { body } = await getJson(`${srv.url}/api/schemas`);
    expect(body.schemas.map((s: { id: string }) => s.id)).toEqual(['krea-job', 'langgraph-run']);
    const ok = await (await api('POST', '/api/validate', { schema: 'krea-job', payload: JSON.parse(KREA_REFERENCE_EXAMPLES.completed) })).json();
    expect(ok).toMatchObject({ schema: 'krea-job', valid: true });
    const auto = await (await api('POST', '/api/validate', { payload: { job_id: 'x', status: 'processing' } })).json();
    expect(auto.valid).toBe(false);
    expect(auto.errors.map((e: { code: string }) => e.code)).toEqual(expect.arrayContaining(['status.not_terminal']));
    expect((await api('POST', '/api/validate', { schema: 'krea-job' })).status).toBe(400);
  });
});

describe('live updates', () => {
  it('pushes checks with each request and pushes rechecks', async () => {
    const bin = await createBin(srv.url, { schema: 'none' });
    const client = new LiveClient(srv.url, bin.id);
    await client.waitFor((m) => m[0]?.type === 'hello');
    const { id } = await send(bin.id, '{"job_id":"x","status":"queued"}');
    await client.waitFor(() => client.requestIds.length === 1);
    const created = client.messages[1]!;
    expect(created.type === 'request.created' && created.request.checks?.schema).toBe('none');
    await api('PATCH', `/api/bins/${bin.id}`, { schema: 'auto' });
    const all = await (await api('POST', `/api/bins/${bin.id}/recheck`)).json();
    expect(all).toEqual({ rechecked: 1 });
    await client.waitFor((m) => m.some((x) => x.type === 'request.updated'));
    const updated = client.messages.find((m) => m.type === 'request.updated')!;
    expect(updated.type === 'request.updated' && updated.request.id).toBe(id);
    expect(updated.type === 'request.updated' && updated.request.checks?.valid).toBe(false);
    client.close();
  });
});
