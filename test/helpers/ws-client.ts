import WebSocket from 'ws';
import { EVENTUALLY_TIMEOUT_MS } from './eventually.js';
import type { LiveMessage } from '../../shared/live-messages.js';

/** A real `ws` client that collects the bin's live messages for assertions. */
export class LiveClient {
  readonly messages: LiveMessage[] = [];
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: (() => void)[] = [];

  constructor(baseUrl: string, binId: string, options: { after?: string; autoPong?: boolean } = {}) {
    const query = new URLSearchParams({ bin: binId, ...(options.after ? { after: options.after } : {}) });
    this.ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws?${query}`, { autoPong: options.autoPong ?? true });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    // Closed before it opened (a test done at once): `opened` rejects, which is no failure unless awaited.
    this.opened.catch(() => undefined);
    this.closed = new Promise((resolve) => this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    this.ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as LiveMessage);
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  /** Ids of the requests pushed so far, in arrival order. */
  get requestIds(): string[] {
    return this.messages.flatMap((m) => (m.type === 'request.created' ? [m.request.id] : []));
  }

  /**
   * Resolves once `predicate` holds over the messages received, or rejects after `timeoutMs`
   * naming the message types seen. Woken by each message rather than polling, with the same
   * generous default as `eventually`.
   */
  async waitFor(predicate: (messages: LiveMessage[]) => boolean, timeoutMs = EVENTUALLY_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.messages)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${JSON.stringify(this.messages.map((m) => m.type))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.ws.close();
  }
}
