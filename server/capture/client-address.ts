import type { IncomingMessage } from 'node:http';

/**
 * The sender's address. Behind a reverse proxy (--trust-proxy) that is the last address in
 * X-Forwarded-For, the one the proxy itself appended: earlier entries come from the client and
 * can be forged. Without the flag the header is ignored.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)?.split(',').pop()?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? null;
}
