import type { Context, Next } from 'koa';

/**
 * Headers for everything Koa serves (the inspector and the API): a strict Content-Security-
 * Policy (only our own scripts, styles and connections; images and media also from https:, for
 * a job's result gallery the user asks to load; no inline script; no framing),
 * no MIME sniffing, and no referrer leaking capture URLs (they are capabilities) to other sites.
 * Raw bodies get a stricter, sandboxed policy of their own (server/api/requests.ts).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  // A Krea job's result gallery (loaded only when the user asks: components/MediaGallery).
  "media-src 'self' https:",
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
