import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRequestId } from '../../shared/ids.js';
import { dictionary, ownValue } from '../../shared/safe-keys.js';
import { CAPTURE_ANSWER_CSP } from '../capture/isolation.js';
import { parseCaptureUrl } from '../capture/record.js';
import { storageHttpError, toHttpError } from '../error-mapping.js';
import { HttpError, sendJsonError } from '../http-error.js';
import type { LiveBus } from '../live/bus.js';
import { follow } from '../live/follow.js';
import { StoreUnavailableError } from '../store/errors.js';
import { findBin } from '../store/find-bin.js';
import type { Store, StoredBin, StoredRequest } from '../store/types.js';
import { parseJsonView, VIEW_PARSE_LIMIT } from '../views/body-views.js';
import { jsonWithLongString, SLICE_CHARS } from '../views/json-slices.js';
import { headerPairs, queryMap } from '../views/multi-value.js';

const PING_MS = 30_000; // smee.io's keep-alive interval
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024; // a client this far behind is dropped; it reconnects with Last-Event-ID

/**
 * smee.io's event stream on a capture URL, so `smee-client` (and Probot's WEBHOOK_PROXY_URL) can
 * use hookscope as its channel: `GET /h/<binId>` with `Accept: text/event-stream` gets a `ready`
 * event, a `ping` every 30 s, and one message per accepted capture holding the lower-cased
 * headers, `body` (parsed JSON, as smee.io sends it), `query` and `timestamp`. Unlike smee.io,
 * each message's id is the request id, so a reconnecting client (Last-Event-ID) misses nothing.
 */
export class SmeeStreams {
  readonly #open = new Set<ServerResponse>();
  #closed = false;
  readonly #deps: { store: Store; bus: LiveBus };

  constructor(deps: { store: Store; bus: LiveBus }) {
    this.#deps = deps;
  }

  /** Serves the stream when `req` asks for one on a bin's capture URL; false for anything else. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' || !req.headers.accept?.includes('text/event-stream')) return false;
    const target = parseCaptureUrl(req.url ?? '');
    if (!target || target.path !== '') return false;
    const lastEventId = req.headers['last-event-id'];
    void this.#serve(res, target.binId, typeof lastEventId === 'string' && isRequestId(lastEventId) ? lastEventId : null);
    return true;
  }

  /** Ends every open stream (the server is stopping; clients reconnect to the next one). */
  close(): void {
    this.#closed = true;
    for (const res of this.#open) res.end();
  }

  async #serve(res: ServerResponse, binId: string, after: string | null): Promise<void> {
    if (this.#closed) return sendJsonError(res, STOPPING());
    let bin: StoredBin | undefined;
    try {
      bin = await findBin(this.#deps.store, binId);
    } catch (error) {
      return sendJsonError(res, toHttpError(error) ?? storageHttpError(new StoreUnavailableError(error)));
    }
    if (this.#closed) return sendJsonError(res, STOPPING()); // it began stopping during the look-up
    if (!bin) return sendJsonError(res, new HttpError(404, 'bin_not_found', 'No such bin: use the capture URL of an existing bin as the smee channel.'));
    await this.#stream(res, bin.id, after);
  }

  async #stream(res: ServerResponse, binId: string, after: string | null): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'content-security-policy': CAPTURE_ANSWER_CSP,
    });
    res.write('event: ready\ndata: {}\n\n');
    this.#open.add(res);
    // Writes go one after another (a long message is written over several event-loop turns, and
    // no ping may land inside it); one that fails drops the client, which reconnects.
    let writing: Promise<void> = Promise.resolve();
    const write = (task: () => Promise<void> | void): Promise<void> => {
      writing = writing.then(() => (res.writableEnded || res.destroyed ? undefined : task())).catch(() => void res.destroy());
      return writing;
    };
    // Missed requests (after Last-Event-ID), then live ones: nothing lost, nothing twice. The
    // follow holds what the client has not taken yet; a client too far behind is dropped and
    // comes back with Last-Event-ID.
    const following = follow({
      ...this.#deps,
      binId,
      after: async () => (after !== null && (await this.#resumable(binId, after)) ? after : null),
      maxQueuedBytes: MAX_BUFFERED_BYTES,
      deliver: async (event) => {
        if (event.type === 'bin.deleted' && !res.writableEnded) res.end();
        if (event.type !== 'request.created' || event.record.rejection) return;
        await write(() => writeMessage(res, event.record, event.body));
        if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
      },
    });
    const ping = setInterval(() => void write(() => void res.write('event: ping\ndata: {}\n\n')), PING_MS);
    res.on('close', () => {
      following.stop();
      clearInterval(ping);
      this.#open.delete(res);
    });
    const end = await following.ended;
    if (end.reason === 'failed') console.error('hookscope: smee stream resync failed', end.error);
    if (end.reason !== 'stopped') res.destroy();
  }

  /**
   * A Last-Event-ID is honoured only when it names a request this bin holds: it can then only be
   * an id this stream sent. A made-up one (all zeros, or any time before the history) would
   * otherwise replay every stored request to anyone who knows the capture URL.
   */
  async #resumable(binId: string, after: string): Promise<boolean> {
    return (await this.#deps.store.getRequest(binId, after)) !== undefined;
  }
}

const STOPPING = () => new HttpError(503, 'stopping', 'hookscope is stopping; reconnect in a moment.');

/**
 * Writes one capture as a server-sent event. A long body (sent as text: see smeeBody) is escaped
 * slice by slice, one event-loop turn each, waiting for the client to take each slice.
 */
async function writeMessage(res: ServerResponse, record: StoredRequest, body: Buffer): Promise<void> {
  const message = smeeMessage(record, body);
  const long = typeof message.body === 'string' && message.body.length > SLICE_CHARS ? message.body : null;
  if (long === null) {
    res.write(`id: ${record.id}\ndata: ${JSON.stringify(message)}\n\n`);
    return;
  }
  res.write(`id: ${record.id}\ndata: `);
  for await (const piece of jsonWithLongString((marker) => ({ ...message, body: marker }), long)) {
    if (!res.write(piece)) await drained(res);
    if (res.destroyed) return;
  }
  res.write('\n\n');
}

/** Resolves when the response can take more, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** One capture in smee.io's message shape: `{ ...headers, body, query, timestamp }`. */
export function smeeMessage(record: StoredRequest, body: Buffer): Record<string, unknown> {
  // Header names are the sender's: a null-prototype map, so `constructor` or `__proto__` are just names.
  const headers = dictionary<string>();
  for (const [name, value] of headerPairs(record.rawHeaders)) {
    const key = name.toLowerCase();
    const earlier = ownValue(headers, key);
    headers[key] = earlier === undefined ? value : `${earlier}, ${value}`; // as Node's req.headers joins them
  }
  // Spread copies own keys as own properties (never through the __proto__ setter).
  return { ...headers, body: smeeBody(record, body), query: queryMap(record.queryString), timestamp: Date.parse(record.receivedAt) };
}

/**
 * smee.io only carries parsed bodies (and smee-client re-serialises them as JSON): JSON as parsed,
 * a form as an object, other text as a string, other bytes as base64, nothing as {}. JSON or a
 * form that is not parsed for views (nested too deep, larger than VIEW_PARSE_LIMIT) goes as its
 * text, so that no message is too deep for the stream or the client.
 */
function smeeBody(record: StoredRequest, body: Buffer): unknown {
  if (body.length === 0) return {};
  if (!isUtf8(body)) return body.toString('base64');
  const view = parseJsonView(body, record.contentType);
  if ('json' in view) return view.json;
  const form = record.contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded') && body.length <= VIEW_PARSE_LIMIT;
  if (form) return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  return body.toString('utf8');
}
