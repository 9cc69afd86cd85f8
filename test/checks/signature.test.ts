import { describe, expect, it } from 'vitest';
import { parseSigningSecret, signStandardWebhook, verifyStandardWebhook, type HeaderBag } from '../../server/checks/signature.js';
import { KREA_REFERENCE_EXAMPLES } from '../fixtures/payloads/index.js';

// The Standard Webhooks specification's published test vector.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const SECRET = 'whsec_' + Buffer.from('hookscope-test-signing-key-32byt').toString('base64');
const OLD_SECRET = 'whsec_' + Buffer.from('the-previous-key-before-rotation').toString('base64');
const NOW = 1_750_000_000_000; // ms: when the request arrived
const TS = NOW / 1000;
const BODY = Buffer.from(`{\n  "job_id": "550e8400-e29b-41d4-a716-446655440000",\n  "status": "completed"\n}`);

function headers(signature: string, id = 'msg_2yQ8', timestamp: number | string = TS): HeaderBag {
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
}

function verify(h: HeaderBag, body = BODY, secret: string | null = SECRET, now = NOW) {
  return verifyStandardWebhook({ secret, headers: h, body, now });
}

describe('signStandardWebhook', () => {
  it('reproduces the Standard Webhooks test vector', () => {
    expect(signStandardWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it('throws on a secret that is not whsec_<base64>', () => {
    expect(() => signStandardWebhook('whsec_not base64!', 'id', 1, '')).toThrow(/whsec_/);
  });
});

describe('verifyStandardWebhook', () => {
  it('accepts the test vector at its own time', () => {
    const h = headers(VECTOR.signature, VECTOR.id, VECTOR.timestamp);
    expect(verify(h, Buffer.from(VECTOR.body), VECTOR.secret, VECTOR.timestamp * 1000)).toEqual({ status: 'valid' });
  });

  it('accepts a valid signature, within the tolerance on either side', () => {
    const sign = (ts: number) => headers(signStandardWebhook(SECRET, 'msg_2yQ8', ts, BODY), 'msg_2yQ8', ts);
    expect(verify(sign(TS))).toEqual({ status: 'valid' });
    expect(verify(sign(TS - 300))).toEqual({ status: 'valid' });
    expect(verify(sign(TS + 300))).toEqual({ status: 'valid' });
  });

  it('calls a genuine signature outside 5 minutes expired, past or future', () => {
    const sign = (ts: number) => headers(signStandardWebhook(SECRET, 'msg_2yQ8', ts, BODY), 'msg_2yQ8', ts);
    expect(verify(sign(TS - 301))).toEqual({ status: 'expired', detail: 'webhook-timestamp is 301 s in the past' });
    expect(verify(sign(TS + 3600))).toEqual({ status: 'expired', detail: 'webhook-timestamp is 3600 s in the future' });
  });

  it('calls a signature made with another secret invalid', () => {
    expect(verify(headers(signStandardWebhook(OLD_SECRET, 'msg_2yQ8', TS, BODY)))).toEqual({ status: 'invalid' });
  });

  it('accepts a rotated header when any entry matches', () => {
    const old = signStandardWebhook(OLD_SECRET, 'msg_2yQ8', TS, BODY);
    const current = signStandardWebhook(SECRET, 'msg_2yQ8', TS, BODY);
    expect(verify(headers(`${old} ${current}`))).toEqual({ status: 'valid' });
    expect(verify(headers(`v2,abcd ${old} ${current}`))).toEqual({ status: 'valid' }); // other versions are skipped
    expect(verify(headers(`${old}, ${current}`))).toEqual({ status: 'valid' }); // Node joins repeated headers with ", "
    expect(verify({ ...headers(''), 'webhook-signature': [old, current] })).toEqual({ status: 'valid' });
    expect(verify(headers(`${old} ${old}`))).toEqual({ status: 'invalid' });
  });

  it('calls a body with one byte changed invalid', () => {
    const h = headers(signStandardWebhook(SECRET, 'msg_2yQ8', TS, BODY));
    const tampered = Buffer.from(BODY);
    tampered[tampered.indexOf('completed')] = 'C'.charCodeAt(0);
    expect(verify(h, tampered)).toEqual({ status: 'invalid' });
    expect(verify(h, BODY)).toEqual({ status: 'valid' });
  });

  it('calls the same JSON re-serialised invalid: only the exact bytes verify', () => {
    const original = Buffer.from(KREA_REFERENCE_EXAMPLES.completed.replace('{"job_id"', '{ "job_id"'));
    const h = headers(signStandardWebhook(SECRET, 'msg_2yQ8', TS, original));
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(original.toString())));
    expect(reserialised.equals(original)).toBe(false);
    expect(verify(h, reserialised)).toEqual({ status: 'invalid' });
    expect(verify(h, original)).toEqual({ status: 'valid' });
  });

  it('binds the id and timestamp into the signature', () => {
    const signature = signStandardWebhook(SECRET, 'msg_2yQ8', TS, BODY);
    expect(verify(headers(signature, 'msg_other'))).toEqual({ status: 'invalid' });
    expect(verify(headers(signature, 'msg_2yQ8', TS + 1))).toEqual({ status: 'invalid' });
  });

  it('says missing when the bin has a secret and the request is unsigned', () => {
    expect(verify({ 'content-type': 'application/json' })).toEqual({ status: 'missing' });
  });

  it('says no_secret when the request is signed but the bin has no secret, none when neither', () => {
    expect(verify(headers(signStandardWebhook(SECRET, 'msg_2yQ8', TS, BODY)), BODY, null)).toEqual({ status: 'no_secret' });
    expect(verify({}, BODY, null)).toEqual({ status: 'none' });
  });

  it.each([
    ['a non-numeric timestamp', headers('v1,abcd', 'msg_1', '2025-01-01T00:00:00Z'), SECRET, /webhook-timestamp .* is not Unix seconds/],
    ['no v1 entry', headers('v2,abcd'), SECRET, /no v1,<base64> entry/],
    ['a signature without id and timestamp', { 'webhook-signature': 'v1,abcd' }, SECRET, /without webhook-id and webhook-timestamp/],
    ['a repeated webhook-id', { ...headers('v1,abcd'), 'webhook-id': ['a', 'b'] }, SECRET, /each be sent once/],
    ['a secret that is not base64', headers('v1,abcd'), 'whsec_%%%', /signing secret is not whsec_/],
  ])('says malformed for %s', (_, h, secret, detail) => {
    const result = verify(h, BODY, secret);
    expect(result.status).toBe('malformed');
    expect(result.detail).toMatch(detail);
  });
});

describe('parseSigningSecret', () => {
  it('takes whsec_<base64> or bare base64, and nothing else', () => {
    expect(parseSigningSecret(VECTOR.secret)?.toString('base64')).toBe('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(parseSigningSecret('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')?.length).toBe(24);
    expect(parseSigningSecret('whsec_')).toBeNull();
    expect(parseSigningSecret('whsec_abc def')).toBeNull();
    expect(parseSigningSecret('')).toBeNull();
  });
});
