import type Router from '@koa/router';
import type { Context } from 'koa';
import type { ReplaySummary } from '../../shared/api-types.js';
import { recordAttempt } from '../replay/attempts.js';
import { deliver } from '../replay/deliver.js';
import { assertTargetAllowed, targetRefused, targetRules } from '../outbound/target-policy.js';
import type { StoredBin, StoredRequest } from '../store/types.js';
import { routeBin, updateBin } from './bin-service.js';
import type { ApiDeps } from './deps.js';
import { BODY } from './body-validation.js';
import { requireRequest } from './requests.js';
import { readBody, route } from './route.js';
import { parseReplayInput, parseReplayManyInput, type ReplayEdits } from './replay-input.js';

/**
 * Replay: sends captured requests to a target, byte for byte (or with edits), records each
 * attempt on its request and pushes it live. A target's failure is an attempt with an `error`
 * (200), never an error of this API; a target the policy refuses is a 403 before anything is sent.
 */
export function registerReplayRoutes(router: Router, deps: ApiDeps): void {
  route(router, 'POST /api/bins/{binId}/requests/{requestId}/replay', async (ctx) => {
    const bin = routeBin(ctx);
    const record = await requireRequest(deps, bin, ctx.params.requestId);
    const edits = parseReplayInput(await readBody(ctx, BODY['POST /api/bins/{binId}/requests/{requestId}/replay'], replayBodyLimit(deps)), bin);
    await assertTargetAllowed(deps.config, edits.target);
    const attempt = await replayOne(deps, record, edits);
    if (attempt.status !== null) await rememberTarget(deps, ctx, bin, edits.target); // a target that answered, not a typo
    return attempt;
  });

  route(router, 'POST /api/bins/{binId}/replay', async (ctx) => {
    const bin = routeBin(ctx);
    const { edits, requestIds } = parseReplayManyInput(await readBody(ctx, BODY['POST /api/bins/{binId}/replay']), bin);
    await assertTargetAllowed(deps.config, edits.target);
    const { records, notFound } = await selectRequests(deps, bin, requestIds);
    const summary: ReplaySummary = { target: edits.target.href, total: 0, succeeded: 0, failed: 0, notFound, results: [] };
    for (const record of records) {
      const attempt = await replayOne(deps, record, edits);
      const ok = attempt.status !== null && attempt.status >= 200 && attempt.status < 300;
      summary.total++;
      if (ok) summary.succeeded++;
      else summary.failed++;
      summary.results.push({
        requestId: record.id,
        attemptId: attempt.id,
        status: attempt.status,
        ...(attempt.error ? { error: attempt.error } : {}),
        durationMs: attempt.durationMs,
      });
    }
    if (summary.results.some((r) => r.status !== null)) await rememberTarget(deps, ctx, bin, edits.target);
    return summary;
  });

  route(router, 'GET /api/bins/{binId}/requests/{requestId}/replays', async (ctx) => {
    const record = await requireRequest(deps, routeBin(ctx), ctx.params.requestId);
    return { replays: record.replays ?? [] };
  });
}

/** Delivers one request and records the attempt; the answer keeps up to 1 MB of the response. */
async function replayOne(deps: ApiDeps, record: StoredRequest, edits: ReplayEdits) {
  const { result, attempt } = await deliver(record, await deps.store.readBody(record), { ...edits, trigger: 'replay' }, targetRules(deps.config));
  if (result.kind === 'refused') throw targetRefused(deps.config, edits.target, result); // the address changed since the check
  await recordAttempt(deps, record.binId, record.id, attempt);
  return attempt;
}

/** The requests to replay, oldest first (request ids sort in arrival order). */
async function selectRequests(deps: ApiDeps, bin: StoredBin, ids: string[] | null): Promise<{ records: StoredRequest[]; notFound: string[] }> {
  if (ids === null) return { records: await deps.store.requestsAfter(bin.id, null, Number.MAX_SAFE_INTEGER), notFound: [] };
  const found = await Promise.all(ids.map((id) => deps.store.getRequest(bin.id, id)));
  return {
    records: found.filter((r): r is StoredRequest => r !== undefined).sort((a, b) => (a.id < b.id ? -1 : 1)),
    notFound: ids.filter((_, i) => found[i] === undefined),
  };
}

/** The bin remembers the last target, so the next replay (and the UI) can offer it. */
async function rememberTarget(deps: ApiDeps, ctx: Context, bin: StoredBin, target: URL): Promise<void> {
  if (bin.replayTarget === target.href) return;
  await updateBin(deps, ctx, bin.id, { replayTarget: target.href });
}

/** A replay may carry a whole new body, base64-encoded: room for the largest capture. */
function replayBodyLimit(deps: ApiDeps): number {
  return Math.ceil((deps.config.maxBodySize * 4) / 3) + 1024 * 1024;
}
