import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Bin } from '../../shared/api-types.js';
import { binNotFound } from '../http-error.js';
import { findBin } from '../store/find-bin.js';
import type { StoredBin } from '../store/types.js';
import type { ApiDeps } from './deps.js';

/**
 * The bin a route works on, and the one way a route changes it. Every route with `:binId` gets
 * its bin resolved once, before the handler runs (`resolveBinParam`), and reads it with
 * `routeBin(ctx)`; a route that changes a bin calls `updateBin`, which also tells the live
 * stream.
 */

/** What the `:binId` hook leaves in `ctx.state` for the route. */
export interface BinRouteState {
  bin?: StoredBin;
}

/**
 * Registers the `:binId` hook: the bin from this instance's copy of the bins, or on a miss from
 * the store itself (a store shared with other instances may hold a bin one of them just
 * created); a 404 when there is none, before the route reads its body or does anything else.
 */
export function resolveBinParam(router: Router, deps: ApiDeps): void {
  router.param('binId', async (binId, ctx, next) => {
    const bin = await findBin(deps.store, binId);
    if (!bin) throw binNotFound(binId);
    (ctx.state as BinRouteState).bin = bin;
    return next();
  });
}

/** The bin resolved for this route by the `:binId` hook (a route without `:binId` has none: a programming error). */
export function routeBin(ctx: Context): StoredBin {
  const bin = (ctx.state as BinRouteState).bin;
  if (!bin) throw new Error(`route ${ctx.method} ${ctx.path} has no :binId, so no bin`);
  return bin;
}

/**
 * Applies `patch` to the bin and publishes `bin.updated` with the result, which it returns as
 * the API shows it. `beforePublish` runs between the write and the push (what must be in place
 * before anyone sees the new settings). A 404 when the bin was deleted meanwhile.
 */
export async function updateBin(
  deps: ApiDeps,
  ctx: Context,
  binId: string,
  patch: Partial<Omit<StoredBin, 'id' | 'createdAt'>>,
  beforePublish?: () => Promise<void>,
): Promise<Bin> {
  const updated = await deps.store.updateBin(binId, patch);
  if (!updated) throw binNotFound(binId);
  await beforePublish?.();
  const bin = await toApiBin(deps, ctx, updated);
  deps.bus.publish(binId, { type: 'bin.updated', bin });
  return bin;
}

/** The bin as the API shows it: its settings, capture URL and counts. */
export async function toApiBin(deps: ApiDeps, ctx: Context, bin: StoredBin): Promise<Bin> {
  const { expectedIds, expectedDeadlines: _deadlines, ...settings } = bin;
  return {
    ...settings,
    url: captureUrl(deps, ctx, bin.id),
    requestCount: await deps.store.requestCount(bin.id),
    expectedIdCount: expectedIds.length,
    rateLimited: deps.limits.refusedCount(bin.id),
    requestLimit: deps.config.maxRequestsPerBin,
  };
}

/**
 * Capture URLs use --capture-origin or else --public-url when set, else the origin the caller
 * reached us on (Koa 3's ctx.origin is the Origin header, so it is built from protocol and Host here).
 */
export function captureOrigin(deps: ApiDeps, ctx: Context): string {
  return deps.config.captureOrigin ?? deps.config.publicUrl ?? `${ctx.protocol}://${ctx.host}`;
}

export function captureUrl(deps: ApiDeps, ctx: Context, binId: string): string {
  return `${captureOrigin(deps, ctx)}/h/${binId}`;
}
