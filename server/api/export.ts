import { Readable } from 'node:stream';
import type Router from '@koa/router';
import { parseFilter, type RequestFilter } from '../../shared/filter.js';
import { HttpError } from '../http-error.js';
import type { Store, StoredRequest } from '../store/types.js';
import { harEntry, harEntryJson, harLogHead } from '../views/har.js';
import { capturedRequestJson, toCapturedRequest } from '../views/request-view.js';
import { captureUrl, routeBin } from './bin-service.js';
import type { ApiDeps } from './deps.js';
import { queryParam } from './query-params.js';
import { recordMatches } from './search.js';
import { VERSION } from './status.js';
import { route, SENT } from './route.js';

const FORMATS = { har: { type: 'application/json', extension: 'har' }, ndjson: { type: 'application/x-ndjson', extension: 'ndjson' } } as const;
type ExportFormat = keyof typeof FORMATS;
const PAGE = 100;

/**
 * GET /api/bins/:binId/export?format=har|ndjson&q=: the bin's requests, oldest first, as an HTTP
 * Archive (for browser devtools, Postman, Insomnia) or as JSON Lines of the API's own request
 * form (exact bodies). Streamed one request at a time, so a bin of large bodies does not have to
 * fit in memory; `q` exports what the same filter shows.
 */
export function registerExportRoutes(router: Router, deps: ApiDeps): void {
  route(router, 'GET /api/bins/{binId}/export', (ctx) => {
    const bin = routeBin(ctx);
    const format = (queryParam(ctx, 'format') ?? 'har') as ExportFormat;
    if (!Object.hasOwn(FORMATS, format)) throw new HttpError(400, 'invalid_parameter', '"format" must be har or ndjson.');
    const filter = parseFilter(queryParam(ctx, 'q') ?? '');
    const requests = storedRequests(deps.store, bin.id, filter);
    const base = captureUrl(deps, ctx, bin.id);
    const chunks = format === 'har' ? harChunks(requests, base) : ndjsonChunks(requests);
    const name = `hookscope-${bin.id.slice(0, 8)}-${new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}.${FORMATS[format].extension}`;
    ctx.set('content-disposition', `attachment; filename="${name}"`);
    ctx.set('cache-control', 'private, no-store');
    ctx.type = FORMATS[format].type;
    ctx.body = Readable.from(chunks);
    return SENT;
  });
}

/** The bin's requests matching `filter`, oldest first, with their bodies; those evicted meanwhile are skipped. */
async function* storedRequests(store: Store, binId: string, filter: RequestFilter): AsyncGenerator<{ record: StoredRequest; body: Buffer }> {
  for (let after: string | null = null; ;) {
    const page = await store.requestsAfter(binId, after, PAGE);
    for (const record of page) {
      if (!recordMatches(record, filter)) continue;
      const body = await store.readBody(record).catch(async (error: unknown) => {
        if ((await store.getRequest(binId, record.id)) === undefined) return null; // evicted or deleted meanwhile
        throw error;
      });
      if (body) yield { record, body };
    }
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.id;
  }
}

async function* harChunks(requests: AsyncIterable<{ record: StoredRequest; body: Buffer }>, captureUrl: string): AsyncGenerator<string> {
  const head = JSON.stringify(harLogHead(VERSION));
  yield `{"log":${head.slice(0, -1)},"entries":[`; // the head object, left open for the entries
  let first = true;
  for await (const { record, body } of requests) {
    yield first ? '\n' : ',\n';
    yield* harEntryJson(harEntry(record, body, captureUrl));
    first = false;
  }
  yield '\n]}}\n';
}

async function* ndjsonChunks(requests: AsyncIterable<{ record: StoredRequest; body: Buffer }>): AsyncGenerator<string> {
  for await (const { record, body } of requests) {
    yield* capturedRequestJson(await toCapturedRequest(record, body));
    yield '\n';
  }
}
