// The contracts of the suite's shared helpers (test/helpers/capture.ts, eventually.ts), against a
// real server: every test file leans on them, so a helper that quietly passed would hide failures.
import { describe, expect, it } from 'vitest';
import type { CapturedRequest } from '../shared/api-types.js';
import { AS_JSON, capture, sendCapture } from './helpers/capture.js';
import { eventually } from './helpers/eventually.js';
import { createBin, getJson, startServer } from './helpers/server.js';
import { openForFile } from './helpers/for-file.js';

const srv = await openForFile(() => startServer());

describe('eventually', () => {
  it('resolves to the first truthy value check returns', async () => {
    let calls = 0;
    const value = await eventually(() => (++calls === 3 ? { calls } : undefined), 'the third call');
    expect(value).toEqual({ calls: 3 });
  });

  it('rejects naming what it waited for once the time is up, having looked again at the deadline', async () => {
    let calls = 0;
    const started = Date.now();
    await expect(
      eventually(
        () => {
          calls++;
          return false;
        },
        'something that never happens',
        100,
      ),
    ).rejects.toThrow('timed out after 100 ms waiting for something that never happens');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it('rejects at once with the error check throws', async () => {
    let calls = 0;
    const failing = eventually(() => {
      calls++;
      throw new Error('broken check');
    }, 'a broken check');
    await expect(failing).rejects.toThrow('broken check');
    expect(calls).toBe(1);
  });
});

describe('capture', () => {
  it('sends through fetch and resolves to the id of the request it stored', async () => {
    const bin = await createBin(srv.url);
    const id = await capture(`${bin.url}/sub?q=1`, '{"a":1}', AS_JSON);
    const { status, body } = await getJson<CapturedRequest>(`${srv.url}/api/bins/${bin.id}/requests/${id}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ method: 'POST', path: '/sub', queryString: 'q=1', contentType: 'application/json', body: { data: '{"a":1}' } });
  });

  it('sends rawHeaders exactly: Host, the pairs in order and case, Content-Length, Connection', async () => {
    const bin = await createBin(srv.url);
    const body = Buffer.from([0, 255, 1]);
    const answer = await sendCapture(`${bin.url}/raw`, body, {
      method: 'PUT',
      rawHeaders: ['X-One', '1', 'x-one', '2', 'Content-Type', 'application/octet-stream'],
    });
    expect(answer.status).toBe(200);
    expect(answer.sent).toEqual([
      'Host',
      new URL(srv.url).host,
      'X-One',
      '1',
      'x-one',
      '2',
      'Content-Type',
      'application/octet-stream',
      'Content-Length',
      '3',
      'Connection',
      'close',
    ]);
    const stored = (await getJson<CapturedRequest>(`${srv.url}/api/bins/${bin.id}/requests/${answer.id}`)).body;
    expect(stored.method).toBe('PUT');
    expect(stored.rawHeaders.flat()).toEqual(answer.sent);
    expect(Buffer.from(stored.body.data, stored.body.encoding).equals(body)).toBe(true);
  });

  it('rejects naming the status when the capture URL does not answer 200; sendCapture resolves with it', async () => {
    const bin = await createBin(srv.url, { token: 'tok', requireToken: true });
    await expect(capture(bin.url, 'x')).rejects.toThrow(/answered 401 .*token_missing/);
    const refused = await sendCapture(bin.url, 'x');
    expect(refused.status).toBe(401);
    expect(refused.id).toMatch(/^[0-9A-Z]{26}$/); // a refusal is recorded, with its id
    const unknown = await sendCapture(`${srv.url}/h/00000000-0000-4000-8000-000000000000`, 'x');
    expect(unknown.status).toBe(404);
    expect(unknown.id).toBeUndefined();
  });

  it('refuses headers and rawHeaders together', async () => {
    await expect(sendCapture(`${srv.url}/h/x`, '', { headers: {}, rawHeaders: [] })).rejects.toThrow('not both');
  });
});
