import { createHmac } from 'node:crypto';
import { sign as githubSign } from '@octokit/webhooks-methods';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Webhook as SvixWebhook } from 'svix';
import { describe, expect, it } from 'vitest';
import type { SigningSecret } from '../../shared/checks/types.js';
import { parseSigningSecrets, SigningSecretsError } from '../../server/checks/signing-secrets.js';
import type { HeaderBag } from '../../server/checks/signature.js';
import { binSecrets, verifySignature } from '../../server/checks/verify-signature.js';

// Each provider's own library signs (the oracle); hookscope must agree over the same bytes.
const NOW = 1_750_000_000_000; // ms: when the request arrived
const TS = NOW / 1000;
const BODY = Buffer.from('{"action":"opened","issue":{"number":1,"title":"Hello"}}\n');
const TAMPERED = Buffer.from(BODY.toString().replace('Hello', 'Hellp'));
const WHSEC = 'whsec_' + Buffer.from('hookscope-test-signing-key-32byt').toString('base64');
const OLD_WHSEC = 'whsec_' + Buffer.from('the-previous-key-before-rotation').toString('base64');
const stripe = new Stripe('sk_test_hookscope');

function verify(secrets: SigningSecret[], headers: HeaderBag, body = BODY, now = NOW) {
  return verifySignature({ secrets, headers, body, now });
}

/** Lower-cases header names, as Node gives them. */
function lower(headers: Record<string, string>): HeaderBag {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

describe('GitHub (signed by @octokit/webhooks-methods)', () => {
  const secrets: SigningSecret[] = [{ provider: 'github', secret: "It's a Secret to Everybody" }];
  it('verifies a genuine X-Hub-Signature-256 and refuses a tampered body', async () => {
    const headers = { 'x-hub-signature-256': await githubSign(secrets[0]!.secret, BODY.toString()), 'x-github-event': 'issues' };
    expect(verify(secrets, headers)).toEqual({ status: 'valid', provider: 'github' });
    expect(verify(secrets, headers, TAMPERED)).toEqual({ status: 'invalid', provider: 'github' });
    expect(verify([{ provider: 'github', secret: 'another' }], headers)).toEqual({ status: 'invalid', provider: 'github' });
  });

  it("matches GitHub's documented example", () => {
    // docs.github.com "Validating webhook deliveries": secret, payload and signature of the example.
    const headers = { 'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' };
    expect(verify(secrets, headers, Buffer.from('Hello, World!'))).toEqual({ status: 'valid', provider: 'github' });
  });

  it('verifies the SHA-1 X-Hub-Signature when it is the only one', () => {
    const sha1 = 'sha1=' + createHmac('sha1', secrets[0]!.secret).update(BODY).digest('hex');
    expect(verify(secrets, { 'x-hub-signature': sha1 })).toEqual({ status: 'valid', provider: 'github' });
    expect(verify(secrets, { 'x-hub-signature': sha1 }, TAMPERED)).toEqual({ status: 'invalid', provider: 'github' });
    expect(verify(secrets, { 'x-hub-signature': 'md5=abcd' }).status).toBe('malformed');
  });

  it('accepts a delivery signed with either secret during a rotation', async () => {
    const rotated: SigningSecret[] = [
      { provider: 'github', secret: 'new-secret' },
      { provider: 'github', secret: 'old-secret' },
    ];
    expect(verify(rotated, { 'x-hub-signature-256': await githubSign('old-secret', BODY.toString()) })).toEqual({ status: 'valid', provider: 'github' });
    expect(verify(rotated, { 'x-hub-signature-256': await githubSign('new-secret', BODY.toString()) })).toEqual({ status: 'valid', provider: 'github' });
    expect(verify(rotated, { 'x-hub-signature-256': await githubSign('third', BODY.toString()) })).toEqual({ status: 'invalid', provider: 'github' });
  });

  it('says missing, naming GitHub, when the bin has a GitHub secret and the request is unsigned', () => {
    expect(verify(secrets, { 'x-github-event': 'issues' })).toEqual({ status: 'missing', provider: 'github' });
  });

  it('says no_secret when the delivery is signed but the bin has no GitHub secret', async () => {
    const headers = { 'x-hub-signature-256': await githubSign('x', BODY.toString()) };
    expect(verify([], headers)).toEqual({ status: 'no_secret', provider: 'github' });
    expect(verify([{ provider: 'stripe', secret: 'whsec_x' }], headers)).toEqual({ status: 'no_secret', provider: 'github' });
  });
});

describe('Stripe (signed by stripe.webhooks.generateTestHeaderString)', () => {
  const secret = 'whsec_test_0123456789abcdef';
  const secrets: SigningSecret[] = [{ provider: 'stripe', secret }];
  const header = (timestamp: number, s = secret, payload = BODY.toString()) => ({
    'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload, secret: s, timestamp }),
  });

  it('verifies a genuine signature within 5 minutes either side', () => {
    expect(verify(secrets, header(TS))).toEqual({ status: 'valid', provider: 'stripe' });
    expect(verify(secrets, header(TS - 300))).toEqual({ status: 'valid', provider: 'stripe' });
    expect(verify(secrets, header(TS + 300))).toEqual({ status: 'valid', provider: 'stripe' });
  });

  it('calls an old but genuine signature expired and a tampered body invalid', () => {
    expect(verify(secrets, header(TS - 301))).toEqual({ status: 'expired', provider: 'stripe', detail: 'stripe-signature t= is 301 s in the past' });
    expect(verify(secrets, header(TS), TAMPERED)).toEqual({ status: 'invalid', provider: 'stripe' });
    // A changed t= breaks the signature: the time is signed too.
    const moved = header(TS)['stripe-signature'].replace(`t=${TS}`, `t=${TS + 1}`);
    expect(verify(secrets, { 'stripe-signature': moved })).toEqual({ status: 'invalid', provider: 'stripe' });
  });

  it('accepts either secret while one is rolled, and any v1 entry', () => {
    const rotated: SigningSecret[] = [{ provider: 'stripe', secret: 'whsec_new' }, ...secrets];
    expect(verify(rotated, header(TS))).toEqual({ status: 'valid', provider: 'stripe' });
    const other = header(TS, 'whsec_other')['stripe-signature'].split(',')[1];
    expect(verify(secrets, { 'stripe-signature': `${header(TS)['stripe-signature']},${other}` })).toEqual({ status: 'valid', provider: 'stripe' });
  });

  it('says malformed without t= or v1=', () => {
    expect(verify(secrets, { 'stripe-signature': 'v1=abcd' })).toMatchObject({ status: 'malformed', detail: expect.stringMatching(/t=/) });
    expect(verify(secrets, { 'stripe-signature': `t=${TS},v0=abcd` })).toMatchObject({ status: 'malformed', detail: expect.stringMatching(/v1=/) });
  });
});

describe('Standard Webhooks (standardwebhooks) and Svix (svix)', () => {
  it("verifies both libraries' signatures with a standard-webhooks or svix secret", () => {
    const sw = new StandardWebhook(WHSEC).sign('msg_1', new Date(NOW), BODY.toString());
    const swHeaders = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(TS), 'webhook-signature': sw };
    const svix = new SvixWebhook(WHSEC).sign('msg_1', new Date(NOW), BODY.toString());
    const svixHeaders = { 'svix-id': 'msg_1', 'svix-timestamp': String(TS), 'svix-signature': svix };
    for (const provider of ['standard-webhooks', 'svix'] as const) {
      const secrets: SigningSecret[] = [{ provider, secret: WHSEC }];
      expect(verify(secrets, swHeaders)).toEqual({ status: 'valid', provider: 'standard-webhooks' });
      expect(verify(secrets, svixHeaders)).toEqual({ status: 'valid', provider: 'svix' });
      expect(verify(secrets, svixHeaders, TAMPERED)).toEqual({ status: 'invalid', provider: 'svix' });
    }
  });

  it('calls an old timestamp expired and accepts a rotated secret', () => {
    const old = new Date(NOW - 10 * 60_000);
    const headers = {
      'svix-id': 'msg_2',
      'svix-timestamp': String(old.getTime() / 1000),
      'svix-signature': new SvixWebhook(OLD_WHSEC).sign('msg_2', old, BODY.toString()),
    };
    const secrets: SigningSecret[] = [
      { provider: 'svix', secret: WHSEC },
      { provider: 'svix', secret: OLD_WHSEC },
    ];
    expect(verify(secrets, headers)).toEqual({ status: 'expired', provider: 'svix', detail: 'svix-timestamp is 600 s in the past' });
    expect(verify([secrets[0]!], headers)).toEqual({ status: 'invalid', provider: 'svix' });
  });

  it("keeps a bin's single signingSecret (as stored today) working", () => {
    const headers = {
      'webhook-id': 'msg_3',
      'webhook-timestamp': String(TS),
      'webhook-signature': new StandardWebhook(WHSEC).sign('msg_3', new Date(NOW), BODY.toString()),
    };
    expect(binSecrets({ signingSecret: WHSEC })).toEqual([{ provider: 'standard-webhooks', secret: WHSEC }]);
    expect(verify(binSecrets({ signingSecret: WHSEC }), headers)).toEqual({ status: 'valid', provider: 'standard-webhooks' });
    expect(verify(binSecrets({ signingSecret: OLD_WHSEC, signingSecrets: [{ provider: 'standard-webhooks', secret: WHSEC }] }), headers).status).toBe('valid');
    expect(verify(binSecrets({ signingSecret: null }), headers)).toEqual({ status: 'no_secret', provider: 'standard-webhooks' });
  });
});

describe('Shopify (X-Shopify-Hmac-Sha256, base64)', () => {
  const secrets: SigningSecret[] = [{ provider: 'shopify', secret: 'shpss_hookscope' }];
  // No small signing library on npm: signed as Shopify's docs describe (HMAC-SHA256 of the raw body, base64).
  const hmac = (body: Buffer, key = 'shpss_hookscope') => createHmac('sha256', key).update(body).digest('base64');
  it('verifies genuine, refuses tampered and other-secret deliveries, and names what is missing', () => {
    expect(verify(secrets, lower({ 'X-Shopify-Hmac-Sha256': hmac(BODY), 'X-Shopify-Topic': 'orders/create' }))).toEqual({
      status: 'valid',
      provider: 'shopify',
    });
    expect(verify(secrets, lower({ 'X-Shopify-Hmac-Sha256': hmac(BODY) }), TAMPERED)).toEqual({ status: 'invalid', provider: 'shopify' });
    expect(verify(secrets, lower({ 'X-Shopify-Hmac-Sha256': hmac(BODY, 'other') }))).toEqual({ status: 'invalid', provider: 'shopify' });
    expect(verify(secrets, lower({ 'X-Shopify-Hmac-Sha256': hmac(BODY).toUpperCase() }))).toEqual({ status: 'invalid', provider: 'shopify' });
    expect(verify([{ provider: 'shopify', secret: 'new' }, ...secrets], lower({ 'X-Shopify-Hmac-Sha256': hmac(BODY) }))).toEqual({
      status: 'valid',
      provider: 'shopify',
    });
    expect(verify(secrets, { 'x-shopify-topic': 'orders/create' })).toEqual({ status: 'missing', provider: 'shopify' });
  });
});

describe('Slack (v0= over v0:timestamp:body)', () => {
  // Slack's documented example ("Verifying requests from Slack").
  const secret = '8f742231b10e8888abcd99yyyzzz85a5';
  const body = Buffer.from(
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  );
  const headers = { 'x-slack-request-timestamp': '1531420618', 'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503' };
  const secrets: SigningSecret[] = [{ provider: 'slack', secret }];

  it("verifies Slack's documented example at its time, expired 5 minutes and 1 s later", () => {
    expect(verify(secrets, headers, body, 1531420618_000)).toEqual({ status: 'valid', provider: 'slack' });
    expect(verify(secrets, headers, body, (1531420618 + 301) * 1000)).toEqual({
      status: 'expired',
      provider: 'slack',
      detail: 'x-slack-request-timestamp is 301 s in the past',
    });
  });

  it('refuses a tampered body, a moved timestamp and a missing one', () => {
    expect(verify(secrets, headers, Buffer.concat([body, Buffer.from('x')]), 1531420618_000)).toEqual({ status: 'invalid', provider: 'slack' });
    expect(verify(secrets, { ...headers, 'x-slack-request-timestamp': '1531420619' }, body, 1531420618_000)).toEqual({ status: 'invalid', provider: 'slack' });
    expect(verify(secrets, { 'x-slack-signature': headers['x-slack-signature'] }, body, 1531420618_000).status).toBe('malformed');
  });
});

describe('generic HMAC', () => {
  it('verifies a hex sha256 with a prefix over the body', () => {
    const secrets: SigningSecret[] = [
      { provider: 'hmac', secret: 's3cret', hmac: { header: 'x-signature', algorithm: 'sha256', encoding: 'hex', prefix: 'sha256=', signed: '{body}' } },
    ];
    const sig = 'sha256=' + createHmac('sha256', 's3cret').update(BODY).digest('hex');
    expect(verify(secrets, { 'x-signature': sig })).toEqual({ status: 'valid', provider: 'hmac' });
    expect(verify(secrets, { 'x-signature': sig }, TAMPERED)).toEqual({ status: 'invalid', provider: 'hmac' });
    expect(verify(secrets, { 'x-signature': sig.slice('sha256='.length) }).status).toBe('malformed');
    expect(verify(secrets, {})).toEqual({ status: 'missing', provider: 'hmac' });
  });

  it('verifies base64 sha512 over {timestamp}.{body} and judges the timestamp', () => {
    const hmac = { header: 'x-sig', algorithm: 'sha512', encoding: 'base64', prefix: '', signed: '{timestamp}.{body}', timestampHeader: 'x-ts' } as const;
    const secrets: SigningSecret[] = [{ provider: 'hmac', secret: 'k', hmac }];
    const sign = (ts: number) => ({ 'x-ts': String(ts), 'x-sig': createHmac('sha512', 'k').update(`${ts}.`).update(BODY).digest('base64') });
    expect(verify(secrets, sign(TS))).toEqual({ status: 'valid', provider: 'hmac' });
    expect(verify(secrets, sign(TS - 3600))).toMatchObject({ status: 'expired', provider: 'hmac' });
    expect(verify(secrets, { ...sign(TS), 'x-ts': String(TS + 1) })).toEqual({ status: 'invalid', provider: 'hmac' });
  });

  it('verifies sha1 (hex, no prefix) and is chosen before a known provider using the same header', () => {
    const secrets: SigningSecret[] = [
      { provider: 'hmac', secret: 'k', hmac: { header: 'x-hub-signature', algorithm: 'sha1', encoding: 'hex', prefix: '', signed: '{body}' } },
    ];
    expect(verify(secrets, { 'x-hub-signature': createHmac('sha1', 'k').update(BODY).digest('hex') })).toEqual({ status: 'valid', provider: 'hmac' });
  });
});

describe('parseSigningSecrets', () => {
  it('takes providers with their secrets and fills the generic defaults', () => {
    expect(
      parseSigningSecrets([
        { provider: 'github', secret: 'a' },
        { provider: 'hmac', secret: 'b', hmac: { header: 'X-Sig' } },
      ]),
    ).toEqual([
      { provider: 'github', secret: 'a' },
      { provider: 'hmac', secret: 'b', hmac: { header: 'x-sig', algorithm: 'sha256', encoding: 'hex', prefix: '', signed: '{body}' } },
    ]);
  });

  it.each([
    ['a non-array', { provider: 'github' }, /must be an array/],
    ['an unknown provider', [{ provider: 'gitlab', secret: 'a' }], /provider must be one of/],
    ['an empty secret', [{ provider: 'github', secret: '' }], /secret must be a string/],
    ['a Svix secret that is not whsec_', [{ provider: 'svix', secret: 'plain' }], /whsec_/],
    ['hmac on another provider', [{ provider: 'github', secret: 'a', hmac: { header: 'x' } }], /only for provider "hmac"/],
    ['hmac without a header', [{ provider: 'hmac', secret: 'a', hmac: {} }], /header must be an HTTP header name/],
    ['an unknown algorithm', [{ provider: 'hmac', secret: 'a', hmac: { header: 'x', algorithm: 'md5' } }], /sha1, sha256 or sha512/],
    ['signed without {body}', [{ provider: 'hmac', secret: 'a', hmac: { header: 'x', signed: '{timestamp}' } }], /\{body\} exactly once/],
    ['{timestamp} without its header', [{ provider: 'hmac', secret: 'a', hmac: { header: 'x', signed: '{timestamp}.{body}' } }], /timestampHeader/],
    ['an unknown field', [{ provider: 'github', secret: 'a', extra: 1 }], /unknown field "extra"/],
  ])('refuses %s with a message that says what to send', (_, value, message) => {
    expect(() => parseSigningSecrets(value)).toThrow(SigningSecretsError);
    expect(() => parseSigningSecrets(value)).toThrow(message);
  });
});
