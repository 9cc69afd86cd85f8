import type Router from '@koa/router';
import { DEFAULT_RESPONSE_SETTINGS } from '../../shared/responses/types.js';
import { assertTargetAllowed } from '../forward/target-policy.js';
import { HttpError } from '../http-error.js';
import { newBinId } from '../ids.js';
import type { StoredBin } from '../store/types.js';
import { assertConsistent, assertSchemaCompiles, parseBinSettings } from './bin-input.js';
import { routeBin, toApiBin, updateBin } from './bin-service.js';
import type { ApiDeps } from './deps.js';
import { readJsonObject } from './json-body.js';

export function registerBinRoutes(router: Router, deps: ApiDeps): void {
  router.post('/api/bins', async (ctx) => {
    const admitted = deps.binCreation?.take(ctx.ip);
    if (admitted && !admitted.allowed) {
      throw new HttpError(429, 'rate_limited', `Too many bins created from your address; retry after ${admitted.retryAfterSeconds} s (--bin-creation-limit).`, { 'retry-after': String(admitted.retryAfterSeconds) });
    }
    const settings = parseBinSettings(await readJsonObject(ctx));
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
      expectedIds: [],
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
    ctx.body = await toApiBin(deps, ctx, routeBin(ctx));
  });

  router.patch('/api/bins/:binId', async (ctx) => {
    const current = routeBin(ctx);
    const settings = parseBinSettings(await readJsonObject(ctx));
    if (settings.forward) await assertTargetAllowed(deps.config, new URL(settings.forward.target));
    await assertSchemaCompiles(deps.checkPool, settings.schema);
    if (settings.name === '') delete settings.name;
    assertConsistent({ ...current, ...settings });
    // New settings: scripted sequences start over, before anyone sees them.
    ctx.body = await updateBin(deps, ctx, current.id, settings, () => deps.responses.reset(current.id));
  });

  router.delete('/api/bins/:binId', async (ctx) => {
    const bin = routeBin(ctx);
    await deps.store.deleteBin(bin.id);
    deps.bus.publish(bin.id, { type: 'bin.deleted', binId: bin.id });
    ctx.status = 204;
  });
}
