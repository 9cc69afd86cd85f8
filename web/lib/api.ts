import { sessionEnded } from './session-end.js';
import type {
  Bin,
  CapturedRequest,
  CreateBinInput,
  ErrorBody,
  ExpectedId,
  MultiValueMap,
  ReplayInput,
  ReplayManyInput,
  ReplaySummary,
  RequestSummary,
  ServerStatus,
  UpdateBinInput,
} from '../../shared/api-types.js';
import type { BodyOf, PathParamsOf, ResponseOf, RouteKey } from '../../shared/wire/routes.js';
import type { ErrorCode } from '../../shared/wire/errors.js';
import type { LiveMessage } from '../../shared/live-messages.js';
import type { SendInput, SendResult } from '../../shared/send-types.js';
import type { BinInfo, Delivery, LiveEvent, RequestDetail, RequestItem } from './types.js';
import { verdictsOf } from './verdicts.js';

/**
 * The inspector's only link to the server: REST calls and the live stream's URL and messages.
 * Everything leaving this module is a UI type (lib/types.ts); every failure is an ApiError.
 */

/** A server's error code, or one of the client's own: unreachable, unknown, or http_<status> for an answer without a JSON error. */
export type ApiErrorCode = ErrorCode | 'unreachable' | 'unknown' | `http_${number}`;

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached at all. */
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Detail views inline at most this much body; the rest is a download away. */
export const DETAIL_BODY_LIMIT = 1024 * 1024;

/**
 * Calls a route of the contract (shared/wire/routes.ts) by its key: the method and path come
 * from the key with `params` filled in, the body must be what the route takes, and the answer is
 * typed as what the route answers. That answer is not checked again here: the server builds it
 * from the same schemas, and test/openapi.test.ts checks real answers against them.
 */
async function call<K extends RouteKey>(
  key: K,
  params: PathParamsOf<K>,
  options: { query?: URLSearchParams; body?: NoInfer<BodyOf<K>> } = {},
): Promise<NoInfer<ResponseOf<K>>> {
  const space = key.indexOf(' ');
  const method = key.slice(0, space);
  const filled = key.slice(space + 1).replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String((params as Record<string, string | number>)[name])));
  const query = options.query?.toString();
  const body = options.body;
  let res: Response;
  try {
    res = await fetch(query ? `${filled}?${query}` : filled, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'unreachable', 'Cannot reach the hookscope server. Check that it is running.');
  }
  const text = res.status === 204 ? '' : await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (res.status === 401) {
    // The session ended (logged out elsewhere): the login page, not the API's advice to send a header.
    sessionEnded();
    throw new ApiError(401, 'unauthorized', 'Your session ended: log in again.');
  }
  if (!res.ok) {
    const error = (data as Partial<ErrorBody> | undefined)?.error;
    throw new ApiError(res.status, error?.code ?? `http_${res.status}`, error?.message ?? `The server answered ${res.status} ${res.statusText}.`);
  }
  return data as ResponseOf<K>;
}

const binPath = (binId: string) => `/api/bins/${encodeURIComponent(binId)}`;
const requestPath = (binId: string, requestId: string) => `${binPath(binId)}/requests/${encodeURIComponent(requestId)}`;

export const api = {
  /** How the server stands: access control, storage limits and warnings. */
  status(): Promise<ServerStatus> {
    return call('GET /api/status', {});
  },
  async listBins(): Promise<BinInfo[]> {
    return (await call('GET /api/bins', {})).bins.map(toBin);
  },
  async getBin(binId: string): Promise<BinInfo> {
    return toBin(await call('GET /api/bins/{binId}', { binId }));
  },
  async createBin(input: CreateBinInput): Promise<BinInfo> {
    return toBin(await call('POST /api/bins', {}, { body: input }));
  },
  deleteBin(binId: string): Promise<void> {
    return call('DELETE /api/bins/{binId}', { binId });
  },
  /** Changes only the fields given; a 400 names the field that is wrong. */
  async updateBin(binId: string, input: UpdateBinInput): Promise<BinInfo> {
    return toBin(await call('PATCH /api/bins/{binId}', { binId }, { body: input }));
  },

  /** One page, newest first; `q` is the filter text (shared/filter.ts), `before` a page cursor. */
  async listRequests(
    binId: string,
    options: { q?: string; before?: string | null; limit?: number } = {},
  ): Promise<{ items: RequestItem[]; nextBefore: string | null }> {
    const params = new URLSearchParams({ limit: String(options.limit ?? 100) });
    if (options.q?.trim()) params.set('q', options.q.trim());
    if (options.before) params.set('before', options.before);
    const page = await call('GET /api/bins/{binId}/requests', { binId }, { query: params });
    return { items: page.requests.map(toItem), nextBefore: page.nextBefore };
  },
  async getRequest(binId: string, requestId: string, bodyLimit = DETAIL_BODY_LIMIT): Promise<RequestDetail> {
    return toDetail(
      await call('GET /api/bins/{binId}/requests/{requestId}', { binId, requestId }, { query: new URLSearchParams({ bodyLimit: String(bodyLimit) }) }),
    );
  },
  deleteRequest(binId: string, requestId: string): Promise<void> {
    return call('DELETE /api/bins/{binId}/requests/{requestId}', { binId, requestId });
  },
  clearRequests(binId: string): Promise<void> {
    return call('DELETE /api/bins/{binId}/requests', { binId }).then(() => undefined);
  },

  /** Runs one request's checks again with the bin's current settings. */
  async recheckRequest(binId: string, requestId: string): Promise<RequestItem> {
    return toItem(await call('POST /api/bins/{binId}/requests/{requestId}/recheck', { binId, requestId }));
  },
  /** Runs every request's checks again; resolves to how many were rechecked. */
  async recheckBin(binId: string): Promise<number> {
    return (await call('POST /api/bins/{binId}/recheck', { binId })).rechecked;
  },
  /** The built-in schemas, each with its JSON Schema document (a starting point for a custom one). */
  async listSchemas(): Promise<{ id: string; title: string; schema: object }[]> {
    return (await call('GET /api/schemas', {})).schemas;
  },
  async expectedIds(binId: string): Promise<string[]> {
    return (await call('GET /api/bins/{binId}/expected', { binId })).ids;
  },
  /** Each expected id pending (with its deadline, if any), arrived (with the request) or overdue. */
  async expectedStates(binId: string): Promise<ExpectedId[]> {
    return (await call('GET /api/bins/{binId}/expected', { binId })).expected;
  },
  /** Adds ids (or replaces the list), with a deadline (`within`, e.g. "10m") when given; resolves to the new count. */
  async addExpectedIds(binId: string, ids: string[], replace: boolean, within?: string): Promise<number> {
    return (await call('POST /api/bins/{binId}/expected', { binId }, { body: { ids, replace, ...(within ? { within } : {}) } })).expectedIdCount;
  },
  clearExpectedIds(binId: string): Promise<void> {
    return call('DELETE /api/bins/{binId}/expected', { binId });
  },

  /** Sends the request to a target; a target's failure is a delivery with an error, not a rejection. */
  replay(binId: string, requestId: string, input: ReplayInput): Promise<Delivery> {
    return call('POST /api/bins/{binId}/requests/{requestId}/replay', { binId, requestId }, { body: input });
  },
  replayMany(binId: string, input: ReplayManyInput): Promise<ReplaySummary> {
    return call('POST /api/bins/{binId}/replay', { binId }, { body: input });
  },

  /** The sender simulator: resolves when every delivery is over (retries can take seconds). */
  send(input: SendInput): Promise<SendResult> {
    return call('POST /api/send', {}, { body: input });
  },
  async listSends(): Promise<SendResult[]> {
    return (await call('GET /api/sends', {})).sends;
  },

  /** Same-origin path of the exact body bytes; `download` makes the server send an attachment. */
  bodyPath(binId: string, requestId: string, download = false): string {
    return `${requestPath(binId, requestId)}/body${download ? '?download' : ''}`;
  },
  /** The exact body bytes, whole (up to the 25 MB limit), for the views of a body too large for the detail; throws when the server does not answer 200. */
  async bodyBytes(binId: string, requestId: string): Promise<ArrayBuffer> {
    const res = await fetch(`${requestPath(binId, requestId)}/body`);
    if (!res.ok) throw new Error(`the server answered ${res.status}`);
    return res.arrayBuffer();
  },
  /** Same-origin path of the bin's export (an attachment), limited to what `filter` shows when given. */
  exportPath(binId: string, format: 'har' | 'ndjson', filter = ''): string {
    const params = new URLSearchParams({ format });
    if (filter.trim()) params.set('q', filter.trim());
    return `${binPath(binId)}/export?${params}`;
  },
  partPath(binId: string, requestId: string, index: number, download = false): string {
    return `${requestPath(binId, requestId)}/parts/${index}${download ? '?download' : ''}`;
  },

  /** WebSocket URL of a bin's live stream, resuming after `after` when given. */
  liveUrl(binId: string, after: string | null): string {
    const params = new URLSearchParams({ bin: binId });
    if (after) params.set('after', after);
    return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws?${params}`;
  },
};

/** A live message in UI terms; null for types this version does not know (newer servers). */
export function parseLiveMessage(text: string): LiveEvent | null {
  let message: LiveMessage;
  try {
    message = JSON.parse(text) as LiveMessage;
  } catch {
    return null;
  }
  switch (message.type) {
    case 'hello':
      return { type: 'hello', lastRequestId: message.lastRequestId, resync: message.resync };
    case 'request.created':
      return { type: 'created', item: toItem(message.request), detail: message.full ? toDetail(message.full) : null };
    case 'request.updated':
      return { type: 'updated', item: toItem(message.request) };
    case 'request.replayed':
      return { type: 'replayed', requestId: message.requestId, delivery: message.attempt };
    case 'request.deleted':
      return { type: 'deleted', id: message.requestId };
    case 'requests.cleared':
      return { type: 'cleared' };
    case 'requests.evicted':
      return { type: 'evicted', oldestKept: message.oldestKept, limit: message.limit };
    case 'bin.updated':
      return { type: 'bin-updated', bin: toBin(message.bin) };
    case 'bin.deleted':
      return { type: 'bin-deleted' };
    case 'expected.overdue':
      return { type: 'expected-overdue', expected: message.expected };
    case 'server.status':
      return { type: 'store-status', ok: message.store === 'ok' };
    default:
      return null;
  }
}

function toBin(bin: Bin): BinInfo {
  return { ...bin, createdMs: Date.parse(bin.createdAt) };
}

function toItem(summary: RequestSummary): RequestItem {
  return {
    id: summary.id,
    binId: summary.binId,
    method: summary.method,
    path: summary.path,
    queryString: summary.queryString,
    contentType: summary.contentType,
    size: summary.size,
    token: summary.token,
    ...(summary.secretHeader ? { secretHeader: summary.secretHeader } : {}),
    rejection: summary.rejection ?? null,
    receivedAt: summary.receivedAt,
    receivedMs: Date.parse(summary.receivedAt),
    checks: summary.checks ?? null,
    response: summary.response ?? null,
    verdicts: verdictsOf({ checks: summary.checks ?? null, contentType: summary.contentType, token: summary.token }),
    lastDelivery: summary.lastReplay ?? null,
  };
}

function toDetail(request: CapturedRequest): RequestDetail {
  const deliveries = request.replays ?? [];
  return {
    ...toItem(request),
    lastDelivery: deliveries.at(-1) ?? null,
    deliveries,
    query: [...new URLSearchParams(request.queryString)],
    rawHeaders: request.rawHeaders,
    redacted: request.redacted ?? [],
    headers: request.headers,
    remoteAddress: request.remoteAddress,
    body: request.body,
    json: 'json' in request ? { value: request.json } : null,
    jsonError: request.jsonError ?? null,
    jsonOmitted: request.jsonOmitted ?? null,
    // The body text keeps the fields' order across keys; the grouped map is the fallback.
    form: !request.form
      ? null
      : request.body.encoding === 'utf8' && !request.body.truncated
        ? [...new URLSearchParams(request.body.data)]
        : pairs(request.form),
    parts: request.parts ?? null,
    partsError: request.partsError ?? null,
  };
}

function pairs(map: MultiValueMap): [string, string][] {
  return Object.entries(map).flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v): [string, string] => [key, v]));
}
