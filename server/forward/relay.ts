import WebSocket from 'ws';
import type { CapturedRequest, RequestSummary } from '../../shared/api-types.js';
import type { LiveMessage } from '../../shared/live-messages.js';
import { deliver, type CapturedParts } from '../replay/deliver.js';

export interface RelayOptions {
  /** The hookscope server's base URL (origin, plus any path prefix before /h/). */
  server: string;
  binId: string;
  to: URL;
  /** Deliver what the bin already holds before the live traffic. */
  replayMissed: boolean;
  /** Append each request's sub-path (after /h/<binId>) to the target's path. */
  pathForwarding: boolean;
  timeoutMs: number;
  /** The server's access token (--access-token), sent as a Bearer header; null when it has none. */
  accessToken: string | null;
  /** One line per delivery. */
  log: (line: string) => void;
  /** Connection news and problems. */
  warn: (line: string) => void;
  /** Called once when the relay cannot go on (the bin is gone). */
  fatal: (message: string) => void;
}

/** Older than every request id: "after" this, the whole bin is new. */
const BEGINNING = '0'.repeat(26);
const DEAD_AFTER_MS = 45_000; // the server pings every 30 s
const MAX_BACKOFF_MS = 10_000;

/**
 * `hookscope forward`: follows a bin's live stream and delivers each new request to a local target,
 * byte for byte, one at a time in arrival order. It remembers the newest request it has taken, and
 * reconnects after that one, so a restart of either side loses nothing and repeats nothing.
 */
export class Relay {
  #ws: WebSocket | null = null;
  /** Newest request id taken for delivery; null until the first hello says where "now" is. */
  #cursor: string | null = null;
  #queue: Promise<void> = Promise.resolve();
  #failures = 0;
  #timer: NodeJS.Timeout | undefined;
  #deadTimer: NodeJS.Timeout | undefined;
  readonly #stopping = new AbortController();
  readonly #options: RelayOptions;

  constructor(options: RelayOptions) {
    this.#options = options;
  }

  start(): void {
    this.#connect();
  }

  /** Stops: closes the stream, cancels a delivery in flight, resolves once nothing is running. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    clearTimeout(this.#timer);
    clearTimeout(this.#deadTimer);
    this.#ws?.terminate();
    await this.#queue;
  }

  #connect(): void {
    const after = this.#cursor ?? (this.#options.replayMissed ? BEGINNING : null);
    const query = new URLSearchParams({ bin: this.#options.binId, ...(after ? { after } : {}) });
    const ws = new WebSocket(`${this.#options.server.replace(/^http/, 'ws')}/ws?${query}`, { handshakeTimeout: 10_000, headers: this.#authHeaders() });
    this.#ws = ws;
    ws.on('message', (data) => this.#onMessage(JSON.parse(data.toString()) as LiveMessage));
    ws.on('ping', () => this.#alive(ws));
    ws.on('unexpected-response', (_req, res) => {
      if (res.statusCode === 404) this.#options.fatal(`no bin ${this.#options.binId} on ${this.#options.server}; check the capture URL`);
      else if (res.statusCode === 401)
        this.#options.fatal(`${this.#options.server} needs an access token: pass --access-token (or set HOOKSCOPE_ACCESS_TOKEN)`);
      else if (res.statusCode === 403)
        refusalMessage(res).then(
          (message) => this.#options.fatal(`${this.#options.server} refused the live stream: ${message}`),
          () => this.#options.fatal(`${this.#options.server} refused the live stream (403)`),
        );
      else ws.terminate();
    });
    ws.on('error', (error) => this.#failures === 0 && this.#options.warn(`connection problem: ${error.message}`));
    ws.on('close', () => this.#reconnectLater());
  }

  #onMessage(message: LiveMessage): void {
    if (message.type === 'hello') {
      this.#alive(this.#ws!);
      if (this.#cursor !== null && this.#cursor !== BEGINNING && message.resync === 'partial') {
        this.#options.warn('some requests were evicted from the bin before they could be delivered');
      }
      this.#cursor ??= this.#options.replayMissed ? BEGINNING : (message.lastRequestId ?? BEGINNING);
      this.#options.warn(this.#failures === 0 ? `connected; forwarding to ${this.#options.to.href}` : 'reconnected; caught up');
      this.#failures = 0;
    } else if (message.type === 'request.created') {
      if (this.#cursor !== null && message.request.id <= this.#cursor) return; // already taken
      this.#cursor = message.request.id;
      this.#queue = this.#queue.then(() => this.#deliver(message.request, message.full));
    } else if (message.type === 'bin.deleted') {
      this.#options.fatal('the bin was deleted');
    }
  }

  async #deliver(summary: RequestSummary, full: CapturedRequest | null): Promise<void> {
    if (this.#stopping.signal.aborted) return;
    const shown = `${summary.method} ${summary.path || '/'}${summary.queryString ? `?${summary.queryString}` : ''}`;
    if (summary.rejection) return this.#options.log(`${new Date().toISOString()} ${shown} skipped: hookscope refused it (${summary.rejection.code})`);
    try {
      const { parts, body } = full && !full.body.truncated ? fromPush(full) : await this.#fetchRequest(summary.id);
      const options = {
        target: this.#options.to,
        trigger: 'forward' as const,
        timeoutMs: this.#options.timeoutMs,
        appendPath: this.#options.pathForwarding,
        signal: this.#stopping.signal,
      };
      const { attempt } = await deliver(parts, body, options, { mode: 'open', allow: [] });
      const outcome = attempt.status !== null ? String(attempt.status) : attempt.error;
      this.#options.log(`${new Date().toISOString()} ${shown} → ${outcome} ${attempt.durationMs} ms`);
    } catch (error) {
      if (!this.#stopping.signal.aborted) this.#options.log(`${new Date().toISOString()} ${shown} not delivered: ${(error as Error).message}`);
    }
  }

  /** A request too large for the live push, read over the API (retried while the server restarts). */
  async #fetchRequest(requestId: string): Promise<{ parts: CapturedParts; body: Buffer }> {
    const base = `${this.#options.server}/api/bins/${this.#options.binId}/requests/${requestId}`;
    const full = (await this.#fetchRetrying(`${base}?bodyLimit=0`).then((res) => res.json())) as CapturedRequest;
    const body = Buffer.from(await (await this.#fetchRetrying(`${base}/body`)).arrayBuffer());
    return { parts: partsOf(full), body };
  }

  async #fetchRetrying(url: string): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(url, { signal: this.#stopping.signal, headers: this.#authHeaders() }).catch((error: Error) => error);
      if (res instanceof Response && res.ok) return res;
      if (res instanceof Response && res.status === 404) throw new Error('the request was deleted before it could be delivered');
      if (attempt === 8 || this.#stopping.signal.aborted)
        throw new Error(`could not read it from hookscope: ${res instanceof Response ? `HTTP ${res.status}` : res.message}`);
      await new Promise((resolve) => setTimeout(resolve, backoff(attempt)));
    }
  }

  #authHeaders(): Record<string, string> {
    return this.#options.accessToken ? { authorization: `Bearer ${this.#options.accessToken}` } : {};
  }

  /** Ends a connection that has gone quiet (no ping for longer than the server's interval). */
  #alive(ws: WebSocket): void {
    clearTimeout(this.#deadTimer);
    this.#deadTimer = setTimeout(() => ws.terminate(), DEAD_AFTER_MS);
  }

  #reconnectLater(): void {
    clearTimeout(this.#deadTimer);
    if (this.#stopping.signal.aborted) return;
    this.#failures++;
    const delay = backoff(this.#failures);
    if (this.#failures === 1) this.#options.warn('disconnected; reconnecting…');
    this.#timer = setTimeout(() => this.#connect(), delay);
  }
}

/** The message of a JSON error answer (the server's Host check names the flag to set), or its status. */
function refusalMessage(res: import('node:http').IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    res.on('data', (chunk: Buffer) => (text += chunk.toString()).length > 4096 && res.destroy());
    res.on('close', () => {
      try {
        resolve(String((JSON.parse(text) as { error: { message: string } }).error.message));
      } catch {
        resolve(`HTTP ${res.statusCode}`);
      }
    });
  });
}

/** 250 ms, doubling to 10 s, jittered to 50–100 % so many relays do not reconnect in step. */
function backoff(failures: number): number {
  return Math.round(Math.min(MAX_BACKOFF_MS, 250 * 2 ** (failures - 1)) * (0.5 + Math.random() / 2));
}

function partsOf(full: CapturedRequest): CapturedParts {
  return { method: full.method, path: full.path, queryString: full.queryString, rawHeaders: full.rawHeaders.flat() };
}

/** The exact bytes of a pushed request: UTF-8 text round-trips exactly, anything else is base64. */
function fromPush(full: CapturedRequest): { parts: CapturedParts; body: Buffer } {
  return { parts: partsOf(full), body: Buffer.from(full.body.data, full.body.encoding) };
}
