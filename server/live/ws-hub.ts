import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { isBinId, isRequestId } from '../../shared/ids.js';
import type { LiveMessage } from '../../shared/live-messages.js';
import type { ErrorCode } from '../../shared/wire/errors.js';
import { StoreUnavailableError } from '../store/errors.js';
import type { Store } from '../store/types.js';
import type { BinEvent, LiveBus } from './bus.js';
import { toWireMessage } from './wire.js';

export interface LiveHubOptions {
  /** How often every socket is pinged; one missed pong and it is terminated. */
  pingIntervalMs: number;
  /** A socket with more than this many bytes waiting to be sent is dropped (it resyncs). */
  maxBufferedBytes: number;
}

export const LIVE_DEFAULTS: LiveHubOptions = { pingIntervalMs: 30_000, maxBufferedBytes: 8 * 1024 * 1024 };

interface Session {
  ws: WebSocket;
  alive: boolean;
  /** While resyncing, live messages wait here so they go out after the missed ones. */
  pending: { text: string; requestId: string | null }[] | null;
}

interface Channel {
  sessions: Set<Session>;
  unsubscribe: () => void;
  /** Turns events into wire text one at a time, so they go out in the order they happened. */
  queue: Promise<void>;
}

/**
 * Pushes each bin's events to its WebSocket subscribers (`/ws?bin=<id>[&after=<requestId>]`).
 * One bus subscription per bin with subscribers; each event is serialised once for all of them.
 */
export class LiveHub {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  readonly #channels = new Map<string, Channel>();
  readonly #heartbeat: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    private readonly bus: LiveBus,
    private readonly options: LiveHubOptions = LIVE_DEFAULTS,
  ) {
    this.#heartbeat = setInterval(() => this.#pingAll(), options.pingIntervalMs);
    this.#heartbeat.unref();
  }

  /** Takes over an HTTP upgrade for `/ws`; refuses unknown bins with 404, bad cursors with 400. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://hookscope.invalid');
    const binId = url.searchParams.get('bin');
    const after = url.searchParams.get('after') || null;
    if (isBinId(binId) && !this.store.getBin(binId) && this.store.refreshBin) {
      // Not in this instance's copy of the bins: a store shared with other instances may have it.
      const unavailable = (error: unknown) => refuseUpgrade(socket, 503, 'store_unavailable', (error as Error).message);
      this.store.refreshBin(binId).then((bin) => (bin ? this.#accept(req, socket, head, binId, after) : refuseUpgrade(socket, 404, 'bin_not_found', NO_SUCH_BIN)), unavailable);
      return;
    }
    if (!isBinId(binId) || !this.store.getBin(binId)) return refuseUpgrade(socket, 404, 'bin_not_found', NO_SUCH_BIN);
    this.#accept(req, socket, head, binId, after);
  }

  #accept(req: IncomingMessage, socket: Duplex, head: Buffer, binId: string, after: string | null): void {
    if (after !== null && !isRequestId(after)) return refuseUpgrade(socket, 400, 'invalid_parameter', '"after" must be a request id.');
    this.#wss.handleUpgrade(req, socket, head, (ws) => void this.#start(ws, binId, after));
  }

  /** Number of open sessions on a bin (for tests and diagnostics). */
  sessionCount(binId: string): number {
    return this.#channels.get(binId)?.sessions.size ?? 0;
  }

  close(): void {
    clearInterval(this.#heartbeat);
    for (const channel of this.#channels.values()) for (const s of channel.sessions) s.ws.terminate();
    this.#wss.close();
  }

  async #start(ws: WebSocket, binId: string, after: string | null): Promise<void> {
    const session: Session = { ws, alive: true, pending: [] };
    ws.on('pong', () => (session.alive = true));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => this.#leave(binId, session));
    this.#join(binId, session);
    try {
      await this.bus.ready(binId); // a bus shared across instances must be listening before the resync reads
      const lastSent = await this.#resync(session, binId, after);
      for (const message of session.pending ?? []) {
        if (message.requestId !== null && lastSent !== null && message.requestId <= lastSent) continue; // already sent by the resync
        this.#send(session, message.text);
      }
      session.pending = null;
    } catch (error) {
      if (error instanceof StoreUnavailableError) {
        // Say why, and to come back later: it resyncs with `after` once the store is back.
        this.#send(session, JSON.stringify({ type: 'server.status', store: 'unavailable' } satisfies LiveMessage));
        ws.close(1013, 'store unavailable; reconnect later');
        return;
      }
      console.error('hookscope: live resync failed', error);
      ws.close(1011, 'resync failed; reconnect');
    }
  }

  /** Sends hello and everything newer than `after`; returns the id of the last request sent. */
  async #resync(session: Session, binId: string, after: string | null): Promise<string | null> {
    const newest = (await this.store.listRequests(binId, { limit: 1 })).records[0]?.id ?? null;
    const missed = after === null ? [] : await this.store.requestsAfter(binId, after, Number.MAX_SAFE_INTEGER);
    const oldest = after === null ? undefined : (await this.store.requestsAfter(binId, null, 1))[0];
    const evictedPast = after !== null && oldest !== undefined && after < oldest.id && !(await this.store.getRequest(binId, after));
    const hello: LiveMessage = { type: 'hello', binId, lastRequestId: newest, resync: after === null ? 'none' : evictedPast ? 'partial' : 'complete' };
    await this.#sendPaced(session, JSON.stringify(hello));
    let lastSent: string | null = after;
    for (const record of missed) {
      const { text } = await toWireMessage({ type: 'request.created', record, body: await this.store.readBody(record) });
      await this.#sendPaced(session, text);
      lastSent = record.id;
    }
    return lastSent;
  }

  #join(binId: string, session: Session): void {
    let channel = this.#channels.get(binId);
    if (!channel) {
      const created: Channel = { sessions: new Set(), unsubscribe: () => undefined, queue: Promise.resolve() };
      created.unsubscribe = this.bus.subscribe(binId, (event) => this.#enqueue(created, event));
      this.#channels.set(binId, created);
      channel = created;
    }
    channel.sessions.add(session);
  }

  #leave(binId: string, session: Session): void {
    const channel = this.#channels.get(binId);
    if (!channel) return;
    channel.sessions.delete(session);
    if (channel.sessions.size === 0) {
      channel.unsubscribe();
      this.#channels.delete(binId);
    }
  }

  #enqueue(channel: Channel, event: BinEvent): void {
    channel.queue = channel.queue
      .then(async () => {
        const message = await toWireMessage(event);
        for (const session of channel.sessions) {
          if (session.pending) session.pending.push(message);
          else this.#send(session, message.text);
        }
        if (event.type === 'bin.deleted') for (const session of channel.sessions) session.ws.close(1000, 'bin deleted');
        // The store is back, but events of the outage may never have reached this instance: clients resync.
        if (event.type === 'server.status' && event.store === 'ok') for (const session of channel.sessions) session.ws.close(1012, 'store back; reconnect with after');
      })
      .catch((error) => console.error('hookscope: live push failed', error));
  }

  /** Live send: a client that has fallen too far behind is dropped rather than buffered without end. */
  #send(session: Session, text: string): void {
    if (session.ws.readyState !== session.ws.OPEN) return;
    session.ws.send(text);
    if (session.ws.bufferedAmount > this.options.maxBufferedBytes) session.ws.terminate();
  }

  /** Resync send: waits for each message to reach the socket, so a long catch-up stays bounded. */
  #sendPaced(session: Session, text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (session.ws.readyState !== session.ws.OPEN) return reject(new Error('socket closed during resync'));
      session.ws.send(text, (error) => (error ? reject(error) : resolve()));
    });
  }

  #pingAll(): void {
    for (const channel of this.#channels.values()) {
      for (const session of channel.sessions) {
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
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
