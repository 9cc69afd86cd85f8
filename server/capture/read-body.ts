import type { IncomingMessage } from 'node:http';

export type BodyReadResult = { ok: true; body: Buffer } | { ok: false; reason: 'too_large'; received: number } | { ok: false; reason: 'aborted'; received: number };

/**
 * Reads a request body, stopping as soon as it exceeds `limit` bytes: what came so far is
 * dropped and the rest is never buffered (the caller answers 413 and closes the connection).
 * A declared Content-Length over the limit is refused before reading anything.
 */
export function readBodyWithLimit(req: IncomingMessage, limit: number): Promise<BodyReadResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ ok: false, reason: 'too_large', received: 0 });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (result: BodyReadResult) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onAborted);
      req.off('error', onAborted);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        chunks.length = 0;
        req.pause();
        finish({ ok: false, reason: 'too_large', received });
      } else chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received) });
    const onAborted = () => finish({ ok: false, reason: 'aborted', received });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onAborted);
    req.on('error', onAborted);
  });
}
