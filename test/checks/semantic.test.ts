// The pure helpers of shared/checks: timestamps, recognition, pointers, delivery keys, and the
// semantic rules at their edges (the fixtures test covers each rule on a whole payload).
import { describe, expect, it } from 'vitest';
import { deliveryKey, detectPayloadKind, parseTimestamp, pointerLabel, pointerSegments, semanticChecks, toPointer } from '../../shared/checks/index.js';

describe('parseTimestamp', () => {
  it("reads both senders' forms to the microsecond", () => {
    expect(parseTimestamp('1970-01-01T00:00:00Z')).toBe(0);
    expect(parseTimestamp('2024-08-30T23:07:38.242730+00:00')).toBe(Date.UTC(2024, 7, 30, 23, 7, 38) * 1000 + 242_730);
    expect(parseTimestamp('2024-08-30T23:07:38.242Z')).toBe(Date.UTC(2024, 7, 30, 23, 7, 38) * 1000 + 242_000);
    expect(parseTimestamp('2023-11-07T05:31:56Z')).toBe(Date.UTC(2023, 10, 7, 5, 31, 56) * 1000);
  });

  it('applies offsets and ignores digits past microseconds', () => {
    expect(parseTimestamp('2024-08-31T01:07:38.5+02:00')).toBe(parseTimestamp('2024-08-30T23:07:38.500Z'));
    expect(parseTimestamp('2024-08-30T18:37:38-0430')).toBe(parseTimestamp('2024-08-30T23:07:38Z'));
    expect(parseTimestamp('2024-08-30T23:07:38.123456789Z')).toBe(parseTimestamp('2024-08-30T23:07:38.123456Z'));
  });

  it.each(['2025-13-45T00:00:00Z', '2025-02-29T00:00:00Z', '2025-01-15T10:30:00', '2025-01-15', '2025-01-15T24:00:00Z', 'soon', 1_700_000_000, null])(
    'returns null for %s',
    (value) => {
      expect(parseTimestamp(value)).toBeNull();
    },
  );

  it('knows leap years', () => {
    expect(parseTimestamp('2024-02-29T00:00:00Z')).not.toBeNull();
    expect(parseTimestamp('1900-02-29T00:00:00Z')).toBeNull();
    expect(parseTimestamp('2000-02-29T00:00:00Z')).not.toBeNull();
  });
});

describe('detectPayloadKind', () => {
  it.each([
    [{ job_id: 'x', status: 'completed' }, 'krea-job'],
    [{ run_id: 'x', thread_id: 'y', status: 'success' }, 'langgraph-run'],
    [{ run_id: 'x', thread_id: 'y', job_id: 'z', status: 'success' }, 'langgraph-run'],
    [{ run_id: 'x', status: 'success' }, null],
    [{ job_id: 'x' }, null],
    [[{ job_id: 'x', status: 'completed' }], null],
    ['job_id status', null],
    [null, null],
  ])('%j → %s', (json, kind) => {
    expect(detectPayloadKind(json)).toBe(kind);
  });
});

describe('JSON pointers', () => {
  it('escape, unescape and read as labels', () => {
    expect(toPointer(['result', 'urls', 0])).toBe('/result/urls/0');
    expect(toPointer(['a/b', 'c~d'])).toBe('/a~1b/c~0d');
    expect(pointerSegments('/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
    expect(pointerLabel('/result/urls/0')).toBe('result.urls[0]');
    expect(pointerLabel('/metadata/a b')).toBe('metadata["a b"]');
    expect(pointerLabel('')).toBe('the payload');
  });
});

describe('deliveryKey', () => {
  const job = { job_id: '550E8400-E29B-41D4-A716-446655440000', status: 'completed' };
  const run = { run_id: '1ef6a5b8-4457-6db0-8b15-cffd3797fa04', thread_id: 't', status: 'success' };

  it('prefers the Standard Webhooks webhook-id header', () => {
    expect(deliveryKey(job, { 'webhook-id': 'msg_1' })).toBe('webhook-id:msg_1');
    expect(deliveryKey(undefined, { 'webhook-id': ['msg_2', 'msg_3'] })).toBe('webhook-id:msg_2');
  });

  it('else takes job_id or run_id, ignoring UUID case', () => {
    expect(deliveryKey(job, {})).toBe('job_id:550e8400-e29b-41d4-a716-446655440000');
    expect(deliveryKey(run, { 'webhook-id': '  ' })).toBe('run_id:1ef6a5b8-4457-6db0-8b15-cffd3797fa04');
  });

  it('is null for anything else', () => {
    expect(deliveryKey({ id: 1 }, {})).toBeNull();
    expect(deliveryKey({ job_id: 5, status: 'completed' }, {})).toBeNull();
    expect(deliveryKey(undefined, {})).toBeNull();
  });
});

describe('semanticChecks', () => {
  const run = {
    run_id: '1ef6a5b8-4457-6db0-8b15-cffd3797fa04',
    status: 'success',
    created_at: '2024-08-30T23:07:38Z',
    updated_at: '2024-08-30T22:07:39-01:00', // sorts before created_at as text, is 1 s after it
    kwargs: { webhook: 'https://my-server.app/hook?token=XYZ&x=1' },
  };

  it('orders times by instant, not by text', () => {
    expect(semanticChecks('langgraph-run', run, {})).toEqual({ errors: [], warnings: [] });
  });

  it('leaves time order to the schema when a date does not parse', () => {
    expect(semanticChecks('langgraph-run', { ...run, updated_at: 'garbage' }, {}).errors).toEqual([]);
  });

  it('compares kwargs.webhook only when the received URL is known, and only its origin, path and token', () => {
    expect(semanticChecks('langgraph-run', run, {}).errors).toEqual([]);
    expect(semanticChecks('langgraph-run', run, { receivedUrl: 'https://MY-SERVER.app:443/hook?x=2&token=XYZ' })).toEqual({ errors: [], warnings: [] });
    const other = semanticChecks('langgraph-run', run, { receivedUrl: 'http://localhost:8080/h/abc?token=XYZ' });
    expect(other.warnings.map((w) => w.code)).toEqual(['webhook.url_mismatch']);
    expect(other.warnings[0]!.message).not.toContain('XYZ'); // tokens stay out of messages
  });

  it('checks expected ids only once some are registered', () => {
    expect(semanticChecks('langgraph-run', run, { expectedIds: [] }).errors).toEqual([]);
    expect(semanticChecks('langgraph-run', run, { expectedIds: [' 1EF6A5B8-4457-6DB0-8B15-CFFD3797FA04 '] }).errors).toEqual([]);
    expect(semanticChecks('langgraph-run', run, { expectedIds: ['other'] }).errors.map((e) => e.code)).toEqual(['id.unexpected']);
  });

  it('does not call an unknown status non-terminal (the enum reports it)', () => {
    expect(semanticChecks('krea-job', { status: 'done' }, {})).toEqual({ errors: [], warnings: [] });
    expect(semanticChecks('krea-job', 'not an object', {})).toEqual({ errors: [], warnings: [] });
  });

  it('does not flag a success whose error is empty', () => {
    expect(semanticChecks('langgraph-run', { ...run, error: '' }, {}).errors).toEqual([]);
    expect(semanticChecks('langgraph-run', { ...run, error: {} }, {}).errors).toEqual([]);
  });
});
