// Signatures of every provider through the real capture path: a bin given secrets over the API,
// deliveries signed by the providers' own libraries, the verdict read back over the API.
import { createHmac } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sign as githubSign } from '@octokit/webhooks-methods';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../shared/checks/types.js';
import { createBin, getJson, makeTempDir, startServer, type TestServer } from './helpers/server.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(() => srv.close());

const BODY = '{"action":"opened","issue":{"number":1}}';

async function send(binId: string, body: string, headers: Record<string, string>): Promise<CheckResult> {
  const res = await fetch(`${srv.url}/h/${binId}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const { id } = (await res.json()) as { id: string };
  return (await getJson(`${srv.url}/api/bins/${binId}/requests/${id}`)).body.checks as CheckResult;
}

const patch = (binId: string, body: unknown) =>
  fetch(`${srv.url}/api/bins/${binId}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('signingSecrets over the API', () => {
  it('verifies GitHub deliveries: genuine valid, tampered invalid (it used to say none / valid)', async () => {
    const bin = await createBin(srv.url, { signingSecrets: [{ provider: 'github', secret: 'gh-secret' }] });
    expect(bin.signingSecrets).toEqual([{ provider: 'github', secret: 'gh-secret' }]);
    const signature = await githubSign('gh-secret', BODY);
    const genuine = await send(bin.id, BODY, { 'x-hub-signature-256': signature, 'x-github-event': 'issues' });
    expect(genuine).toMatchObject({ signature: 'valid', signatureProvider: 'github', valid: true });
    const tampered = await send(bin.id, BODY.replace('1', '2'), { 'x-hub-signature-256': signature, 'x-github-event': 'issues' });
    expect(tampered).toMatchObject({ signature: 'invalid', signatureProvider: 'github', valid: false });
    expect(tampered.errors).toContainEqual({
      path: '',
      code: 'signature.invalid',
      message: expect.stringContaining('No GitHub signature in X-Hub-Signature-256 matches'),
    });
    const unsigned = await send(bin.id, BODY, {});
    expect(unsigned).toMatchObject({ signature: 'missing', signatureProvider: 'github' });
  });

  it('holds several secrets (rotation, one per provider) set with PATCH, next to the single signingSecret', async () => {
    const bin = await createBin(srv.url, { signingSecret: 'whsec_' + Buffer.from('k'.repeat(24)).toString('base64') });
    const res = await patch(bin.id, {
      signingSecrets: [
        { provider: 'stripe', secret: 'whsec_new' },
        { provider: 'stripe', secret: 'whsec_old' },
        { provider: 'shopify', secret: 'shp' },
      ],
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { signingSecret: string }).signingSecret).toBe(bin.signingSecret);
    const stripe = new Stripe('sk_test_hookscope');
    const header = stripe.webhooks.generateTestHeaderString({ payload: BODY, secret: 'whsec_old' });
    expect(await send(bin.id, BODY, { 'stripe-signature': header })).toMatchObject({ signature: 'valid', signatureProvider: 'stripe' });
    const old = stripe.webhooks.generateTestHeaderString({ payload: BODY, secret: 'whsec_new', timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect(await send(bin.id, BODY, { 'stripe-signature': old })).toMatchObject({ signature: 'expired', signatureProvider: 'stripe' });
    const shopify = createHmac('sha256', 'shp').update(BODY).digest('base64');
    expect(await send(bin.id, BODY, { 'x-shopify-hmac-sha256': shopify })).toMatchObject({ signature: 'valid', signatureProvider: 'shopify' });
  });

  it('refuses a bad list with 400 and a message naming the entry', async () => {
    const bin = await createBin(srv.url);
    const res = await patch(bin.id, {
      signingSecrets: [
        { provider: 'github', secret: 'a' },
        { provider: 'hmac', secret: 'b', hmac: { header: 'x-sig', encoding: 'base32' } },
      ],
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'invalid_bin', message: 'signingSecrets[1].hmac.encoding must be hex or base64.' } });
  });

  it('reads a bin stored before signingSecrets existed as having none', async () => {
    // A bin.json as the previous version wrote it (a single signingSecret, no list).
    const dataDir = await makeTempDir();
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    await mkdir(join(dataDir, 'bins', id), { recursive: true });
    const secret = 'whsec_' + Buffer.from('k'.repeat(24)).toString('base64');
    const stored = {
      id,
      name: 'old',
      token: null,
      requireToken: false,
      createdAt: '2025-01-01T00:00:00.000Z',
      schema: 'auto',
      signingSecret: secret,
      expectedIds: [],
    };
    await writeFile(join(dataDir, 'bins', id, 'bin.json'), JSON.stringify({ bin: stored }));
    const old = await startServer({ dataDir });
    try {
      const { status, body } = await getJson(`${old.url}/api/bins/${id}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ signingSecret: secret, signingSecrets: [] });
    } finally {
      await old.close();
    }
  });
});
