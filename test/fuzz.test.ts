// Over 300 lines: one property per entry point, sharing the generators and the invariants every run asserts; apart, each file would restate them.
// Issue 11's acceptance fuzz test: property-based (fast-check) requests to the capture path and
// to every JSON-taking API, against the real server running in this process (port 0, temp data
// dir). Methods, paths, header names (__proto__, constructor, toString…), query keys, bodies
// (random bytes, JSON with hostile keys, deep nesting) are random. Every run asserts: no 500, the
// server still answers, Object.prototype (and Array.prototype) unchanged in this process, and
// every capture it acknowledged is served back byte for byte. Bounded by run count and time.
// All traffic stays on 127.0.0.1: replay and send targets are a local test receiver.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bin } from '../shared/api-types.js';
import { capture } from './helpers/capture.js';
import { rawRequest } from './helpers/raw-http.js';
import { closeInOrder, createBin, startServer, type TestServer } from './helpers/server.js';
import { freePort, startTarget, type TargetServer } from './helpers/target-server.js';

const RUN_TIME_MS = 12_000; // per property; the two stay well under 30 s

const HOSTILE = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
];
/** Framing and hop-by-hop headers would make the request itself malformed; accept: text/event-stream would open a smee stream. */
const NOT_SENT = new Set(['content-length', 'transfer-encoding', 'host', 'connection', 'expect', 'upgrade', 'te', 'trailer', 'keep-alive', 'accept']);

const WATCHED = { 'Object.prototype': Object.prototype, 'Array.prototype': Array.prototype, 'Function.prototype': Function.prototype };

/** Every own property (symbols included) of the watched prototypes, as what it holds. */
function snapshot(): Map<string, unknown[]> {
  const all = new Map<string, unknown[]>();
  for (const [name, proto] of Object.entries(WATCHED)) {
    for (const key of Reflect.ownKeys(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, key)!;
      all.set(`${name}.${String(key)}`, [d.value, d.get, d.set, d.writable, d.enumerable, d.configurable]);
    }
  }
  return all;
}
const BEFORE = snapshot();

/** The names of prototype properties added, removed or replaced since the test started (none, or the test fails). */
function assertPrototypesUnchanged(): void {
  const now = snapshot();
  const changed = [...new Set([...BEFORE.keys(), ...now.keys()])].filter((k) => {
    const [a, b] = [BEFORE.get(k), now.get(k)];
    return !a || !b || a.some((v, i) => !Object.is(v, b[i]));
  });
  expect(changed).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

// --- arbitraries -------------------------------------------------------------------------

const key = fc.oneof(
  fc.constantFrom(...HOSTILE, 'status', 'job_id', 'run_id', 'thread_id', 'result', 'urls', 'forward', 'polluted'),
  fc.string({ maxLength: 8 }),
);

/** JSON text (built as text, so a "__proto__" key is really in it), with hostile keys. */
const { value: jsonText } = fc.letrec<{ value: string; leaf: string; object: string; array: string }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('object'), tie('array')),
  leaf: fc.oneof(
    fc.constantFrom('null', 'true', 'false', '0', '-1.5e3', '"completed"', '"550e8400-e29b-41d4-a716-446655440000"'),
    fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
    fc.integer().map(String),
  ),
  object: fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }).map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  array: fc.array(tie('value'), { maxLength: 5 }).map((values) => `[${values.join(',')}]`),
}));

const deepText = fc.tuple(fc.integer({ min: 1, max: 9000 }), fc.constantFrom('[', '{"a":', '{"__proto__":', '[{"constructor":')).map(([depth, open]) => {
  const close = open === '[' ? ']' : open === '{"a":' || open === '{"__proto__":' ? '}' : '}]';
  return open.repeat(depth) + (open === '[' ? '' : '1') + close.repeat(depth);
});

const body = fc.oneof(
  fc.constant(Buffer.alloc(0)),
  fc.uint8Array({ maxLength: 3000 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ maxLength: 300 }).map((s) => Buffer.from(s)),
  jsonText.map((t) => Buffer.from(t)),
  deepText.map((t) => Buffer.from(t)),
  fc.array(fc.tuple(key, fc.string({ maxLength: 6 })), { maxLength: 6 }).map((pairs) => Buffer.from(new URLSearchParams(pairs).toString())),
);

const headerName = fc
  .oneof(
    fc.constantFrom(...HOSTILE, 'webhook-id', 'webhook-signature', 'webhook-timestamp', 'svix-id', 'X-Case', 'origin'),
    fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,16}$/),
  )
  .filter((n) => !NOT_SENT.has(n.toLowerCase()));
const headers = fc.array(fc.tuple(headerName, fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,30}[\x21-\x7e])?$/)), { maxLength: 8 });
const contentType = fc.constantFrom(
  null,
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=zz',
  'application/octet-stream',
  'application/vnd.api+json; charset=utf-8',
);
const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND', 'REPORT', 'SEARCH', 'PURGE', 'MKCOL');
const segment = fc.oneof(fc.constantFrom(...HOSTILE, '..', '.', '%2F', '%00', '418', '503'), fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@%-]{0,10}$/));
const subPath = fc.array(segment, { maxLength: 4 }).map((parts) => parts.map((p) => `/${p}`).join(''));
const query = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...HOSTILE, 'token'), fc.stringMatching(/^[A-Za-z0-9_.-]{1,6}$/)), fc.stringMatching(/^[A-Za-z0-9_.%-]{0,8}$/)), {
    maxLength: 4,
  })
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));
const pointer = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE, '0', '1', '-', 'status', 'result', 'urls', '999999'), fc.string({ maxLength: 5 })), { maxLength: 4 })
  .map((segments) => segments.map((s) => `/${s.replaceAll('~', '~0').replaceAll('/', '~1')}`).join(''));

/** A JSON object body as text, with the given fields (values already JSON text), in order. */
function objectText(fields: [string, string][]): string {
  return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
}

// --- the server under test -------------------------------------------------------------

let srv: TestServer;
let target: TargetServer;
let closedPort: number;
let captureBins: Bin[];
let apiBins: Bin[];
const requestIds: string[] = [];

beforeAll(async () => {
  srv = await startServer({}, { checks: { budgetMs: 2000 } });
  target = await startTarget();
  closedPort = await freePort();
  const recursive = {
    $defs: {
      n: { anyOf: [{ type: 'number' }, { type: 'object', additionalProperties: { $ref: '#/$defs/n' } }, { type: 'array', items: { $ref: '#/$defs/n' } }] },
    },
    $ref: '#/$defs/n',
  };
  // Capture bins script no 5xx but by a status in the path (recognisable), so any other is the server's own.
  captureBins = [
    await createBin(srv.url),
    await createBin(srv.url, {
      schema: 'krea-job',
      token: 'tok',
      requireToken: true,
      signingSecret: 'whsec_' + Buffer.from('0123456789abcdef0123456789abcdef').toString('base64'),
    }),
    await createBin(srv.url, { schema: { custom: recursive } }),
    await createBin(srv.url, {
      responses: {
        default: { status: 202 },
        rules: [
          { id: 'json', match: { json: { pointer: '/status', equals: 'completed' } }, response: { status: 418, body: 'teapot' } },
          {
            id: 'ctor',
            match: { header: { name: 'constructor' } },
            sequence: { steps: [{ response: { status: 429 } }, { response: { status: 204 } }], loop: true },
          },
        ],
        statusFromPath: true,
        cors: true,
      },
    }),
  ];
  apiBins = [await createBin(srv.url), await createBin(srv.url, { schema: { custom: { type: 'object' } } })];
  for (const bin of apiBins) {
    for (const text of ['{"job_id":"550e8400-e29b-41d4-a716-446655440000","status":"completed"}', 'plain', '[[[[1]]]]']) {
      requestIds.push(`${bin.id}/${await capture(bin.url, text, { rawHeaders: ['Content-Type', 'application/json', 'constructor', 'c'] })}`);
    }
  }
});

afterAll(() => closeInOrder(target, srv));

// --- properties ------------------------------------------------------------------------

describe('fuzz (issue 11 acceptance)', () => {
  it('the capture path: no 500, prototypes intact, every acknowledged capture served back byte for byte', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat(captureBins.length),
        method,
        subPath,
        query,
        headers,
        contentType,
        body,
        async (binIndex, verb, path, search, extra, type, payload) => {
          runs++;
          const binId = binIndex === captureBins.length ? '00000000-0000-4000-8000-000000000000' : captureBins[binIndex]!.id;
          const sent = [...extra.flat(), ...(type ? ['Content-Type', type] : []), 'Content-Length', String(payload.length)];
          const res = await rawRequest(srv.url, { method: verb, path: `/h/${binId}${path}${search}`, headers: sent, body: payload });
          // A 5xx may only be the bin's own scripted answer (statusFromPath: /h/<id>/503, or /503/).
          const scripted =
            res.status >= 500 &&
            captureBins[binIndex]?.responses.statusFromPath === true &&
            (path.endsWith(`/${res.status}`) || path.endsWith(`/${res.status}/`));
          expect(res.status < 500 || scripted, `${verb} ${path}${search} → ${res.status} ${res.body.toString().slice(0, 200)}`).toBe(true);
          assertPrototypesUnchanged();
          const id = res.headers['x-hookscope-request-id'];
          if (binIndex === captureBins.length) return void expect(res.status).toBe(404);
          expect(typeof id, `${verb} answered ${res.status} without a request id`).toBe('string');
          const stored = await fetch(`${srv.url}/api/bins/${binId}/requests/${id}/body`);
          expect(stored.status).toBe(200);
          expect(Buffer.from(await stored.arrayBuffer()).equals(payload), 'stored bytes differ from the sent ones').toBe(true);
          const detail = await fetch(`${srv.url}/api/bins/${binId}/requests/${id}`);
          expect(detail.status).toBe(200);
          await detail.json();
        },
      ),
      { numRuns: 400, interruptAfterTimeLimit: RUN_TIME_MS },
    );
    expect(runs).toBeGreaterThan(20);
    const list = await fetch(`${srv.url}/api/bins/${captureBins[0]!.id}/export?format=ndjson`);
    expect(list.status).toBe(200);
    for (const line of (await list.text()).trimEnd().split('\n').filter(Boolean)) JSON.parse(line);
  }, 60_000);

  it('every JSON-taking API: no 500, prototypes intact, errors in the documented shape', async () => {
    const binPath = fc.nat(apiBins.length - 1).map((i) => `/api/bins/${apiBins[i]!.id}`);
    const requestPath = fc.nat(requestIds.length - 1).map((i) => `/api/bins/${requestIds[i]!.replace('/', '/requests/')}`);
    const targetUrl = fc.constantFrom(
      `"${target.url}/t"`,
      `"http://localhost:${target.port}/x?y=1"`,
      `"http://127.0.0.1:${closedPort}/"`,
      '"not a url"',
      '"ftp://127.0.0.1/x"',
      'null',
      '42',
    );
    const schema = fc.oneof(
      fc.constantFrom('"auto"', '"none"', '"krea-job"', '"langgraph-run"', '"Auto"', '{}'),
      jsonText.map((t) => `{"custom":${t}}`),
    );
    const scripted = fc.tuple(key, pointer, jsonText, fc.integer({ min: 0, max: 700 })).map(([name, at, equals, status]) =>
      objectText([
        ['default', objectText([['headers', objectText([[name, '"v"']])]])],
        [
          'rules',
          `[${objectText([
            [
              'match',
              objectText([
                [
                  'json',
                  objectText([
                    ['pointer', JSON.stringify(at)],
                    ['equals', equals],
                  ]),
                ],
                ['header', objectText([['name', JSON.stringify(name)]])],
              ]),
            ],
            ['response', objectText([['status', String(status)]])],
          ])}]`,
        ],
      ]),
    );
    const settings = fc
      .array(
        fc.oneof(
          fc.tuple(fc.constant('schema'), schema),
          fc.tuple(fc.constant('responses'), fc.oneof(scripted, jsonText)),
          fc.tuple(
            fc.constant('forward'),
            targetUrl.map((t) => `{"target":${t}}`),
          ),
          fc.tuple(fc.constant('replayTarget'), targetUrl),
          fc.tuple(fc.constantFrom('name', 'token', ...HOSTILE), jsonText),
        ),
        { maxLength: 4 },
      )
      .map(objectText);
    const overrides = fc.array(fc.tuple(pointer, jsonText), { maxLength: 4 }).map(objectText);
    const send = fc
      .tuple(fc.constantFrom('"krea-job"', '"langgraph-run"', '"custom"', '"nope"'), overrides, jsonText, targetUrl)
      .map(([kind, over, custom, to]) =>
        objectText([
          ['target', to],
          ['kind', kind],
          [
            'options',
            objectText([
              ['timeScale', '0.001'],
              ['overrides', over],
              ['body', custom],
            ]),
          ],
        ]),
      );
    const replayHeaders = fc.oneof(
      headers.map((pairs) => JSON.stringify(pairs)),
      fc.array(fc.tuple(headerName, fc.constantFrom('"x"', 'null', '1')), { maxLength: 4 }).map(objectText),
    );
    const replay = fc
      .tuple(
        targetUrl,
        fc.option(fc.constantFrom('"POST"', '"PUT"', '"bad method"', '1')),
        fc.option(replayHeaders),
        fc.option(jsonText.map((t) => JSON.stringify(t))),
        fc.option(fc.constantFrom('"a=1&__proto__=2"', '"bad query"')),
      )
      .map(([to, verb, hdrs, text, search]) =>
        objectText([
          ['target', to],
          ...(verb ? [['method', verb] as [string, string]] : []),
          ...(hdrs ? [['headers', hdrs] as [string, string]] : []),
          ...(text ? [['body', text] as [string, string]] : []),
          ...(search ? [['queryString', search] as [string, string]] : []),
        ]),
      );
    const garbage = fc.oneof(jsonText, deepText, fc.string({ maxLength: 40 }), fc.constant(''));
    const call = fc.oneof(
      fc.tuple(fc.constant('POST'), fc.constant('/api/bins'), fc.oneof(settings, garbage)),
      fc.tuple(fc.constant('PATCH'), binPath, fc.oneof(settings, garbage)),
      fc.tuple(
        fc.constant('POST'),
        fc.constant('/api/validate'),
        fc.oneof(
          fc.tuple(schema, fc.oneof(jsonText, deepText)).map(([s, p]) => `{"schema":${s},"payload":${p}}`),
          garbage,
        ),
      ),
      fc.tuple(fc.constant('POST'), fc.constant('/api/send'), fc.oneof(send, garbage)),
      fc.tuple(
        fc.constant('POST'),
        requestPath.map((p) => `${p}/replay`),
        fc.oneof(replay, garbage),
      ),
      fc.tuple(
        fc.constant('POST'),
        binPath.map((p) => `${p}/replay`),
        fc
          .tuple(targetUrl, fc.array(fc.constantFrom(...requestIds.map((r) => JSON.stringify(r.split('/')[1])), '"nope"'), { maxLength: 3 }))
          .map(([to, ids]) => `{"target":${to},"requestIds":[${ids.join(',')}]}`),
      ),
      fc.tuple(
        fc.constant('POST'),
        fc.oneof(
          requestPath.map((p) => `${p}/recheck`),
          binPath.map((p) => `${p}/recheck`),
        ),
        garbage,
      ),
      fc.tuple(
        fc.constant('POST'),
        binPath.map((p) => `${p}/expected`),
        fc.oneof(
          jsonText.map((t) => `{"ids":${t}}`),
          garbage,
        ),
      ),
    );
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(call, async ([verb, path, text]) => {
        runs++;
        const res = await fetch(`${srv.url}${path}`, { method: verb, headers: { 'content-type': 'application/json' }, body: text });
        const answer = await res.text();
        expect(res.status, `${verb} ${path} ${text.slice(0, 300)} → ${answer.slice(0, 300)}`).toBeLessThan(500);
        assertPrototypesUnchanged();
        if (res.status >= 400) expect(JSON.parse(answer)).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
        else if (answer) JSON.parse(answer);
      }),
      { numRuns: 400, interruptAfterTimeLimit: RUN_TIME_MS },
    );
    expect(runs).toBeGreaterThan(20);
    expect((await fetch(`${srv.url}/api/status`)).status).toBe(200);
    expect(target.received.every((r) => r.url.startsWith('/'))).toBe(true); // only the local receiver was reached
  }, 60_000);
});
