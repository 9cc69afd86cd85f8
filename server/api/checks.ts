import type Router from '@koa/router';
import type { Context } from 'koa';
import { BUILTIN_SCHEMAS } from '../../shared/schemas/index.js';
import { expectedStates, parseWithin } from '../checks/expected-deadlines.js';
import { checkDocument, recheckStoredRequest } from '../checks/run-checks.js';
import { waitForExpected } from './wait-expected.js';
import { HttpError } from '../http-error.js';
import type { StoredBin, StoredRequest } from '../store/types.js';
import { toSummary } from '../views/request-view.js';
import { assertSchemaCompiles, parseSchemaChoice } from './bin-input.js';
import { requireBin, toApiBin } from './bins.js';
import type { ApiDeps } from './deps.js';
import { readJsonObject, SCHEMA_BODY_LIMIT } from './json-body.js';
import { requireRequest } from './requests.js';

const MAX_EXPECTED_IDS = 10_000;

export function registerCheckRoutes(router: Router, deps: ApiDeps): void {
  router.get('/api/schemas', (ctx) => {
    ctx.body = { schemas: BUILTIN_SCHEMAS };
  });

  // Validates any JSON without capturing it: handy in CI.
  router.post('/api/validate', async (ctx) => {
    const input = await readJsonObject(ctx, SCHEMA_BODY_LIMIT);
    if (!('payload' in input)) throw new HttpError(400, 'invalid_body', 'Send { "schema": "auto" | "krea-job" | "langgraph-run" | { "custom": {…} }, "payload": <the JSON to check> }.');
    const choice = parseSchemaChoice(input.schema ?? 'auto');
    await assertSchemaCompiles(deps.checkPool, choice);
    ctx.body = await checkDocument(deps.checkPool, choice, input.payload);
  });

  router.post('/api/bins/:binId/requests/:requestId/recheck', async (ctx) => {
    const bin = requireBin(deps, ctx.params.binId);
    const record = await requireRequest(deps, bin, ctx.params.requestId);
    const updated = await recheck(deps, ctx, bin, record);
    ctx.body = toSummary(updated);
  });

  router.post('/api/bins/:binId/recheck', async (ctx) => {
    const bin = requireBin(deps, ctx.params.binId);
    let rechecked = 0;
    for (const record of await deps.store.requestsAfter(bin.id, null, Number.MAX_SAFE_INTEGER)) {
      await recheck(deps, ctx, bin, record);
      rechecked++;
    }
    ctx.body = { rechecked };
  });

  // `ids` as before; `expected`: each id pending, arrived (with its request) or overdue.
  router.get('/api/bins/:binId/expected', async (ctx) => {
    const bin = requireBin(deps, ctx.params.binId);
    ctx.body = { ids: bin.expectedIds, expected: await expectedStates(deps.store, bin, deps.now()) };
  });

  // For CI: waits until every expected id arrived or one is overdue (or timeoutMs passes).
  router.get('/api/bins/:binId/expected/wait', async (ctx) => {
    const bin = requireBin(deps, ctx.params.binId);
    const timeoutMs = Number(ctx.query.timeoutMs ?? 30_000);
    if (!Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > 300_000) throw new HttpError(400, 'invalid_query', '"timeoutMs" must be a whole number of ms from 0 to 300000.');
    ctx.body = await waitForExpected(deps, bin.id, timeoutMs, ctx.res);
  });

  // Adds ids (or replaces the list with { replace: true }); ids are kept lower-cased and unique.
  router.post('/api/bins/:binId/expected', async (ctx) => {
    const bin = requireBin(deps, ctx.params.binId);
    const input = await readJsonObject(ctx);
    const ids = input.ids;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || id.trim() === '' || id.length > 200)) {
      throw new HttpError(400, 'invalid_body', 'Send { "ids": ["<job_id or run_id>", …] } (strings of 1 to 200 characters), with "replace": true to replace the list and "within": "10m" for a deadline.');
    }
    const within = input.within === undefined ? null : parseWithin(input.within);
    if (input.within !== undefined && within === null) throw new HttpError(400, 'invalid_body', '"within" must be a duration such as "90s", "10m", "2h" or "1d" (at most 7 days), or a number of ms.');
    const base = input.replace === true ? [] : bin.expectedIds;
    const merged = [...new Set([...base, ...ids.map((id: string) => id.trim().toLowerCase())])];
    if (merged.length > MAX_EXPECTED_IDS) throw new HttpError(400, 'too_many_ids', `A bin holds at most ${MAX_EXPECTED_IDS} expected ids; replace the list or clear it first.`);
    const added = new Set(ids.map((id: string) => id.trim().toLowerCase()));
    const kept = (input.replace === true ? [] : bin.expectedDeadlines ?? []).filter((d) => within === null || !added.has(d.id));
    const due = within === null ? [] : [...added].map((id) => ({ id, due: new Date(deps.now() + within).toISOString() }));
    await updateBinSettings(deps, ctx, bin, { expectedIds: merged, expectedDeadlines: [...kept, ...due] });
    ctx.body = { expectedIdCount: merged.length };
  });

  router.delete('/api/bins/:binId/expected', async (ctx) => {
    const bin = requireBin(deps, ctx.params.binId);
    await updateBinSettings(deps, ctx, bin, { expectedIds: [], expectedDeadlines: [] });
    ctx.status = 204;
  });
}

async function updateBinSettings(deps: ApiDeps, ctx: Context, bin: StoredBin, patch: Partial<StoredBin>): Promise<void> {
  const updated = await deps.store.updateBin(bin.id, patch);
  if (!updated) throw new HttpError(404, 'bin_not_found', 'The bin was deleted meanwhile.');
  deps.bus.publish(bin.id, { type: 'bin.updated', bin: await toApiBin(deps, ctx, updated) });
}

/** Re-runs a stored request's checks with the bin's current settings, stores and pushes them. */
async function recheck(deps: ApiDeps, ctx: Context, bin: StoredBin, record: StoredRequest): Promise<StoredRequest> {
  const origin = deps.config.captureOrigin ?? deps.config.publicUrl ?? `${ctx.protocol}://${ctx.host}`;
  const checks = await recheckStoredRequest(deps.store, deps.checkPool, { bin, record, body: await deps.store.readBody(record), origin });
  const updated = await deps.store.updateRequest(bin.id, record.id, (current) => ({ ...current, checks }));
  if (!updated) throw new HttpError(404, 'request_not_found', 'The request was deleted or evicted meanwhile.');
  deps.bus.publish(bin.id, { type: 'request.updated', record: updated });
  return updated;
}
