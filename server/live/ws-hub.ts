import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { isRequestId } from '../../shared/ids.js';
import type { LiveMessage } from '../../shared/live-messages.js';
import type { ErrorCode } from '../../shared/wire/errors.js';
import { StoreUnavailableError } from '../store/errors.js';
import { findBin } from '../store/find-bin.js';
import type { Store } from '../store/types.js';
import type { BinEvent, LiveBus } from './bus.js';
import { follow, type FollowSource } from './follow.js';
import { sharedWireText, toWireText } from './wire.js';

export interface LiveHubOptions {
  /** How often every socket is pinged; one missed pong and it is terminated. */
  pingIntervalMs: number;
  /** A socket with more than this many bytes waiting to be sent is dropped (it resyncs). */
  maxBufferedBytes: number;
  /**
   * A socket with more than this many bytes of events not yet handed to it (held behind its
   * catch-up, or not serialised yet) is dropped too. Wider than maxBufferedBytes: a burst of
   * captures queues here for every socket before it is serialised, and the bodies are the same
   * buffers for every socket of a bin.
   */
  maxQueuedBytes: number;
}

export const LIVE_DEFAULTS: LiveHubOptions = { pingIntervalMs: 30_000, maxBufferedBytes: 8 * 1024 * 1024, maxQueuedBytes: 32 * 1024 * 1024 };

interface Session {
  ws: WebSocket;
  alive: boolean;
}

/**
 * Pushes each bin's events to its WebSocket subscribers (`/ws?bin=<id>[&after=<requestId>]`).
 * Each socket follows its bin (live/follow.ts): a hello, what it missed after `after`, then live
 * events; a live event is serialised once for all of a bin's sockets.
 */
export class LiveHub {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  readonly #sessions = new Map<string, Set<Session>>();
  readonly #heartbeat: NodeJS.Timeout;
  readonly #store: Store;
  readonly #bus: LiveBus;
  readonly #options: LiveHubOptions;

  constructor(store: Store, bus: LiveBus, options: LiveHubOptions = LIVE_DEFAULTS) {
    this.#store = store;
    this.#bus = bus;
    this.#options = options;
    this.#heartbeat = setInterval(() => this.#pingAll(), options.pingIntervalMs);
    this.#heartbeat.unref();
  }

  /** Takes over an HTTP upgrade for `/ws`; refuses unknown bins with 404, bad cursors with 400, an unreachable store with 503. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://hookscope.invalid');
    const after = url.searchParams.get('after') || null;
    findBin(this.#store, url.searchParams.get('bin')).then(
      (bin) => (bin ? this.#accept(req, socket, head, bin.id, after) : refuseUpgrade(socket, 404, 'bin_not_found', NO_SUCH_BIN)),
      (error: unknown) => refuseUpgrade(socket, 503, 'store_unavailable', (error as Error).message),
    );
  }

  #accept(req: IncomingMessage, socket: Duplex, head: Buffer, binId: string, after: string | null): void {
    if (after !== null && !isRequestId(after)) return refuseUpgrade(socket, 400, 'invalid_parameter', '"after" must be a request id.');
    this.#wss.handleUpgrade(req, socket, head, (ws) => void this.#start(ws, binId, after));
  }

  /** Number of open sessions on a bin (for tests and diagnostics). */
  sessionCount(binId: string): number {
    return this.#sessions.get(binId)?.size ?? 0;
  }

  close(): void {
    clearInterval(this.#heartbeat);
    for (const sessions of this.#sessions.values()) for (const s of sessions) s.ws.terminate();
    this.#wss.close();
  }

  async #start(ws: WebSocket, binId: string, after: string | null): Promise<void> {
    const session: Session = { ws, alive: true };
    ws.on('pong', () => (session.alive = true));
    ws.on('error', () => ws.terminate());
    this.#join(binId, session);
    const following = follow({
      store: this.#store,
      bus: this.#bus,
      binId,
      // The hello is read once the bus listens, so its newest id and the events after it agree.
      after: async () => {
        await this.#sendPaced(session, JSON.stringify(await this.#hello(binId, after)));
        return after;
      },
      deliver: (event, source) => this.#deliver(session, event, source),
      maxQueuedBytes: this.#options.maxQueuedBytes,
    });
    ws.on('close', () => {
      following.stop();
      this.#leave(binId, session);
    });
    const end = await following.ended;
    if (end.reason === 'overflow') ws.terminate(); // too far behind: it reconnects with `after`
    if (end.reason !== 'failed') return;
    if (end.error instanceof StoreUnavailableError) {
      // Say why, and to come back later: it resyncs with `after` once the store is back.
      this.#send(session, JSON.stringify({ type: 'server.status', store: 'unavailable' } satisfies LiveMessage));
      ws.close(1013, 'store unavailable; reconnect later');
      return;
    }
    console.error('hookscope: live push failed', end.error);
    ws.close(1011, 'push failed; reconnect'); // it resyncs with `after`
  }

  /** What the client is told first: the newest id, and whether everything after `after` is still there. */
  async #hello(binId: string, after: string | null): Promise<LiveMessage> {
    const newest = (await this.#store.listRequests(binId, { limit: 1 })).records[0]?.id ?? null;
    if (after === null) return { type: 'hello', binId, lastRequestId: newest, resync: 'none' };
    const oldest = (await this.#store.requestsAfter(binId, null, 1))[0];
    const evictedPast = oldest !== undefined && after < oldest.id && !(await this.#store.getRequest(binId, after));
    return { type: 'hello', binId, lastRequestId: newest, resync: evictedPast ? 'partial' : 'complete' };
  }

  /**
   * What was missed goes out paced (each message waits for the socket), so a long catch-up stays
   * bounded; live events go out at once, and a socket that lets them pile up is dropped.
   */
  async #deliver(session: Session, event: BinEvent, source: FollowSource): Promise<void> {
    if (source === 'store') return this.#sendPaced(session, await toWireText(event));
    this.#send(session, await sharedWireText(event));
    if (event.type === 'bin.deleted') session.ws.close(1000, 'bin deleted');
    // The store is back, but events of the outage may never have reached this instance: clients resync.
    if (event.type === 'server.status' && event.store === 'ok') session.ws.close(1012, 'store back; reconnect with after');
  }

  #join(binId: string, session: Session): void {
    let sessions = this.#sessions.get(binId);
    if (!sessions) this.#sessions.set(binId, (sessions = new Set()));
    sessions.add(session);
  }

  #leave(binId: string, session: Session): void {
    const sessions = this.#sessions.get(binId);
    if (!sessions?.delete(session) || sessions.size > 0) return;
    this.#sessions.delete(binId);
  }

  /** Live send: a client that has fallen too far behind is dropped rather than buffered without end. */
  #send(session: Session, text: string): void {
    if (session.ws.readyState !== session.ws.OPEN) return;
    session.ws.send(text);
    if (session.ws.bufferedAmount > this.#options.maxBufferedBytes) session.ws.terminate();
  }

  /** Resync send: waits for each message to reach the socket, so a long catch-up stays bounded. */
  #sendPaced(session: Session, text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (session.ws.readyState !== session.ws.OPEN) return reject(new Error('socket closed during resync'));
      session.ws.send(text, (error) => (error ? reject(error) : resolve()));
    });
  }

  #pingAll(): void {
    for (const sessions of this.#sessions.values()) {
      for (const session of sessions) {
        if (!session.alive) {
          session.ws.terminate();
          continue;
        }
        session.alive = false;
        session.ws.ping();
      }
    }
  }
}

const NO_SUCH_BIN = 'No such bin: connect to /ws?bin=<binId> with the id of an existing bin.';

/** Answers a refused upgrade with a plain HTTP error (the handshake never happened). */
function refuseUpgrade(socket: Duplex, status: number, code: ErrorCode, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  const reason = status === 404 ? 'Not Found' : status === 503 ? 'Service Unavailable' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
