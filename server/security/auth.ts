import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const SESSION_COOKIE = 'hookscope_session';
const SESSION_MAX_AGE_S = 30 * 24 * 3600;

export type Credentials = 'ok' | 'missing' | 'invalid';

/** Where the session epoch lives (the Store: lowdb in the data dir, or Redis for every instance). */
export interface SessionEpochs {
  sessionEpoch(): Promise<string>;
  bumpSessionEpoch(): Promise<string>;
}

/**
 * Access control for everything but the capture URLs, with one shared secret (--access-token).
 * A session cookie is a random nonce and its HMAC under the token and the current session
 * epoch, which is kept in the store: any instance can check it, changing the token logs
 * everyone out, and so does a logout (it replaces the epoch, so a copied cookie dies with it).
 * Comparisons are constant time; an address that keeps failing is slowed down (failureDelayMs).
 */
export class AccessControl {
  readonly #token: Buffer | null;
  readonly #failures = new Map<string, { count: number; at: number }>();
  /** The epoch last read, used while the store cannot be read (Redis down), so pages still load. */
  #lastEpoch: string | null = null;
  readonly #epochs: SessionEpochs;
  readonly #secureCookies: boolean;
  readonly #now: () => number;

  constructor(
    token: string | null,
    epochs: SessionEpochs,
    /** --public-url is https: every session cookie is Secure (else per request, see sessionCookie). */
    secureCookies: boolean,
    now: () => number = Date.now,
  ) {
    this.#now = now;
    this.#epochs = epochs;
    this.#secureCookies = secureCookies;
    this.#token = token === null ? null : Buffer.from(token);
  }

  get enabled(): boolean {
    return this.#token !== null;
  }

  /** Checks `Authorization: Bearer …`, then the session cookie (against the store's epoch). */
  async check(headers: IncomingHttpHeaders): Promise<Credentials> {
    if (!this.#token) return 'ok';
    const auth = headers.authorization;
    if (auth !== undefined) return /^Bearer\s+/i.test(auth) && this.isToken(auth.replace(/^Bearer\s+/i, '')) ? 'ok' : 'invalid';
    const cookie = readCookie(headers.cookie, SESSION_COOKIE);
    if (cookie === undefined) return 'missing';
    return (await this.#validSession(cookie)) ? 'ok' : 'invalid';
  }

  /** Constant-time comparison of a presented token with the access token. */
  isToken(presented: string): boolean {
    if (!this.#token) return true;
    return safeEqual(digest(Buffer.from(presented)), digest(this.#token));
  }

  /** A Set-Cookie value for a new session; `secure` when the browser reached us over https. */
  async sessionCookie(secure = false): Promise<string> {
    const nonce = randomBytes(18).toString('base64url');
    return serializeCookie(`v1.${nonce}.${this.#mac(await this.#epoch(), nonce)}`, SESSION_MAX_AGE_S, secure || this.#secureCookies);
  }

  clearedCookie(secure = false): string {
    return serializeCookie('', 0, secure || this.#secureCookies);
  }

  /** Ends every session (logout): a new epoch makes every cookie issued so far invalid. */
  async endSessions(): Promise<void> {
    this.#lastEpoch = await this.#epochs.bumpSessionEpoch();
  }

  /**
   * Milliseconds to wait before answering a failed attempt from `address`: nothing for the
   * first few, then doubling up to 10 s, so guessing the token from one address is hopeless.
   */
  recordFailure(address: string): number {
    const now = this.#now();
    const previous = this.#failures.get(address);
    const count = previous && now - previous.at < 15 * 60_000 ? previous.count + 1 : 1;
    this.#failures.set(address, { count, at: now });
    if (this.#failures.size > 10_000) this.#failures.delete(this.#failures.keys().next().value!);
    return failureDelayMs(count);
  }

  recordSuccess(address: string): void {
    this.#failures.delete(address);
  }

  async #validSession(value: string): Promise<boolean> {
    const [version, nonce, mac, extra] = value.split('.');
    if (version !== 'v1' || !nonce || !mac || extra !== undefined) return false;
    return safeEqual(Buffer.from(mac), Buffer.from(this.#mac(await this.#epoch(), nonce)));
  }

  /** The store's epoch; the last one read when the store cannot answer (none yet: the error). */
  async #epoch(): Promise<string> {
    try {
      this.#lastEpoch = await this.#epochs.sessionEpoch();
    } catch (error) {
      if (this.#lastEpoch === null) throw error;
    }
    return this.#lastEpoch;
  }

  #mac(epoch: string, nonce: string): string {
    return createHmac('sha256', this.#token!).update(`session:${epoch}:${nonce}`).digest('base64url');
  }
}

export function failureDelayMs(count: number): number {
  return count <= 3 ? 0 : Math.min(10_000, 250 * 2 ** (count - 4));
}

/** A random access token for public mode (as Jupyter does). */
export function generateAccessToken(): string {
  return randomBytes(24).toString('base64url');
}

function serializeCookie(value: string, maxAge: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function digest(value: Buffer): Buffer {
  return createHmac('sha256', 'hookscope-compare').update(value).digest();
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
