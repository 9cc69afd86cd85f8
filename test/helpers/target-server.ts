import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the target received it. */
export interface Received {
  method: string;
  url: string;
  rawHeaders: string[];
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** performance.now() when its body had fully arrived. */
  at: number;
}

/** How the target answers one request; 'hang' never answers. */
export type Answer = { status?: number; headers?: string[]; body?: Buffer | string } | 'hang';

export interface TargetServer {
  url: string;
  port: number;
  received: Received[];
  /** TCP connections accepted so far (to prove that none was made). */
  connections: number;
  /** Replaceable: how to answer the n-th request (0-based). */
  answer: (request: Received, index: number) => Answer;
  /** Resolves once `count` requests have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that records what it receives, for replay and forward tests. */
export async function startTarget(answer: TargetServer['answer'] = () => ({ status: 200, body: 'ok' })): Promise<TargetServer> {
  const target = { received: [] as Received[], connections: 0, answer } as TargetServer;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received: Received = { method: req.method!, url: req.url!, rawHeaders: req.rawHeaders, headers: req.headers, body: Buffer.concat(chunks), at: performance.now() };
      target.received.push(received);
      const reply = target.answer(received, target.received.length - 1);
      if (reply === 'hang') return;
      res.writeHead(reply.status ?? 200, reply.headers ?? []);
      res.end(reply.body ?? '');
    });
  });
  server.on('connection', () => target.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target.port = (server.address() as AddressInfo).port;
  target.url = `http://127.0.0.1:${target.port}`;
  target.waitFor = async (count, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    while (target.received.length < count) {
      if (Date.now() > deadline) throw new Error(`target got ${target.received.length} of ${count} requests`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  target.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  return target;
}

/** A loopback port with nothing listening on it (bound, then released). */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `check` until it holds; rejects after `timeoutMs` naming `what`. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
