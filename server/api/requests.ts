import type Router from '@koa/router';
import type { Context } from 'koa';
import { isEmptyFilter, parseFilter } from '../../shared/filter.js';
import type { CapturedRequest } from '../../shared/api-types.js';
import { API_ROUTES } from '../../shared/wire/routes.js';
import { isRequestId } from '../../shared/ids.js';
import { HttpError, preview } from '../http-error.js';
import type { StoredBin, StoredRequest } from '../store/types.js';
import { parseMultipart } from '../views/body-views.js';
import { capturedRequestJson, toCapturedRequest, toSummary } from '../views/request-view.js';
import { SLICE_CHARS } from '../views/json-slices.js';
import { routeBin } from './bin-service.js';
import type { ApiDeps } from './deps.js';
import { intParam, queryParam, requestIdParam } from './query-params.js';
import { jsonStream, NO_CONTENT, route, SENT, type JsonStream } from './route.js';
import { searchRequests } from './search.js';
import { waitForRequest } from './wait.js';

export async function requireRequest(deps: ApiDeps, bin: StoredBin, requestId: string | undefined): Promise<StoredRequest> {
  const record = isRequestId(requestId) ? await deps.store.getRequest(bin.id, requestId) : undefined;
  if (!record) throw new HttpError(404, 'request_not_found', `No request "${preview(requestId ?? '')}" in this bin; it may have been deleted or evicted.`);
  return record;
}

const LIST_QUERY = API_ROUTES['GET /api/bins/{binId}/requests'].query;
const WAIT_QUERY = API_ROUTES['GET /api/bins/{binId}/requests/wait'].query;
const GET_QUERY = API_ROUTES['GET /api/bins/{binId}/requests/{requestId}'].query;

export function registerRequestRoutes(router: Router, deps: ApiDeps): void {
  route(router, 'GET /api/bins/{binId}/requests', async (ctx) => {
    const bin = routeBin(ctx);
    const limit = intParam(ctx, 'limit', LIST_QUERY.limit);
    const before = requestIdParam(ctx, 'before');
    const filter = parseFilter(queryParam(ctx, 'q') ?? '');
    if (isEmptyFilter(filter) && deps.store.listSummaries) {
      // A store that keeps summaries apart (Redis) answers a page without reading bodies.
      const page = await deps.store.listSummaries(bin.id, { limit, ...(before ? { before } : {}) });
      return { requests: page.summaries, nextBefore: page.nextBefore };
    }
    const page = isEmptyFilter(filter)
      ? await deps.store.listRequests(bin.id, { limit, ...(before ? { before } : {}) })
      : await searchRequests(deps.store, bin.id, filter, limit, before);
    return { requests: page.records.map(toSummary), nextBefore: page.nextBefore };
  });

  route(router, 'DELETE /api/bins/{binId}/requests', async (ctx) => {
    const bin = routeBin(ctx);
    const removed = await deps.store.clearRequests(bin.id);
    deps.bus.publish(bin.id, { type: 'requests.cleared', binId: bin.id });
    return { removed };
  });

  // Declared before /{requestId} so "wait" is not taken for an id.
  route(router, 'GET /api/bins/{binId}/requests/wait', async (ctx) => {
    const bin = routeBin(ctx);
    const after = requestIdParam(ctx, 'after');
    const timeoutMs = intParam(ctx, 'timeout', WAIT_QUERY.timeout) * 1000;
    const record = await waitForRequest(deps, bin.id, after ?? null, timeoutMs, ctx.res);
    if (!record) return NO_CONTENT;
    return capturedAnswer(await toCapturedRequest(record, await deps.store.readBody(record)));
  });

  route(router, 'GET /api/bins/{binId}/requests/{requestId}', async (ctx) => {
    const record = await requireRequest(deps, routeBin(ctx), ctx.params.requestId);
    const bodyLimit = intParam(ctx, 'bodyLimit', GET_QUERY.bodyLimit);
    return capturedAnswer(await toCapturedRequest(record, await deps.store.readBody(record), bodyLimit));
  });

  route(router, 'GET /api/bins/{binId}/requests/{requestId}/body', async (ctx) => {
    const record = await requireRequest(deps, routeBin(ctx), ctx.params.requestId);
    return sendUntrustedBytes(ctx, await deps.store.readBody(record), record.contentType, `${record.id}.bin`);
  });

  route(router, 'GET /api/bins/{binId}/requests/{requestId}/parts/{index}', async (ctx) => {
    const record = await requireRequest(deps, routeBin(ctx), ctx.params.requestId);
    const index = Number(ctx.params.index);
    if (!record.contentType?.toLowerCase().startsWith('multipart/form-data') || !Number.isInteger(index) || index < 0) {
      throw new HttpError(404, 'part_not_found', 'This request has no such multipart part.');
    }
    const result = await parseMultipart(await deps.store.readBody(record), record.contentType, index).catch((error: Error) => {
      throw new HttpError(422, 'malformed_multipart', error.message);
    });
    const part = result.parts[index];
    if (!part || !result.captured) throw new HttpError(404, 'part_not_found', `This request has ${result.parts.length} parts; there is no part ${index}.`);
    return sendUntrustedBytes(ctx, result.captured, part.contentType, part.filename || `${part.name || 'part'}-${index}`);
  });

  route(router, 'DELETE /api/bins/{binId}/requests/{requestId}', async (ctx) => {
    const bin = routeBin(ctx);
    const record = await requireRequest(deps, bin, ctx.params.requestId);
    await deps.store.deleteRequest(bin.id, record.id);
    deps.bus.publish(bin.id, { type: 'request.deleted', binId: bin.id, requestId: record.id });
    return NO_CONTENT;
  });
}

/** A captured request as JSON; one with a long body is streamed, escaped a slice per event-loop turn. */
function capturedAnswer(captured: CapturedRequest): CapturedRequest | JsonStream<CapturedRequest> {
  return captured.body.data.length <= SLICE_CHARS ? captured : jsonStream(capturedRequestJson(captured));
}

/**
 * Serves captured bytes with their original content type, but never as something that can run
 * on hookscope's origin: a sandbox CSP and nosniff apply, and `?download=1` makes it an attachment.
 */
function sendUntrustedBytes(ctx: Context, bytes: Buffer, contentType: string | null, filename: string): typeof SENT {
  ctx.set('content-security-policy', "sandbox; default-src 'none'");
  ctx.set('x-content-type-options', 'nosniff');
  ctx.set('cache-control', 'private, no-store');
  const disposition = ctx.query.download !== undefined ? 'attachment' : 'inline';
  ctx.set('content-disposition', `${disposition}; filename="${asciiFilename(filename)}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
  ctx.set('content-type', contentType ?? 'application/octet-stream'); // exactly as sent (ctx.type would add a charset)
  ctx.body = bytes;
  return SENT;
}

function asciiFilename(name: string): string {
  return name.replace(/[^\x20-\x7e]|["\\]/g, '_');
}
