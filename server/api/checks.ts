import type Router from '@koa/router';
import type { Context } from 'koa';
import { BUILTIN_SCHEMAS } from '../../shared/schemas/index.js';
import { API_ROUTES } from '../../shared/wire/routes.js';
import { expectedStates, parseWithin } from '../checks/expected-deadlines.js';
import { checkDocument, recheckStoredRequest } from '../checks/run-checks.js';
import { waitForExpected } from './wait-expected.js';
import { HttpError } from '../http-error.js';
import type { StoredBin, StoredRequest } from '../store/types.js';
import { toSummary } from '../views/request-view.js';
import { assertSchemaCompiles } from './bin-input.js';
import { captureOrigin, routeBin, updateBin } from './bin-service.js';
import type { ApiDeps } from './deps.js';
import { NO_CONTENT, readBody, route } from './route.js';
import { BODY } from './body-validation.js';
import { SCHEMA_BODY_LIMIT } from './json-body.js';
import { intParam } from './query-params.js';
import { requireRequest } from './requests.js';

const MAX_EXPECTED_IDS = 10_000;
const WAIT_QUERY = API_ROUTES['GET /api/bins/{binId}/expected/wait'].query;

export function registerCheckRoutes(router: Router, deps: ApiDeps): void {
  route(router, 'GET /api/schemas', () => ({ schemas: [...BUILTIN_SCHEMAS] }));

  // Validates any JSON without capturing it: handy in CI.
  route(router, 'POST /api/validate', async (ctx) => {
    const input = await readBody(ctx, BODY['POST /api/validate'], SCHEMA_BODY_LIMIT);
    const choice = input.schema ?? 'auto';
    await assertSchemaCompiles(deps.checkPool, choice);
    return checkDocument(deps.checkPool, choice, input.payload);
  });

  route(router, 'POST /api/bins/{binId}/requests/{requestId}/recheck', async (ctx) => {
    const bin = routeBin(ctx);
    const record = await requireRequest(deps, bin, ctx.params.requestId);
    return toSummary(await recheck(deps, ctx, bin, record));
  });

  route(router, 'POST /api/bins/{binId}/recheck', async (ctx) => {
    const bin = routeBin(ctx);
    let rechecked = 0;
    for (const record of await deps.store.requestsAfter(bin.id, null, Number.MAX_SAFE_INTEGER)) {
      await recheck(deps, ctx, bin, record);
      rechecked++;
    }
    return { rechecked };
  });

  // `ids` as before; `expected`: each id pending, arrived (with its request) or overdue.
  route(router, 'GET /api/bins/{binId}/expected', async (ctx) => {
    const bin = routeBin(ctx);
    return { ids: bin.expectedIds, expected: await expectedStates(deps.store, bin, deps.now()) };
  });

  // For CI: waits until every expected id arrived or one is overdue (or timeoutMs passes).
  route(router, 'GET /api/bins/{binId}/expected/wait', async (ctx) => {
    const bin = routeBin(ctx);
    const timeoutMs = intParam(ctx, 'timeoutMs', WAIT_QUERY.timeoutMs);
    return waitForExpected(deps, bin.id, timeoutMs, ctx.res);
  });

  // Adds ids (or replaces the list with { replace: true }); ids are kept lower-cased and unique.
  route(router, 'POST /api/bins/{binId}/expected', async (ctx) => {
    const bin = routeBin(ctx);
    const { ids, replace, within: given } = await readBody(ctx, BODY['POST /api/bins/{binId}/expected']);
    const within = given === undefined ? null : parseWithin(given);
    if (given !== undefined && within === null)
      throw new HttpError(400, 'invalid_body', '"within" must be a duration such as "90s", "10m", "2h" or "1d" (at most 7 days), or a number of ms.');
    const base = replace === true ? [] : bin.expectedIds;
    const added = new Set(ids.map((id) => id.trim().toLowerCase()));
    const merged = [...new Set([...base, ...added])];
    if (merged.length > MAX_EXPECTED_IDS)
      throw new HttpError(400, 'too_many_ids', `A bin holds at most ${MAX_EXPECTED_IDS} expected ids; replace the list or clear it first.`);
    const kept = (replace === true ? [] : (bin.expectedDeadlines ?? [])).filter((d) => within === null || !added.has(d.id));
    const due = within === null ? [] : [...added].map((id) => ({ id, due: new Date(deps.now() + within).toISOString() }));
    await updateBin(deps, ctx, bin.id, { expectedIds: merged, expectedDeadlines: [...kept, ...due] });
    return { expectedIdCount: merged.length };
  });

  route(router, 'DELETE /api/bins/{binId}/expected', async (ctx) => {
    const bin = routeBin(ctx);
    await updateBin(deps, ctx, bin.id, { expectedIds: [], expectedDeadlines: [] });
    return NO_CONTENT;
  });
}

/** Re-runs a stored request's checks with the bin's current settings, stores and pushes them. */
async function recheck(deps: ApiDeps, ctx: Context, bin: StoredBin, record: StoredRequest): Promise<StoredRequest> {
  const checks = await recheckStoredRequest(deps.store, deps.checkPool, {
    bin,
    record,
    body: await deps.store.readBody(record),
    origin: captureOrigin(deps, ctx),
  });
  const updated = await deps.store.updateRequest(bin.id, record.id, (current) => ({ ...current, checks }));
  if (!updated) throw new HttpError(404, 'request_not_found', 'The request was deleted or evicted meanwhile.');
  deps.bus.publish(bin.id, { type: 'request.updated', record: updated });
  return updated;
}
