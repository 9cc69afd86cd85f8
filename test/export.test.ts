// GET /api/bins/:binId/export: the bin's captures as an HTTP Archive or JSON Lines, through the
// real server, checked field by field against what was sent.
import { randomBytes } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bin, CapturedRequest } from '../shared/api-types.js';
import { capture, sendCapture } from './helpers/capture.js';
import { createBin, startServer, type TestServer } from './helpers/server.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(() => srv.close());

// The HAR 1.2 fields every reader relies on (http://www.softwareishard.com/blog/har-12-spec/).
const pairs = { type: 'array', items: { type: 'object', required: ['name', 'value'], properties: { name: { type: 'string' }, value: { type: 'string' } } } };
const harSchema = {
  type: 'object',
  required: ['log'],
  properties: {
    log: {
      type: 'object',
      required: ['version', 'creator', 'entries'],
      properties: {
        version: { const: '1.2' },
        creator: { type: 'object', required: ['name', 'version'] },
        entries: {
          type: 'array',
          items: {
            type: 'object',
            required: ['startedDateTime', 'time', 'request', 'response', 'cache', 'timings'],
            properties: {
              request: {
                type: 'object',
                required: ['method', 'url', 'httpVersion', 'cookies', 'headers', 'queryString', 'headersSize', 'bodySize'],
                properties: { headers: pairs, queryString: pairs, cookies: pairs },
              },
              response: {
                type: 'object',
                required: ['status', 'statusText', 'httpVersion', 'cookies', 'headers', 'content', 'redirectURL', 'headersSize', 'bodySize'],
                properties: { headers: pairs, content: { type: 'object', required: ['size', 'mimeType'] } },
              },
              timings: { type: 'object', required: ['send', 'wait', 'receive'] },
            },
          },
        },
      },
    },
  },
};
const validHar = new Ajv2020({ strict: false }).compile(harSchema);

describe('export', () => {
  let bin: Bin;
  const sent: { id: string; method: string; path: string; query: string; headers: string[]; body: Buffer }[] = [];
  beforeAll(async () => {
    bin = await createBin(srv.url, { name: 'export', token: 'tok', requireToken: true });
    const cases: [string, string, string, string[], Buffer][] = [
      [
        'POST',
        '/krea',
        'token=tok&a=1&a=2',
        ['Content-Type', 'application/json', 'X-Dup', 'one', 'x-dup', 'two'],
        Buffer.from('{"job_id":"j1","status":"completed","é":"ü"}'),
      ],
      ['PUT', '/form', 'token=tok', ['Content-Type', 'application/x-www-form-urlencoded'], Buffer.from('a=1&b=two+words&a=3')],
      ['POST', '', 'token=tok', ['Content-Type', 'application/octet-stream'], Buffer.from([0, 255, 254, 10, 0x80])],
      ['POST', '/big', 'token=tok', ['Content-Type', 'text/plain'], Buffer.from('x'.repeat(200_000))],
      ['POST', '/denied', 'token=wrong', ['Content-Type', 'text/plain'], Buffer.from('no entry')],
      ['GET', '/ping', 'token=tok', [], Buffer.alloc(0)],
    ];
    for (const [method, path, query, headers, body] of cases) {
      const id = (await sendCapture(`${bin.url}${path}?${query}`, body, { method, rawHeaders: headers })).id!;
      sent.push({ id, method, path, query, headers, body });
    }
  });

  it('gives an HTTP Archive of every request, oldest first, with exact headers and bodies and the answer', async () => {
    const res = await fetch(`${srv.url}/api/bins/${bin.id}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="hookscope-${bin.id.slice(0, 8)}-\\d{8}-\\d{6}\\.har"$`));
    const har = await res.json();
    expect(validHar(har), JSON.stringify(validHar.errors)).toBe(true);
    expect(har.log.creator.name).toBe('hookscope');
    const entries = har.log.entries;
    expect(entries.map((e: { _hookscope: { id: string } }) => e._hookscope.id)).toEqual(sent.map((s) => s.id));

    const [json, form, binary, big, denied, ping] = entries;
    expect(json.request).toMatchObject({
      method: 'POST',
      url: `${bin.url}/krea?token=tok&a=1&a=2`,
      bodySize: sent[0]!.body.length,
      postData: { mimeType: 'application/json', text: sent[0]!.body.toString() },
    });
    expect(json.request.queryString).toEqual([
      { name: 'token', value: 'tok' },
      { name: 'a', value: '1' },
      { name: 'a', value: '2' },
    ]);
    expect(json.request.headers.filter((h: { name: string }) => h.name.toLowerCase() === 'x-dup')).toEqual([
      { name: 'X-Dup', value: 'one' },
      { name: 'x-dup', value: 'two' },
    ]);
    expect(json.response).toMatchObject({ status: 200, statusText: 'OK' });
    expect(json._hookscope).toMatchObject({ token: 'valid', remoteAddress: '127.0.0.1', checks: { schema: 'krea-job' } });
    expect(form.request.postData.params).toEqual([
      { name: 'a', value: '1' },
      { name: 'b', value: 'two words' },
      { name: 'a', value: '3' },
    ]);
    expect(binary.request.postData).toMatchObject({ _encoding: 'base64', mimeType: 'application/octet-stream' });
    expect(Buffer.from(binary.request.postData.text, 'base64').equals(sent[2]!.body)).toBe(true);
    expect(big.request.postData.text).toBe(sent[3]!.body.toString()); // a body kept in its own file
    expect(denied.response).toMatchObject({ status: 401, statusText: 'Unauthorized' });
    expect(denied._hookscope.token).toBe('invalid');
    expect(ping.request).toMatchObject({ method: 'GET', bodySize: 0 });
    expect(ping.request.postData).toBeUndefined();
  });

  it('gives JSON Lines of the API request form, bodies exact', async () => {
    const res = await fetch(`${srv.url}/api/bins/${bin.id}/export?format=ndjson`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await res.text()).split('\n');
    expect(lines.pop()).toBe('');
    const requests = lines.map((line) => JSON.parse(line) as CapturedRequest);
    expect(requests.map((r) => r.id)).toEqual(sent.map((s) => s.id));
    for (const [i, r] of requests.entries()) expect(Buffer.from(r.body.data, r.body.encoding).equals(sent[i]!.body)).toBe(true);
    expect(requests[0]!.rawHeaders).toContainEqual(['x-dup', 'two']);
  });

  it('exports what a filter shows', async () => {
    const har = await (await fetch(`${srv.url}/api/bins/${bin.id}/export?q=${encodeURIComponent('method:put,get')}`)).json();
    expect(har.log.entries.map((e: { request: { method: string } }) => e.request.method)).toEqual(['PUT', 'GET']);
    const none = await (await fetch(`${srv.url}/api/bins/${bin.id}/export?q=nothing-matches-this`)).json();
    expect(none.log.entries).toEqual([]);
    expect(validHar(none)).toBe(true);
  });

  it('refuses an unknown format and an unknown bin with a clear error', async () => {
    const bad = await fetch(`${srv.url}/api/bins/${bin.id}/export?format=xml`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toEqual({ code: 'invalid_parameter', message: '"format" must be har or ndjson.' });
    const gone = await fetch(`${srv.url}/api/bins/00000000-0000-4000-8000-000000000000/export`);
    expect(gone.status).toBe(404);
  });

  it('streams a bin larger than one page of requests', async () => {
    const many = await createBin(srv.url, { name: 'many' });
    const bodies = Array.from({ length: 230 }, (_, i) => (i % 40 === 0 ? randomBytes(90_000) : Buffer.from(`{"n":${i}}`)));
    const ids: string[] = [];
    for (const body of bodies) ids.push(await capture(many.url, body, { rawHeaders: ['Content-Type', 'application/json'] }));
    const lines = (await (await fetch(`${srv.url}/api/bins/${many.id}/export?format=ndjson`)).text()).trimEnd().split('\n');
    const exported = lines.map((line) => JSON.parse(line) as CapturedRequest);
    expect(exported.map((r) => r.id)).toEqual(ids);
    for (const [i, r] of exported.entries()) expect(Buffer.from(r.body.data, r.body.encoding).equals(bodies[i]!)).toBe(true);
  });
});
