import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Bin } from '../../shared/api-types.js';
import { DEFAULT_RESPONSE_SETTINGS } from '../../shared/responses/types.js';
import { isBinId } from '../../shared/ids.js';
import { assertTargetAllowed } from '../forward/target-policy.js';
import { HttpError, preview } from '../http-error.js';
import { newBinId } from '../ids.js';
import type { StoredBin } from '../store/types.js';
import { assertConsistent, assertSchemaCompiles, parseBinSettings } from './bin-input.js';
import type { ApiDeps } from './deps.js';
import { readJsonObject, SCHEMA_BODY_LIMIT } from './json-body.js';

/**
 * Capture URLs use --capture-origin or else --public-url when set, else the origin the caller
 * reached us on (Koa 3's ctx.origin is the Origin header, so it is built from protocol and Host here).
 */
export function captureUrl(deps: ApiDeps, ctx: Context, binId: string): string {
  return `${deps.config.captureOrigin ?? deps.config.publicUrl ?? `${ctx.protocol}://${ctx.host}`}/h/${binId}`;
}

export async function toApiBin(deps: ApiDeps, ctx: Context, bin: StoredBin): Promise<Bin> {
  const { expectedIds, expectedDeadlines: _deadlines, ...settings } = bin;
  return {
    ...settings,
    url: captureUrl(deps, ctx, bin.id),
    requestCount: await deps.store.requestCount(bin.id),
    expectedIdCount: expectedIds.length,
    rateLimited: deps.limits.refusedCount(bin.id),
  };
}

/** The bin named by the route's :binId, or a 404 that says how to get one. */
export function requireBin(deps: ApiDeps, binId: string | undefined): StoredBin {
  const bin = isBinId(binId) ? deps.store.getBin(binId) : undefined;
  if (!bin) throw new HttpError(404, 'bin_not_found', `No bin with id "${preview(binId ?? '')}". List bins with GET /api/bins or create one with POST /api/bins.`);
  return bin;
}

export function registerBinRoutes(router: Router, deps: ApiDeps): void {
  // requireBin reads this instance's copy of the bins; on a miss, ask the store once before the
  // route runs (a store shared with other instances may hold a bin one of them just created).
  router.param('binId', async (binId, _ctx, next) => {
    if (isBinId(binId) && !deps.store.getBin(binId)) await deps.store.refreshBin?.(binId);
    return next();
  });
  router.post('/api/bins', async (ctx) => {
    const admitted = deps.binCreation?.take(ctx.ip);
    if (admitted && !admitted.allowed) {
      throw new HttpError(429, 'rate_limited', `Too many bins created from your address; retry after ${admitted.retryAfterSeconds} s (--bin-creation-limit).`, { 'retry-after': String(admitted.retryAfterSeconds) });
    }
    const settings = parseBinSettings(await readJsonObject(ctx, SCHEMA_BODY_LIMIT));
    if (settings.forward) await assertTargetAllowed(deps.config, new URL(settings.forward.target));
    await assertSchemaCompiles(deps.checkPool, settings.schema);
    const id = newBinId();
    const bin: StoredBin = {
      id,
      name: settings.name || `Bin ${id.slice(0, 8)}`,
      token: settings.token ?? null,
      requireToken: settings.requireToken ?? false,
      createdAt: new Date().toISOString(),
      schema: settings.schema ?? 'auto',
      signingSecret: settings.signingSecret ?? null,
      signingSecrets: settings.signingSecrets ?? [],
      expectedIds: [],
      expectedDeadlines: [],
      forward: settings.forward ?? null,
      replayTarget: settings.replayTarget ?? null,
      responses: settings.responses ?? DEFAULT_RESPONSE_SETTINGS,
    };
    assertConsistent(bin);
    await deps.store.createBin(bin);
    ctx.status = 201;
    ctx.set('location', `/api/bins/${id}`);
    ctx.body = await toApiBin(deps, ctx, bin);
  });

  router.get('/api/bins', async (ctx) => {
    const bins = deps.store.listBins().sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    ctx.body = { bins: await Promise.all(bins.map((bin) => toApiBin(deps, ctx, bin))) };
  });

  router.get('/api/bins/:binId', async (ctx) => {
    ctx.body = await toApiBin(deps, ctx, requireBin(deps, ctx.params.binId));
  });

  router.patch('/api/bins/:binId', async (ctx) => {
    const current = requireBin(deps, ctx.params.binId);
    const settings = parseBinSettings(await readJsonObject(ctx, SCHEMA_BODY_LIMIT));
    if (settings.forward) await assertTargetAllowed(deps.config, new URL(settings.forward.target));
    await assertSchemaCompiles(deps.checkPool, settings.schema);
    if (settings.name === '') delete settings.name;
    assertConsistent({ ...current, ...settings });
    const updated = await deps.store.updateBin(current.id, settings);
    if (!updated) throw new HttpError(404, 'bin_not_found', 'The bin was deleted meanwhile.');
    await deps.responses.reset(current.id); // new settings: scripted sequences start over
    const bin = await toApiBin(deps, ctx, updated);
    deps.bus.publish(bin.id, { type: 'bin.updated', bin });
    ctx.body = bin;
  });

  router.delete('/api/bins/:binId', async (ctx) => {
    const bin = requireBin(deps, ctx.params.binId);
    await deps.store.deleteBin(bin.id);
    deps.bus.publish(bin.id, { type: 'bin.deleted', binId: bin.id });
    ctx.status = 204;
  });
}
