// The target policy as a pure decision over resolved addresses, the header rules of a relay, and
// the config that selects the policy. Nothing here opens a connection.
import { describe, expect, it } from 'vitest';
import { targetRules } from '../server/outbound/target-policy.js';
import { editHeaders, requestHeaders, responseHeaders, toPairs } from '../server/outbound/headers.js';
import { decideTarget, isLoopbackHost, normaliseAllowEntry, type TargetRules } from '../server/outbound/policy.js';
import { MAX_RETRY_AFTER_MS, retryAfterMs, retryDelay } from '../server/forward/settings.js';

const strict: TargetRules = { mode: 'strict', allow: [] };

describe('decideTarget', () => {
  /** Addresses strict mode refuses, by the reason it gives. */
  const refused: [RegExp, string[]][] = [
    [/loopback/, ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::7f00:1']],
    [/private/, ['10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', 'fd12:3456::1', '::ffff:10.0.0.1']],
    [/metadata/, ['169.254.169.254', 'fd00:ec2::254', '::ffff:a9fe:a9fe']],
    [/link-local/, ['169.254.1.1', 'fe80::1']],
    [/unspecified/, ['0.0.0.0', '::']],
    [/carrier-grade/, ['100.64.0.1']],
    [/multicast/, ['224.0.0.1']],
  ];
  for (const [kind, addresses] of refused) {
    for (const address of addresses) {
      it(`refuses ${address} in strict mode, and allows it when listed`, () => {
        const decision = decideTarget([address], strict);
        expect(decision.allowed).toBe(false);
        if (!decision.allowed) expect(decision.reason).toMatch(kind);
        expect(decideTarget([address], { mode: 'strict', allow: [address] }).allowed).toBe(true);
        expect(decideTarget([address], { mode: 'open', allow: [] }).allowed).toBe(true);
      });
    }
  }

  it('allows public addresses', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:2800:220:1:248:1893:25c8:1946', '172.32.0.1', '11.0.0.1']) {
      expect(decideTarget([address], strict)).toEqual({ allowed: true, addresses: [address] });
    }
  });

  it('matches allowed CIDRs across IPv4 and IPv4-mapped forms', () => {
    const rules: TargetRules = { mode: 'strict', allow: ['10.0.0.0/8', '127.0.0.1'] };
    expect(decideTarget(['10.20.30.40'], rules).allowed).toBe(true);
    expect(decideTarget(['::ffff:10.20.30.40'], rules).allowed).toBe(true);
    expect(decideTarget(['::ffff:7f00:1'], rules).allowed).toBe(true);
    expect(decideTarget(['11.0.0.1', '192.168.0.1'], rules)).toEqual({ allowed: true, addresses: ['11.0.0.1'] });
    expect(decideTarget(['192.168.0.1'], rules).allowed).toBe(false);
  });

  it('keeps only the allowed addresses of a name, and refuses when none is left', () => {
    const rules: TargetRules = { mode: 'strict', allow: ['127.0.0.1'] };
    expect(decideTarget(['::1', '127.0.0.1'], rules, 'localhost')).toEqual({ allowed: true, addresses: ['127.0.0.1'] });
    expect(decideTarget(['::1'], rules, 'localhost')).toMatchObject({ allowed: false, address: '::1' });
  });

  it('lets an allowed host name admit all its addresses', () => {
    const rules: TargetRules = { mode: 'strict', allow: ['internal.example'] };
    expect(decideTarget(['10.1.1.1', '::1'], rules, 'Internal.Example.').allowed).toBe(true);
    expect(decideTarget(['10.1.1.1'], rules, 'other.example').allowed).toBe(false);
  });

  it('refuses a host that resolved to nothing', () => {
    expect(decideTarget([], { mode: 'open', allow: [] }).allowed).toBe(false);
  });
});

describe('policy selection', () => {
  it("'auto' is open on loopback only, strict elsewhere; 'strict' always", () => {
    expect(targetRules({ forwardPolicy: 'auto', host: '127.0.0.1', allowForwardTo: [], assumePublic: false }).mode).toBe('open');
    expect(targetRules({ forwardPolicy: 'auto', host: 'localhost', allowForwardTo: [], assumePublic: false }).mode).toBe('open');
    expect(targetRules({ forwardPolicy: 'auto', host: '::1', allowForwardTo: [], assumePublic: false }).mode).toBe('open');
    expect(targetRules({ forwardPolicy: 'auto', host: '0.0.0.0', allowForwardTo: [], assumePublic: false }).mode).toBe('strict');
    expect(targetRules({ forwardPolicy: 'auto', host: '::', allowForwardTo: [], assumePublic: false }).mode).toBe('strict');
    expect(targetRules({ forwardPolicy: 'auto', host: '192.168.1.5', allowForwardTo: [], assumePublic: false }).mode).toBe('strict');
    expect(targetRules({ forwardPolicy: 'strict', host: '127.0.0.1', allowForwardTo: ['x'], assumePublic: false })).toEqual({ mode: 'strict', allow: ['x'] });
    expect(targetRules({ forwardPolicy: 'auto', host: '127.0.0.1', allowForwardTo: [], assumePublic: true }).mode).toBe('strict'); // --public
    expect(isLoopbackHost('hooks.example.com')).toBe(false);
  });

  it('normalises --allow-forward-to entries and refuses nonsense', () => {
    expect(normaliseAllowEntry(' LocalHost. ')).toBe('localhost');
    expect(normaliseAllowEntry('10.0.0.0/8')).toBe('10.0.0.0/8');
    expect(normaliseAllowEntry('fd00::/8')).toBe('fd00::/8');
    for (const bad of ['10.0.0.0/33', '::1/129', 'a b', 'http://x', '']) expect(normaliseAllowEntry(bad), bad).toBeNull();
  });
});

describe('relayed headers', () => {
  const captured = [
    'Host',
    'hooks.example:8080',
    'X-B',
    '1',
    'Connection',
    'keep-alive, X-Drop',
    'X-Drop',
    'gone',
    'Transfer-Encoding',
    'chunked',
    'Proxy-Authorization',
    'p',
    'TE',
    'trailers',
    'x-b',
    '2',
    'Keep-Alive',
    'timeout=5',
    'Upgrade',
    'h2c',
    'Expect',
    '100-continue',
  ];

  it('drop connection headers, keep order and case, and recompute host and content-length in place', () => {
    expect(requestHeaders(toPairs(captured), { host: 'localhost:3000', method: 'POST', bodyLength: 12 })).toEqual([
      'Host',
      'localhost:3000',
      'X-B',
      '1',
      'Content-Length',
      '12',
      'x-b',
      '2',
    ]);
  });

  it('add Host first and Content-Length last when the original had none, but no length on a bodiless GET', () => {
    expect(requestHeaders([['A', '1']], { host: 't:1', method: 'PUT', bodyLength: 0 })).toEqual(['Host', 't:1', 'A', '1', 'Content-Length', '0']);
    expect(requestHeaders([['A', '1']], { host: 't:1', method: 'GET', bodyLength: 0 })).toEqual(['Host', 't:1', 'A', '1']);
  });

  it('apply edits: a list replaces, a patch replaces in place, appends or removes', () => {
    const pairs = toPairs(['A', '1', 'B', '2', 'b', '3', 'C', '4']);
    expect(editHeaders(pairs, [['Z', '9']])).toEqual([['Z', '9']]);
    expect(editHeaders(pairs, { b: 'new', c: null, D: '5' })).toEqual([
      ['A', '1'],
      ['B', 'new'],
      ['D', '5'],
    ]);
  });

  it('pass a response through without its connection headers', () => {
    expect(responseHeaders(toPairs(['Content-Type', 'text/plain', 'Connection', 'close', 'Content-Length', '99', 'X-T', 'y']), 5)).toEqual([
      'Content-Type',
      'text/plain',
      'X-T',
      'y',
      'Content-Length',
      '5',
    ]);
  });
});

describe('retry delays', () => {
  it('double from the base up to the cap, jittered to 50–100 %', () => {
    const retry = { attempts: 6, baseDelayMs: 100, maxDelayMs: 500 };
    expect([2, 3, 4, 5, 6].map((n) => retryDelay(retry, n, () => 1))).toEqual([100, 200, 400, 500, 500]);
    expect([2, 3, 4].map((n) => retryDelay(retry, n, () => 0))).toEqual([50, 100, 200]);
  });

  it("read a target's Retry-After as seconds or an HTTP date, within an hour", () => {
    const now = Date.parse('2026-11-22T12:00:00Z');
    const after = (value: string) =>
      retryAfterMs(
        [
          ['Content-Type', 'text/plain'],
          ['retry-AFTER', value],
        ],
        now,
      );
    expect(after('120')).toBe(120_000);
    expect(after(' 0 ')).toBe(0);
    expect(after('Sun, 22 Nov 2026 12:00:30 GMT')).toBe(30_000);
    expect(after('Sun, 22 Nov 2026 11:00:00 GMT')).toBe(0); // already past: no extra wait
    expect(after('86400')).toBe(MAX_RETRY_AFTER_MS);
    for (const unreadable of ['', '-5', '1.5', 'soon', '2026-11-22']) expect(after(unreadable)).toBeNull();
    expect(retryAfterMs([['Content-Type', 'text/plain']], now)).toBeNull();
  });
});
