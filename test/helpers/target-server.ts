import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from './eventually.js';
import { useServerWith, type TestServer } from './server.js';

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
  /** Resolves once `count` requests in all have arrived; rejects after `timeoutMs` (as `eventually`). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** Ends open connections (a hanging answer included) and stops listening. */
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 and a free port that records what it receives (in `received`,
 * in arrival order) and answers with `answer` (by default 200 "ok"), for replay and forward
 * tests. The caller closes it.
 */
export async function startTarget(answer: TargetServer['answer'] = () => ({ status: 200, body: 'ok' })): Promise<TargetServer> {
  const target = { received: [] as Received[], connections: 0, answer } as TargetServer;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received: Received = {
        method: req.method!,
        url: req.url!,
        rawHeaders: req.rawHeaders,
        headers: req.headers,
        body: Buffer.concat(chunks),
        at: performance.now(),
      };
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
  target.waitFor = async (count, timeoutMs) => {
    await eventually(() => target.received.length >= count, `the target to receive ${count} requests`, timeoutMs);
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

/** The usual replay and forward suite setup: a real server and a target answering 200 "ok" (see `useServerWith`). */
export function useServerAndTarget(ready: (srv: TestServer, target: TargetServer) => void): void {
  useServerWith(() => startTarget(), ready);
}
