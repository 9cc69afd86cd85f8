import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const SESSION_COOKIE = 'hookscope_session';
const SESSION_MAX_AGE_S = 30 * 24 * 3600;

export type Credentials = 'ok' | 'missing' | 'invalid';

/**
 * Access control for everything but the capture URLs, with one shared secret (--access-token).
 * Sessions are stateless: the cookie is a random nonce and its HMAC under the token, so any
 * instance can check it, and changing the token logs everyone out. Comparisons are constant
 * time; an address that keeps failing is slowed down (see failureDelayMs).
 */
export class AccessControl {
  readonly #token: Buffer | null;
  readonly #failures = new Map<string, { count: number; at: number }>();

  constructor(
    token: string | null,
    private readonly secureCookies: boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.#token = token === null ? null : Buffer.from(token);
  }

  get enabled(): boolean {
    return this.#token !== null;
  }

  /** Checks `Authorization: Bearer …`, then the session cookie. */
  check(headers: IncomingHttpHeaders): Credentials {
    if (!this.#token) return 'ok';
    const auth = headers.authorization;
    if (auth !== undefined) return /^Bearer\s+/i.test(auth) && this.isToken(auth.replace(/^Bearer\s+/i, '')) ? 'ok' : 'invalid';
    const cookie = readCookie(headers.cookie, SESSION_COOKIE);
    if (cookie === undefined) return 'missing';
    return this.#validSession(cookie) ? 'ok' : 'invalid';
  }

  /** Constant-time comparison of a presented token with the access token. */
  isToken(presented: string): boolean {
    if (!this.#token) return true;
    return safeEqual(digest(Buffer.from(presented)), digest(this.#token));
  }

  /** A Set-Cookie value for a new session. */
  sessionCookie(): string {
    const nonce = randomBytes(18).toString('base64url');
    return serializeCookie(`v1.${nonce}.${this.#mac(nonce)}`, SESSION_MAX_AGE_S, this.secureCookies);
  }

  clearedCookie(): string {
    return serializeCookie('', 0, this.secureCookies);
  }

  /**
   * Milliseconds to wait before answering a failed attempt from `address`: nothing for the
   * first few, then doubling up to 10 s, so guessing the token from one address is hopeless.
   */
  recordFailure(address: string): number {
    const now = this.now();
    const previous = this.#failures.get(address);
    const count = previous && now - previous.at < 15 * 60_000 ? previous.count + 1 : 1;
    this.#failures.set(address, { count, at: now });
    if (this.#failures.size > 10_000) this.#failures.delete(this.#failures.keys().next().value!);
    return failureDelayMs(count);
  }

  recordSuccess(address: string): void {
    this.#failures.delete(address);
  }

  #validSession(value: string): boolean {
    const [version, nonce, mac] = value.split('.');
    if (version !== 'v1' || !nonce || !mac) return false;
    return safeEqual(Buffer.from(mac), Buffer.from(this.#mac(nonce)));
  }

  #mac(nonce: string): string {
    return createHmac('sha256', this.#token!).update(`session:${nonce}`).digest('base64url');
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
