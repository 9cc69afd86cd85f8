import type Router from '@koa/router';
import { DEFAULT_RESPONSE_SETTINGS } from '../../shared/responses/types.js';
import { assertTargetAllowed } from '../outbound/target-policy.js';
import { HttpError } from '../http-error.js';
import { newBinId } from '../ids.js';
import type { StoredBin } from '../store/types.js';
import { assertConsistent, assertSchemaCompiles, parseBinSettings } from './bin-input.js';
import { routeBin, toApiBin, updateBin } from './bin-service.js';
import { BODY } from './body-validation.js';
import type { ApiDeps } from './deps.js';
import { NO_CONTENT, readBody, route } from './route.js';
import { SCHEMA_BODY_LIMIT } from './json-body.js';

export function registerBinRoutes(router: Router, deps: ApiDeps): void {
  route(router, 'POST /api/bins', async (ctx) => {
    const admitted = deps.binCreation?.take(ctx.ip);
    if (admitted && !admitted.allowed) {
      throw new HttpError(429, 'rate_limited', `Too many bins created from your address; retry after ${admitted.retryAfterSeconds} s (--bin-creation-limit).`, {
        'retry-after': String(admitted.retryAfterSeconds),
      });
    }
    const settings = parseBinSettings(await readBody(ctx, BODY['POST /api/bins'], SCHEMA_BODY_LIMIT));
    if (settings.forward) await assertTargetAllowed(deps.config, new URL(settings.forward.target));
    await assertSchemaCompiles(deps.checkPool, settings.schema);
    const id = newBinId();
    const bin: StoredBin = {
      id,
      name: settings.name || `Bin ${id.slice(0, 8)}`,
      token: settings.token ?? null,
      requireToken: settings.requireToken ?? false,
      secretHeader: settings.secretHeader ?? null,
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
    ctx.set('location', `/api/bins/${id}`);
    return toApiBin(deps, ctx, bin);
  });

  route(router, 'GET /api/bins', async (ctx) => {
    const bins = deps.store.listBins().sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return { bins: await Promise.all(bins.map((bin) => toApiBin(deps, ctx, bin))) };
  });

  route(router, 'GET /api/bins/{binId}', (ctx) => toApiBin(deps, ctx, routeBin(ctx)));

  route(router, 'PATCH /api/bins/{binId}', async (ctx) => {
    const current = routeBin(ctx);
    const settings = parseBinSettings(await readBody(ctx, BODY['PATCH /api/bins/{binId}'], SCHEMA_BODY_LIMIT));
    if (settings.forward) await assertTargetAllowed(deps.config, new URL(settings.forward.target));
    await assertSchemaCompiles(deps.checkPool, settings.schema);
    if (settings.name === '') delete settings.name;
    assertConsistent({ ...current, ...settings });
    // New settings: scripted sequences start over, before anyone sees them.
    return updateBin(deps, ctx, current.id, settings, () => deps.responses.reset(current.id));
  });

  route(router, 'DELETE /api/bins/{binId}', async (ctx) => {
    const bin = routeBin(ctx);
    await deps.store.deleteBin(bin.id);
    deps.bus.publish(bin.id, { type: 'bin.deleted', binId: bin.id });
    return NO_CONTENT;
  });
}
