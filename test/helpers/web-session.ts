import { vi } from 'vitest';
import WebSocket from 'ws';
import type { OpenSocket, PageSignals } from '../../web/lib/live-connection.js';

/**
 * Runs the inspector's web/lib code in Node as if on a page served by `origin`: lib/api.ts calls
 * `fetch` with same-origin paths and builds the live URL from `location`, so both resolve against
 * `origin`, as a browser resolves them against the page. Undo with vi.unstubAllGlobals().
 */
export function servePageFrom(origin: string): void {
  const realFetch = globalThis.fetch;
  vi.stubGlobal('fetch', (input: string | URL | Request, init?: RequestInit) => realFetch(typeof input === 'string' ? new URL(input, origin) : input, init));
  vi.stubGlobal('location', new URL(origin));
}

/** OpenSocket on the `ws` package (what the browser's WebSocket is in the inspector), keeping what it opened. */
export class NodeSockets {
  /** Every socket opened, oldest first, with the URL it was opened on. */
  readonly opened: { url: string; ws: WebSocket }[] = [];
  /** While true, messages that arrive are dropped, as on a half-open socket: only what the session does itself shows. */
  muted = false;

  readonly open: OpenSocket = (url, handlers) => {
    const ws = new WebSocket(url);
    let active = true;
    ws.on('open', () => active && handlers.onOpen());
    ws.on('message', (data, isBinary) => active && !isBinary && !this.muted && handlers.onMessage(data.toString()));
    ws.on('close', () => active && handlers.onClose());
    ws.on('error', () => undefined); // a close follows
    this.opened.push({ url, ws });
    return {
      close: () => {
        active = false;
        ws.close();
      },
    };
  };

  /** The newest socket. */
  get last(): { url: string; ws: WebSocket } {
    const last = this.opened.at(-1);
    if (!last) throw new Error('no socket was opened');
    return last;
  }

  /** Cuts the newest socket off without a closing handshake, as a lost network does. */
  cut(): void {
    this.last.ws.terminate();
  }
}

/** A page whose network and visibility the test sets (PageSignals without a DOM). */
export class TestPage implements PageSignals {
  #online = true;
  #visible = true;
  readonly #watchers = new Set<(change: 'online' | 'offline' | 'visible') => void>();

  online(): boolean {
    return this.#online;
  }

  visible(): boolean {
    return this.#visible;
  }

  watch(onChange: (change: 'online' | 'offline' | 'visible') => void): () => void {
    this.#watchers.add(onChange);
    return () => this.#watchers.delete(onChange);
  }

  /** What the browser would report: the network went or came back, or the page was shown again. */
  change(change: 'online' | 'offline' | 'visible'): void {
    if (change === 'visible') this.#visible = true;
    else this.#online = change === 'online';
    for (const watcher of this.#watchers) watcher(change);
  }

  get watching(): number {
    return this.#watchers.size;
  }
}
