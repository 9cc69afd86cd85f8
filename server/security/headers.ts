import type { Context, Next } from 'koa';

/**
 * Headers for everything Koa serves (the inspector and the API): a strict Content-Security-
 * Policy (only our own scripts, styles, images and connections; no inline script; no framing),
 * no MIME sniffing, and no referrer leaking capture URLs (they are capabilities) to other sites.
 * Raw bodies get a stricter, sandboxed policy of their own (server/api/requests.ts).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export async function securityHeaders(ctx: Context, next: Next): Promise<void> {
  await next();
  if (!ctx.response.get('content-security-policy')) ctx.set('content-security-policy', CONTENT_SECURITY_POLICY);
  ctx.set('x-content-type-options', 'nosniff');
  ctx.set('x-frame-options', 'DENY');
  ctx.set('referrer-policy', 'no-referrer');
  ctx.set('cross-origin-opener-policy', 'same-origin');
}
