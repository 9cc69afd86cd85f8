// The filter grammar (shared/filter.ts) through the API's q=: the same words the inspector's
// filter box takes, on real captured requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFilter } from '../shared/filter.js';
import { AS_JSON, sendCapture } from './helpers/capture.js';
import { createBin, getJson, startServer, type TestServer } from './helpers/server.js';
import { kreaJob } from './helpers/webhook-bodies.js';

const RUN = JSON.stringify({
  run_id: '1ef6a5b8-4457-6db0-8b15-cffd3797fa04',
  thread_id: '9dde5490-2b67-47c8-aa14-4bfec88af217',
  assistant_id: 'agent',
  status: 'timeout',
  error: '',
  created_at: '2025-01-15T10:30:00Z',
  updated_at: '2025-01-15T10:31:00Z',
  metadata: {},
  kwargs: {},
});

let srv: TestServer;
let q: (filter: string) => Promise<string[]>;
beforeAll(async () => {
  srv = await startServer();
  const bin = await createBin(srv.url, { responses: { statusFromPath: true } });
  q = async (filter) =>
    ((await getJson(`${srv.url}/api/bins/${bin.id}/requests?q=${encodeURIComponent(filter)}`)).body.requests as { path: string }[])
      .map((r) => r.path)
      .reverse();
  await sendCapture(`${bin.url}/webhooks/done`, kreaJob('550e8400-e29b-41d4-a716-446655440000', 'completed'), {
    headers: { 'content-type': 'application/json', 'X-GitHub-Event': 'push' },
  });
  await sendCapture(`${bin.url}/webhooks/failed`, kreaJob('7c9e6679-7425-40de-944b-e07fc1f90ae7', 'failed'), AS_JSON);
  await sendCapture(`${bin.url}/webhooks/failed-again`, kreaJob('7c9e6679-7425-40de-944b-e07fc1f90ae7', 'failed'), AS_JSON);
  await sendCapture(`${bin.url}/runs/503`, RUN, { headers: { 'content-type': 'text/plain;charset=UTF-8' } });
  await sendCapture(`${bin.url}/broken`, '{"job_id": ', AS_JSON);
  await sendCapture(`${bin.url}/form`, 'name=J%C3%BCrgen+Meyer&city=K%C3%B6ln', { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const binary = Buffer.concat([
    Buffer.from('--zz\r\nContent-Disposition: form-data; name="file"; filename="Quarterly Report.pdf"\r\nContent-Type: application/pdf\r\n\r\n'),
    Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe, 0x80]),
    Buffer.from('\r\n--zz--\r\n'),
  ]);
  await sendCapture(`${bin.url}/upload`, binary, { headers: { 'content-type': 'multipart/form-data; boundary=zz' } });
});
afterAll(async () => {
  await srv?.close();
});

describe('the filter grammar in q=', () => {
  it('status:, schema:, valid:, has:, duplicate:', async () => {
    expect(await q('status:failed')).toEqual(['/webhooks/failed', '/webhooks/failed-again']);
    expect(await q('status:completed,timeout')).toEqual(['/webhooks/done', '/runs/503']);
    expect(await q('schema:langgraph-run')).toEqual(['/runs/503']);
    expect(await q('schema:krea-job status:failed duplicate:yes')).toEqual(['/webhooks/failed-again']);
    expect(await q('duplicate:no schema:krea-job')).toEqual(['/webhooks/done', '/webhooks/failed']);
    // Malformed JSON sent as JSON is invalid, as the inspector's badge says.
    expect(await q('valid:false')).toEqual(['/broken']);
    expect(await q('valid:true')).toEqual(['/webhooks/done', '/webhooks/failed', '/webhooks/failed-again', '/runs/503']);
    expect(await q('has:problems')).toEqual(['/webhooks/failed-again', '/broken']);
    expect(await q('has:errors')).toEqual(['/broken']);
    expect(await q('has:warnings')).toEqual(['/webhooks/failed-again']);
  });

  it('answered:, path: globs, header:name=value', async () => {
    expect(await q('answered:5xx')).toEqual(['/runs/503']);
    expect(await q('answered:503')).toEqual(['/runs/503']);
    expect(await q('answered:4xx')).toEqual([]);
    expect(await q('path:/webhooks/*')).toEqual(['/webhooks/done', '/webhooks/failed', '/webhooks/failed-again']);
    expect(await q('path:/webhooks')).toEqual([]);
    expect(await q('path:*again')).toEqual(['/webhooks/failed-again']);
    expect(await q('header:x-github-event=push')).toEqual(['/webhooks/done']);
    expect(await q('header:X-GitHub-Event=PUSH')).toEqual(['/webhooks/done']);
    expect(await q('header:x-github-event=pull')).toEqual([]);
    expect(await q('header:x-github-event')).toEqual(['/webhooks/done']);
  });

  it('words match decoded form values and multipart file names; unknown operators are text; bad values match nothing', async () => {
    expect(await q('jürgen köln')).toEqual(['/form']);
    expect(await q('"jürgen meyer"')).toEqual(['/form']);
    expect(await q('report.pdf')).toEqual(['/upload']);
    expect(await q('"quarterly report"')).toEqual(['/upload']);
    expect(await q('valid:maybe')).toEqual([]);
    expect(await q('answered:fine')).toEqual([]);
    // Not an operator: searched as text, and named so the inspector can say so.
    expect(parseFilter('stauts:failed').unknown).toEqual(['stauts']);
    expect(parseFilter('stauts:failed').text).toEqual(['stauts:failed']);
    expect(parseFilter('"job_id:x" status:failed').unknown).toEqual([]);
    expect(await q('stauts:failed')).toEqual([]);
  });
});
