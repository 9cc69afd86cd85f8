import { EventEmitter } from 'node:events';
import { createClient, ErrorReply, RESP_TYPES, type RedisArgument, type RedisClientType } from '@redis/client';
import { StoreUnavailableError } from '../errors.js';
import type { Script } from './scripts.js';

/** Tries of the first connection before the start fails (later outages are waited out). */
const CONNECT_ATTEMPTS = 5;
const RECONNECT_MAX_DELAY_MS = 1000;
/** Redis answers these while it cannot serve writes for a while: the store is unavailable, not broken. */
const TRANSIENT_REPLY = /^(LOADING|MISCONF|READONLY|OOM|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|NOREPLICAS)\b/;

export type RedisClient = RedisClientType;

/**
 * hookscope's two connections to Redis: `client` for commands and scripts, `subscriber` for
 * pub/sub. Both reconnect by themselves, and neither queues commands while disconnected: a
 * command then fails at once (StoreUnavailableError), so memory stays bounded and senders get a
 * prompt 503. Emits 'status' (available: boolean) when both become ready or either is lost.
 */
export class RedisConnection extends EventEmitter {
  #available = false;
  #closing = false;
  #loggedOutage = false;

  private constructor(
    readonly client: RedisClient,
    readonly subscriber: RedisClient,
    readonly safeUrl: string,
  ) {
    super();
  }

  /** Connects both; rejects (with a message naming the URL, password hidden) if Redis cannot be reached. */
  static async open(url: string): Promise<RedisConnection> {
    const safeUrl = hidePassword(url);
    let everReady = false;
    const client: RedisClient = createClient({
      url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 2000,
        // At start, give up after a few tries (a wrong URL should say so); once running, retry forever.
        reconnectStrategy: (retries, cause) => (everReady ? Math.min(50 * 2 ** retries, RECONNECT_MAX_DELAY_MS) : retries >= CONNECT_ATTEMPTS ? cause : 200),
      },
    });
    const subscriber = client.duplicate();
    const connection = new RedisConnection(client, subscriber, safeUrl);
    for (const c of [client, subscriber]) {
      c.on('error', (error: Error) => connection.#lost(error));
      c.on('ready', () => connection.#update());
      c.on('reconnecting', () => connection.#update());
      c.on('end', () => connection.#update());
    }
    try {
      await Promise.all([client.connect(), subscriber.connect()]);
    } catch (error) {
      client.destroy();
      subscriber.destroy();
      throw new Error(`cannot reach Redis at ${safeUrl} (--redis-url): ${(error as Error).message}`);
    }
    everReady = true;
    connection.#update();
    return connection;
  }

  /** Both connections are up. */
  get available(): boolean {
    return this.#available;
  }

  /** Runs a command; connection failures become StoreUnavailableError, Redis error replies are rethrown. */
  async command<T = unknown>(args: readonly RedisArgument[], options: { buffers?: boolean } = {}): Promise<T> {
    const typeMapping = options.buffers ? { [RESP_TYPES.BLOB_STRING]: Buffer } : undefined;
    try {
      return (await this.client.sendCommand(args, typeMapping ? { typeMapping } : undefined)) as T;
    } catch (error) {
      throw storeError(error);
    }
  }

  /** Runs a script by its SHA1, loading it on first use (NOSCRIPT) or after Redis lost its script cache. */
  async script<T = unknown>(script: Script, keys: readonly string[], args: readonly RedisArgument[]): Promise<T> {
    const rest = [String(keys.length), ...keys, ...args];
    try {
      return await this.command<T>(['EVALSHA', script.sha, ...rest]);
    } catch (error) {
      if (!(error instanceof ErrorReply) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.command<T>(['EVAL', script.source, ...rest]);
    }
  }

  /** Closes both connections, waiting at most a second for replies in flight. */
  async close(): Promise<void> {
    this.#closing = true;
    const timer = setTimeout(() => [this.client, this.subscriber].forEach((c) => c.isOpen && c.destroy()), 1000);
    await Promise.allSettled([this.client, this.subscriber].filter((c) => c.isOpen).map((c) => c.close()));
    clearTimeout(timer);
  }

  #lost(error: Error): void {
    if (!this.#closing && !this.#loggedOutage && this.#available) {
      this.#loggedOutage = true;
      console.error(`hookscope: lost Redis at ${this.safeUrl} (${error.message}); answering 503 until it is back`);
    }
    this.#update();
  }

  #update(): void {
    const available = !this.#closing && this.client.isReady && this.subscriber.isReady;
    if (available === this.#available) return;
    this.#available = available;
    if (available && this.#loggedOutage) {
      this.#loggedOutage = false;
      console.error(`hookscope: Redis at ${this.safeUrl} is back`);
    }
    this.emit('status', available);
  }
}

/** Maps a client failure to what the contract promises: unavailability, or the error itself. */
export function storeError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
  if (error instanceof ErrorReply && !TRANSIENT_REPLY.test(error.message)) return error;
  return new StoreUnavailableError(error);
}

function hidePassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return url;
  }
}
