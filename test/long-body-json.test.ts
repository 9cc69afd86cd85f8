// Issue 11, item 8: a body of megabytes is written into JSON answers (request detail, wait,
// NDJSON and HAR export, the smee stream) a slice per event-loop turn rather than in one block.
// What the slices add up to must be exactly the body: quotes, backslashes, control characters,
// and characters outside the BMP cut across a slice boundary included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedRequest } from '../shared/api-types.js';
import { SLICE_CHARS } from '../server/views/json-slices.js';
import { createBin, startServer, type TestServer } from './helpers/server.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(() => srv.close());

// An emoji (two UTF-16 units) straddles the first slice boundary; the rest is escape-heavy.
const TEXT = 'a'.repeat(SLICE_CHARS - 1) + '😀' + '"\\\n\t\u0001é✓😀 '.repeat(200_000) + 'end';

describe('a body of megabytes in JSON answers', () => {
  it('comes back exactly from detail, wait, NDJSON and HAR export, and the smee stream', async () => {
    const bin = await createBin(srv.url);
    const first = await (await fetch(`${srv.url}/h/${bin.id}`, { method: 'POST', body: 'first' })).json();
    const waiting = fetch(`${srv.url}/api/bins/${bin.id}/requests/wait?after=${first.id}&timeout=10`);
    const res = await fetch(`${srv.url}/h/${bin.id}`, { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, body: TEXT });
    expect(res.status).toBe(200);
    const { id } = await res.json();

    const waited = (await (await waiting).json()) as CapturedRequest;
    expect(waited.body).toEqual({ encoding: 'utf8', data: TEXT });
    const detailRes = await fetch(`${srv.url}/api/bins/${bin.id}/requests/${id}`);
    expect(detailRes.headers.get('content-type')).toMatch(/^application\/json/);
    const detail = (await detailRes.json()) as CapturedRequest;
    expect(detail.id).toBe(id);
    expect(detail.body.data).toBe(TEXT);
    expect(detail.viewsOmitted).toBe(true);

    const lines = (await (await fetch(`${srv.url}/api/bins/${bin.id}/export?format=ndjson`)).text()).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect((JSON.parse(lines[1]!) as CapturedRequest).body.data).toBe(TEXT);
    const har = await (await fetch(`${srv.url}/api/bins/${bin.id}/export?format=har`)).json();
    expect(har.log.entries[1].request.postData.text).toBe(TEXT);

    const controller = new AbortController();
    const stream = await fetch(`${srv.url}/h/${bin.id}`, { headers: { accept: 'text/event-stream', 'last-event-id': first.id }, signal: controller.signal });
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let sse = '';
    while (!/\ndata: .*\n\n/s.test(sse.slice(sse.indexOf(`id: ${id}`)))) {
      const { value, done } = await reader.read();
      if (done) throw new Error('the smee stream ended');
      sse += decoder.decode(value, { stream: true });
    }
    controller.abort();
    const data = /id: \S+\ndata: (.*)\n\n/.exec(sse)![1]!;
    expect(JSON.parse(data).body).toBe(TEXT);
  });
});
