import { signStandardWebhook } from '../../server/checks/signature.js';

export const SIGNING_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** Bodies whose bytes a relay must not touch: each case names a way re-serialising would break it. */
export function bodyCases(): { name: string; contentType: string; body: Buffer }[] {
  const big = Buffer.alloc(5 * 1024 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
  const boundary = '----hookscopeBoundary7MA4YWxkTrZu0gW';
  const multipart = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="field"\r\n\r\nvalue\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    Buffer.from([0x00, 0xff, 0x10, 0x0d, 0x0a, 0x80]),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return [
    {
      name: 'JSON with \\/ and \\u00e9 escapes',
      contentType: 'application/json',
      body: Buffer.from('{"url":"https:\\/\\/example.com\\/a","name":"caf\\u00e9",  "n":1.0}'),
    },
    { name: 'invalid UTF-8', contentType: 'text/plain', body: Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0xc3, 0x28, 0x7d]) },
    { name: 'a 5 MB binary', contentType: 'application/octet-stream', body: big },
    { name: 'multipart', contentType: `multipart/form-data; boundary=${boundary}`, body: multipart },
  ];
}

/** Standard Webhooks headers for `body`, as a signing sender would send them. */
export function signedHeaders(body: Buffer, id = 'msg_2Lk2bD1mtXzYj3sKqQvU0k2LnZf'): string[] {
  const timestamp = Math.floor(Date.now() / 1000);
  return ['webhook-id', id, 'webhook-timestamp', String(timestamp), 'webhook-signature', signStandardWebhook(SIGNING_SECRET, id, timestamp, body)];
}

/** Header pairs without the ones a relay must recompute or drop, host replaced by `host`. */
export function expectedHeaders(sent: string[], host: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < sent.length; i += 2) {
    const name = sent[i]!.toLowerCase();
    if (['connection', 'keep-alive', 'transfer-encoding', 'te', 'upgrade', 'expect'].includes(name)) continue;
    out.push(sent[i]!, name === 'host' ? host : sent[i + 1]!);
  }
  return out;
}

/** A Krea job webhook body (JSON text) for job `id` in `status`: a failed one carries result.error, others a result URL; `extra` adds fields. */
export function kreaJob(id: string, status: string, extra: object = {}): string {
  return JSON.stringify({
    job_id: id,
    status,
    created_at: '2025-01-15T10:30:00.000Z',
    completed_at: '2025-01-15T10:30:05.000Z',
    result: status === 'failed' ? { error: 'boom' } : { urls: ['https://example.com/a.png'] },
    ...extra,
  });
}

/** A LangGraph Run webhook body (as an object): a successful run of the 'agent' assistant, with `fields` replacing or added to its fields. */
export function langGraphRun(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    run_id: '1ef6a5b8-4457-6db0-8b15-cffd3797fa04',
    thread_id: '9dde5490-2b67-47c8-aa14-4bfec88af217',
    assistant_id: 'agent',
    status: 'success',
    created_at: '2025-01-15T10:30:00Z',
    updated_at: '2025-01-15T10:31:00Z',
    metadata: {},
    kwargs: {},
    ...fields,
  };
}
