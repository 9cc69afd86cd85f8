import type { Bin, CapturedRequest, CreateBinInput, ReplayAttempt, ReplayInput, RequestPage, ServerStatus, UpdateBinInput } from '../../shared/api-types.js';
import type { CheckResult, SchemaChoice } from '../../shared/checks/types.js';
import { isBinId, isRequestId } from '../../shared/ids.js';
import type { SendInput, SendResult } from '../../shared/send-types.js';

/** One HTTP API call, as a transport sends it: a path under the server's base, a JSON body. */
export interface ApiCall {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Starts with /api/; every id in it has been checked against its pattern. */
  path: string;
  body?: unknown;
  /** Ends the call early (an MCP client cancelled the tool call, or hung up). */
  signal?: AbortSignal;
}

/** What came back: the status and the body's text ('' for none). */
export interface ApiAnswer {
  status: number;
  text: string;
}

/**
 * Sends one call to a hookscope server. Rejects with HookscopeApiError when the server cannot
 * be reached; any answer, errors included, resolves.
 */
export type ApiTransport = (call: ApiCall) => Promise<ApiAnswer>;

/** hookscope's own error (code and message from its `{ error }` body), or why it could not be asked. */
export class HookscopeApiError extends Error {
  constructor(
    /** The HTTP status; null when no answer came. */
    readonly status: number | null,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HookscopeApiError';
  }
}

/**
 * hookscope's HTTP API as typed calls, over any transport: `hookscope mcp` uses fetch against a
 * server anywhere, /mcp a loopback call to the server it runs in. Every method rejects with
 * HookscopeApiError carrying hookscope's own message; ids are checked before any call is made.
 */
export class HookscopeApi {
  readonly #send: ApiTransport;

  constructor(send: ApiTransport) {
    this.#send = send;
  }

  /** The server's version and whether it takes these credentials (a cheap first call). */
  status(): Promise<ServerStatus> {
    return this.#json({ method: 'GET', path: '/api/status' });
  }

  createBin(input: CreateBinInput): Promise<Bin> {
    return this.#json({ method: 'POST', path: '/api/bins', body: input });
  }

  async listBins(): Promise<Bin[]> {
    return (await this.#json<{ bins: Bin[] }>({ method: 'GET', path: '/api/bins' })).bins;
  }

  getBin(binId: string): Promise<Bin> {
    return this.#json({ method: 'GET', path: binPath(binId) });
  }

  updateBin(binId: string, patch: UpdateBinInput): Promise<Bin> {
    return this.#json({ method: 'PATCH', path: binPath(binId), body: patch });
  }

  /** Adds to the bin's expected job / run ids, or replaces them; resolves with how many it now holds. */
  setExpectedIds(binId: string, ids: string[], replace: boolean): Promise<{ expectedIdCount: number }> {
    return this.#json({ method: 'POST', path: `${binPath(binId)}/expected`, body: { ids, replace } });
  }

  listRequests(binId: string, page: { q?: string; limit?: number; before?: string }): Promise<RequestPage> {
    const query = new URLSearchParams();
    if (page.q) query.set('q', page.q);
    if (page.limit !== undefined) query.set('limit', String(page.limit));
    if (page.before !== undefined) query.set('before', checkedRequestId(page.before));
    return this.#json({ method: 'GET', path: `${binPath(binId)}/requests?${query}` });
  }

  /** One request, its body cut at `bodyLimit` bytes by the server. */
  getRequest(binId: string, requestId: string, bodyLimit: number): Promise<CapturedRequest> {
    return this.#json({ method: 'GET', path: `${requestPath(binId, requestId)}?bodyLimit=${bodyLimit}` });
  }

  /** The first request newer than `after` (or the next to arrive), or null after `timeoutSeconds`. */
  async waitForRequest(binId: string, after: string | undefined, timeoutSeconds: number, signal?: AbortSignal): Promise<CapturedRequest | null> {
    const query = new URLSearchParams({ timeout: String(timeoutSeconds) });
    if (after !== undefined) query.set('after', checkedRequestId(after));
    const answer = await this.#call({ method: 'GET', path: `${binPath(binId)}/requests/wait?${query}`, ...(signal ? { signal } : {}) });
    return answer.status === 204 ? null : parse<CapturedRequest>(answer);
  }

  replay(binId: string, requestId: string, input: ReplayInput): Promise<ReplayAttempt> {
    return this.#json({ method: 'POST', path: `${requestPath(binId, requestId)}/replay`, body: input });
  }

  sendTestWebhook(input: SendInput): Promise<SendResult> {
    return this.#json({ method: 'POST', path: '/api/send', body: input });
  }

  validate(schema: SchemaChoice, payload: unknown): Promise<CheckResult> {
    return this.#json({ method: 'POST', path: '/api/validate', body: { schema, payload } });
  }

  async #json<T>(call: ApiCall): Promise<T> {
    return parse<T>(await this.#call(call));
  }

  async #call(call: ApiCall): Promise<ApiAnswer> {
    const answer = await this.#send(call);
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw answerError(answer);
  }
}

function parse<T>(answer: ApiAnswer): T {
  try {
    return JSON.parse(answer.text) as T;
  } catch {
    throw new HookscopeApiError(
      answer.status,
      'not_hookscope',
      `The server answered ${answer.status} with something that is not JSON; is the URL that of a hookscope server?`,
    );
  }
}

/** hookscope's `{ error: { code, message } }`, or a sentence about an answer that has none. */
function answerError(answer: ApiAnswer): HookscopeApiError {
  try {
    const { error } = JSON.parse(answer.text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof error?.code === 'string' && typeof error.message === 'string') return new HookscopeApiError(answer.status, error.code, error.message);
  } catch {
    // not hookscope's error shape: described below
  }
  return new HookscopeApiError(
    answer.status,
    'http_error',
    `The server answered ${answer.status} without a hookscope error; is the URL that of a hookscope server?`,
  );
}

function binPath(binId: string): string {
  if (!isBinId(binId))
    throw new HookscopeApiError(null, 'bin_not_found', `"${String(binId).slice(0, 80)}" is not a bin id (a lower-case UUID); list_bins shows the bins.`);
  return `/api/bins/${binId}`;
}

function requestPath(binId: string, requestId: string): string {
  return `${binPath(binId)}/requests/${checkedRequestId(requestId)}`;
}

function checkedRequestId(requestId: string): string {
  if (!isRequestId(requestId))
    throw new HookscopeApiError(
      null,
      'request_not_found',
      `"${String(requestId).slice(0, 80)}" is not a request id (26 characters, e.g. 01J…); list_requests shows a bin's requests.`,
    );
  return requestId;
}
