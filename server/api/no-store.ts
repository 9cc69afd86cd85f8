import type { Context, Next } from 'koa';

/**
 * API answers carry captured payloads, bin secrets and tokens: none may be kept by the browser
 * (Back after a logout must show nothing) or by a proxy. Routes that set their own cache-control
 * keep it; everything else under /api/ gets `private, no-store`, errors included.
 */
export async function noStoreApi(ctx: Context, next: Next): Promise<void> {
  if (!ctx.path.startsWith('/api/')) return next();
  try {
    await next();
  } finally {
    if (!ctx.response.get('cache-control')) ctx.set('cache-control', 'private, no-store');
  }
}
