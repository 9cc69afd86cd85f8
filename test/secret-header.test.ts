// Header secrets (`secretHeader: { name, value }`) through the real server: validated like the
// other bin settings, compared in constant time, recorded like the token (valid / invalid /
// missing), refused by requireToken the same way, and judged alike by checks and filters.
import { describe, expect, it } from 'vitest';
import { checkSecretHeader } from '../server/capture/token.js';
import type { Bin, RequestSummary } from '../shared/api-types.js';
import { secretVerdict } from '../shared/filter.js';
import { rawRequest } from './helpers/raw-http.js';
import { createBin, getJson, serversClosedAfterEach, startServer } from './helpers/server.js';

const start = serversClosedAfterEach();
const SECRET = { name: 'X-Webhook-Token', value: 'header-s3cret-0123456789' };

async function capture(bin: Bin, headers: Record<string, string> = {}, query = ''): Promise<{ status: number; body: any }> {
  const res = await fetch(`${bin.url}/run${query}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"run_id":"x"}' });
  return { status: res.status, body: await res.json() };
}

async function summaries(url: string, binId: string, q = ''): Promise<RequestSummary[]> {
  const { body } = await getJson<{ requests: RequestSummary[] }>(`${url}/api/bins/${binId}/requests${q ? `?q=${encodeURIComponent(q)}` : ''}`);
  return body.requests;
}

describe('secretHeader on a bin', () => {
  it('is stored, served, changed and cleared through the bins API, and survives a restart', async () => {
    const srv = await start();
    const plain = await createBin(srv.url);
    expect(plain.secretHeader).toBeNull();
    const bin = await createBin(srv.url, { secretHeader: SECRET, requireToken: true });
    expect(bin).toMatchObject({ secretHeader: SECRET, requireToken: true, token: null });
    const patched = await fetch(`${srv.url}/api/bins/${plain.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secretHeader: { name: 'Authorization', value: 'Bearer abc' } }),
    });
    expect((await patched.json()).secretHeader).toEqual({ name: 'Authorization', value: 'Bearer abc' });
    await srv.stop();
    const again = await startServer({ dataDir: srv.dataDir });
    try {
      expect((await getJson(`${again.url}/api/bins/${bin.id}`)).body.secretHeader).toEqual(SECRET);
      const cleared = await fetch(`${again.url}/api/bins/${plain.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: '{"secretHeader":null}',
      });
      expect((await cleared.json()).secretHeader).toBeNull();
      // requireToken with neither secret left is refused, as it was for the token alone.
      const orphan = await fetch(`${again.url}/api/bins/${bin.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: '{"secretHeader":null}',
      });
      expect(orphan.status).toBe(400);
      expect((await orphan.json()).error.message).toMatch(/"requireToken" needs a "token" or a "secretHeader"/);
    } finally {
      await again.close();
    }
  });

  it('refuses a malformed secretHeader with a message that says what is wrong', async () => {
    const srv = await start();
    const cases: [unknown, RegExp][] = [
      ['X-Token: abc', /"secretHeader" must be null or \{ "name"/],
      [{ name: 'X-Token' }, /"secretHeader" must be null or \{ "name"/],
      [{ name: 'X-Token', value: 'v', extra: 1 }, /"secretHeader" has unknown field "extra"/],
      [{ name: 'X Token', value: 'v' }, /"secretHeader\.name" must be a header name/],
      [{ name: 'Content-Length', value: 'v' }, /other than host, content-length/],
      [{ name: 'X-Token', value: '' }, /"secretHeader\.value" must be 1 to 1024 visible ASCII/],
      [{ name: 'X-Token', value: ' padded' }, /spaces only inside/],
      [{ name: 'X-Token', value: 'line\nbreak' }, /visible ASCII/],
      [{ name: 'X-Token', value: 'é' }, /visible ASCII/],
      [{ name: 'X-Token', value: 'x'.repeat(1025) }, /1 to 1024/],
    ];
    for (const [secretHeader, message] of cases) {
      const res = await fetch(`${srv.url}/api/bins`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ secretHeader }),
      });
      expect(res.status, JSON.stringify(secretHeader)).toBe(400);
      const body = await res.json();
      expect(body.error.code).toBe('invalid_bin');
      expect(body.error.message).toMatch(message);
    }
  });
});

describe('captures on a bin with a secret header', () => {
  it('without requireToken: records valid, invalid and missing, all answered 200, with check errors like the token', async () => {
    const srv = await start();
    const bin = await createBin(srv.url, { secretHeader: SECRET });
    expect((await capture(bin, { 'x-webhook-token': SECRET.value })).status).toBe(200); // any case of the name
    expect((await capture(bin, { [SECRET.name]: 'wrong' })).status).toBe(200);
    expect((await capture(bin, { [SECRET.name]: `${SECRET.value}-and-longer` })).status).toBe(200);
    expect((await capture(bin)).status).toBe(200);
    const [missing, longer, wrong, valid] = await summaries(srv.url, bin.id);
    expect([valid, wrong, longer, missing].map((r) => r!.secretHeader)).toEqual(['valid', 'invalid', 'invalid', 'missing']);
    expect([valid, wrong, missing].map((r) => r!.token)).toEqual(['none', 'none', 'none']);
    expect(valid!.checks).toMatchObject({ secretHeader: 'valid' });
    expect(valid!.checks!.errors.map((e) => e.code)).not.toContain('token.header_invalid');
    expect(wrong!.checks!.errors.map((e) => e.code)).toContain('token.header_invalid');
    expect(missing!.checks!.errors.map((e) => e.code)).toContain('token.header_missing');
    expect(missing!.rejection).toBeUndefined();
    // A bin without a secret header records no verdict for it.
    const plain = await createBin(srv.url);
    await capture(plain, { [SECRET.name]: SECRET.value });
    expect((await summaries(srv.url, plain.id))[0]!.secretHeader).toBeUndefined();
  });

  it('with requireToken: a missing or wrong header gets the same 401 as the token, and is still recorded', async () => {
    const srv = await start();
    const bin = await createBin(srv.url, { secretHeader: { name: 'Authorization', value: 'Bearer s3cr3t' }, requireToken: true });
    const missing = await capture(bin);
    expect(missing).toEqual({
      status: 401,
      body: { error: { code: 'token_missing', message: 'This bin requires the Authorization header. The request was recorded and marked.' } },
    });
    const wrong = await capture(bin, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ code: 'token_invalid', message: expect.stringMatching(/^The Authorization header does not match/) });
    expect((await capture(bin, { authorization: 'Bearer s3cr3t' })).status).toBe(200);
    const [ok, bad, none] = await summaries(srv.url, bin.id);
    expect([ok, bad, none].map((r) => [r!.secretHeader, r!.rejection?.code ?? null])).toEqual([
      ['valid', null],
      ['invalid', 'token_invalid'],
      ['missing', 'token_missing'],
    ]);
  });

  it('with both a token and a header required: each must be right', async () => {
    const srv = await start();
    const bin = await createBin(srv.url, { token: 'query-token', secretHeader: SECRET, requireToken: true });
    expect((await capture(bin, { [SECRET.name]: SECRET.value }, '?token=query-token')).status).toBe(200);
    expect((await capture(bin, {}, '?token=query-token')).body.error.code).toBe('token_missing');
    expect((await capture(bin, { [SECRET.name]: SECRET.value })).body.error.code).toBe('token_missing');
    expect((await capture(bin, { [SECRET.name]: 'wrong' }, '?token=query-token')).body.error.code).toBe('token_invalid');
  });

  it('a header sent twice is not taken for the secret', async () => {
    const srv = await start();
    const bin = await createBin(srv.url, { secretHeader: SECRET, requireToken: true });
    const res = await rawRequest(srv.url, { method: 'POST', path: `/h/${bin.id}`, headers: [SECRET.name, SECRET.value, SECRET.name, SECRET.value] });
    expect(res.status).toBe(401);
    expect((await summaries(srv.url, bin.id))[0]!.secretHeader).toBe('invalid');
  });

  it('the token: filter judges the token and the header together, on the server', async () => {
    const srv = await start();
    const bin = await createBin(srv.url, { token: 'query-token', secretHeader: SECRET });
    await capture(bin, { [SECRET.name]: SECRET.value }, '?token=query-token'); // both valid
    await capture(bin, { [SECRET.name]: 'wrong' }, '?token=query-token'); // header invalid
    await capture(bin, {}, '?token=query-token'); // header missing
    await capture(bin, { [SECRET.name]: SECRET.value }, '?token=nope'); // token invalid
    const paths = async (q: string) => (await summaries(srv.url, bin.id, q)).map((r) => `${r.token}/${r.secretHeader}`);
    expect(await paths('token:valid')).toEqual(['valid/valid']);
    expect(await paths('token:invalid')).toEqual(['invalid/valid', 'valid/invalid']);
    expect(await paths('token:missing')).toEqual(['valid/missing']);
    expect(await paths('token:none')).toEqual([]);
  });
});

describe('the comparison', () => {
  it('hashes both sides first, so values of any length compare without throwing or short-cutting', () => {
    const secret = { name: 'X-Webhook-Token', value: 'abc' };
    expect(checkSecretHeader(secret, { 'x-webhook-token': 'abc' })).toBe('valid');
    // timingSafeEqual throws on buffers of different lengths: these pass through the digests.
    expect(checkSecretHeader(secret, { 'x-webhook-token': 'ab' })).toBe('invalid');
    expect(checkSecretHeader(secret, { 'x-webhook-token': 'a'.repeat(10_000) })).toBe('invalid');
    expect(checkSecretHeader(secret, { 'x-webhook-token': '' })).toBe('invalid');
    expect(checkSecretHeader(secret, { 'x-webhook-token': ['abc', 'abc'] as unknown as string })).toBe('invalid');
    expect(checkSecretHeader(secret, {})).toBe('missing');
    expect(checkSecretHeader(null, { 'x-webhook-token': 'abc' })).toBe('none');
  });

  it('combines the two verdicts, the worse winning', () => {
    expect(secretVerdict('none', undefined)).toBe('none');
    expect(secretVerdict('valid', undefined)).toBe('valid');
    expect(secretVerdict('none', 'missing')).toBe('missing');
    expect(secretVerdict('valid', 'invalid')).toBe('invalid');
    expect(secretVerdict('missing', 'invalid')).toBe('invalid');
    expect(secretVerdict('missing', 'valid')).toBe('missing');
  });
});
