import { ApiError, parseLiveMessage, type api } from './api.js';
import type { LiveEvent } from './types.js';

/**
 * What the indicator shows. It only says "connected" after the server's hello arrived on an
 * open socket, and says "reconnecting" the moment a socket closes.
 */
export type LiveStatus =
  | { state: 'connecting' }
  | { state: 'connected'; since: number }
  /** `retryAt` in epoch ms; null while an attempt is under way. */
  | { state: 'reconnecting'; attempt: number; retryAt: number | null }
  /** The browser reports no network; retries continue (a local hookscope may still answer). */
  | { state: 'offline'; attempt: number; retryAt: number | null }
  /** The bin no longer exists; nothing more will come. */
  | { state: 'gone' }
  /** The server is up but lost its store (Redis): captures get 503; it reconnects when the store is back. */
  | { state: 'store-unavailable'; attempt: number; retryAt: number | null };

/** A WebSocket as the connection uses it: open it with handlers; after close() none is called again. */
export interface LiveSocket {
  close(): void;
}

/**
 * Opens a WebSocket to `url` (the browser's WebSocket, or the `ws` package in Node): text
 * messages go to onMessage; onClose is called once, however it closed. May throw (a bad URL).
 */
export type OpenSocket = (url: string, handlers: { onOpen(): void; onMessage(text: string): void; onClose(): void }) => LiveSocket;

/** What the page tells the connection: whether it is online and shown, and when that changes. */
export interface PageSignals {
  /** False only when the browser knows it has no network. */
  online(): boolean;
  visible(): boolean;
  /** Calls `onChange` when the network comes or goes or the page is shown; returns a function that stops. */
  watch(onChange: (change: 'online' | 'offline' | 'visible') => void): () => void;
}

/** The server calls the connection makes (lib/api.ts's `api`). */
export type LiveApi = Pick<typeof api, 'listRequests' | 'getBin' | 'liveUrl'>;

export interface LiveConnectionOptions {
  binId: string;
  api: LiveApi;
  openSocket: OpenSocket;
  page: PageSignals;
  /** The newest request id the client holds, sent as `after` so the server resyncs the rest. */
  lastSeen(): string | null;
  onEvent(event: LiveEvent): void;
  onStatus(status: LiveStatus): void;
}

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 15_000;
/** While connected and visible, the REST API is asked this often whether the socket missed anything. */
const VERIFY_EVERY_MS = 45_000;
/** A request the REST API knows about may still be in flight on the socket for this long. */
const IN_FLIGHT_GRACE_MS = 2_000;
/** An open socket that has not said hello by then is treated as stuck. */
const HELLO_TIMEOUT_MS = 10_000;

/** Exponential back-off with jitter: attempt 1 → 0.25–0.5 s, doubling up to 7.5–15 s. */
export function retryDelay(attempt: number, random = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

/**
 * One bin's live stream, kept alive: reconnects with back-off and jitter after any close, at
 * once when the browser comes back online or the tab becomes visible, and resumes with
 * `after=<last id seen>` so nothing is missed. Browsers hide WebSocket pings, so a half-open
 * socket (laptop sleep, network switch) cannot be seen directly: instead the REST API is asked
 * now and then for the newest request, and a socket that is behind it is replaced.
 */
export class LiveConnection {
  #ws: LiveSocket | null = null;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #verifyTimer: ReturnType<typeof setInterval> | undefined;
  #status: LiveStatus = { state: 'connecting' };
  /** Set by the server's `server.status: unavailable`, until its next hello. */
  #storeDown = false;
  #stopped = false;
  #unwatch: () => void = () => undefined;
  readonly #options: LiveConnectionOptions;

  constructor(options: LiveConnectionOptions) {
    this.#options = options;
  }

  get status(): LiveStatus {
    return this.#status;
  }

  start(): void {
    const { page } = this.#options;
    this.#unwatch = page.watch((change) => (change === 'online' ? this.#onOnline() : change === 'offline' ? this.#onOffline() : this.#onVisible()));
    this.#verifyTimer = setInterval(() => {
      if (page.visible()) void this.verify();
    }, VERIFY_EVERY_MS);
    this.#open();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearInterval(this.#verifyTimer);
    this.#unwatch();
    this.#drop();
  }

  /** Skips the wait before the next attempt (the indicator's "retry now"). */
  retryNow(): void {
    if (this.#stopped || this.#status.state === 'connected' || this.#status.state === 'gone') return;
    this.#open();
  }

  /**
   * Checks the socket against the REST API: if the server holds a request newer than the last
   * one seen (and it is not just in flight), or cannot be reached, the socket is replaced.
   */
  async verify(): Promise<void> {
    if (this.#stopped || this.#status.state !== 'connected') return;
    const socket = this.#ws;
    try {
      const newest = (await this.#options.api.listRequests(this.#options.binId, { limit: 1 })).items[0]?.id ?? null;
      if (!this.#isBehind(newest)) return;
      await new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_GRACE_MS));
      if (!this.#isBehind(newest)) return;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return this.#gone();
    }
    if (socket === this.#ws && !this.#stopped) this.#reconnect();
  }

  #isBehind(newest: string | null): boolean {
    const seen = this.#options.lastSeen();
    return newest !== null && (seen === null || newest > seen);
  }

  #open(): void {
    clearTimeout(this.#timer);
    this.#drop();
    if (this.#attempt > 0) this.#setStatus(this.#waiting(null));
    let ws: LiveSocket;
    try {
      ws = this.#options.openSocket(this.#options.api.liveUrl(this.#options.binId, this.#options.lastSeen()), {
        onOpen: () => {
          this.#timer = setTimeout(() => {
            if (this.#ws === ws && this.#status.state !== 'connected') this.#reconnect();
          }, HELLO_TIMEOUT_MS);
        },
        onMessage: (text) => {
          if (this.#ws === ws) this.#onMessage(text);
        },
        onClose: () => {
          if (this.#ws !== ws) return;
          this.#ws = null;
          if (!this.#stopped && this.#status.state !== 'gone') this.#scheduleRetry();
        },
      });
    } catch {
      return this.#scheduleRetry();
    }
    this.#ws = ws;
  }

  #onMessage(text: string): void {
    const event = parseLiveMessage(text);
    if (!event) return;
    if (event.type === 'store-status') {
      // The socket stays open, but nothing can be captured or stored until the store is back;
      // then the server closes it and the reconnect resyncs.
      this.#storeDown = !event.ok;
      if (!event.ok) this.#setStatus({ state: 'store-unavailable', attempt: this.#attempt, retryAt: null });
    }
    if (event.type === 'hello') {
      clearTimeout(this.#timer);
      this.#attempt = 0;
      this.#storeDown = false;
      this.#setStatus({ state: 'connected', since: Date.now() });
    }
    this.#options.onEvent(event);
    if (event.type === 'bin-deleted') this.#gone();
  }

  #scheduleRetry(): void {
    this.#attempt++;
    const delay = retryDelay(this.#attempt);
    this.#setStatus(this.#waiting(Date.now() + delay));
    this.#timer = setTimeout(() => this.#open(), delay);
    // A refused socket may mean the bin was deleted or the session ended (the browser hides the
    // 404 or 401 of an upgrade): the API says which, and a 401 sends the page to login.
    void this.#checkBinExists();
  }

  async #checkBinExists(): Promise<void> {
    try {
      await this.#options.api.getBin(this.#options.binId);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) this.#gone();
    }
  }

  #waiting(retryAt: number | null): LiveStatus {
    if (this.#storeDown) return { state: 'store-unavailable', attempt: this.#attempt, retryAt };
    return this.#options.page.online() ? { state: 'reconnecting', attempt: this.#attempt, retryAt } : { state: 'offline', attempt: this.#attempt, retryAt };
  }

  #reconnect(): void {
    this.#attempt = Math.max(this.#attempt, 1);
    this.#open();
  }

  #gone(): void {
    clearTimeout(this.#timer);
    this.#setStatus({ state: 'gone' });
    this.#drop();
  }

  #drop(): void {
    const ws = this.#ws;
    this.#ws = null;
    ws?.close();
  }

  #setStatus(status: LiveStatus): void {
    this.#status = status;
    this.#options.onStatus(status);
  }

  #onOnline(): void {
    if (this.#status.state !== 'connected') this.retryNow();
  }

  #onOffline(): void {
    // The socket may still work (a hookscope on localhost), or may be silently cut off: ask.
    if (this.#status.state === 'connected') void this.verify();
    else if (this.#status.state === 'reconnecting') this.#setStatus(this.#waiting(this.#status.retryAt));
  }

  #onVisible(): void {
    if (this.#status.state === 'connected') void this.verify();
    else this.retryNow();
  }
}
