import type { Bin, CapturedRequest, ExpectedId, ReplayAttempt, RequestSummary } from './api-types.js';

/**
 * The live stream of a bin over WebSocket.
 *
 * Connect to `/ws?bin=<binId>` (unknown bin: the upgrade is refused with 404), optionally with
 * `&after=<requestId>`: the last request the client has seen. The server then sends, in order:
 *   1. `hello` (where the stream stands),
 *   2. when `after` was given, one `request.created` for every stored request newer than it,
 *      oldest first (a resync: nothing missed, nothing twice),
 *   3. live messages as things happen, in the order they were made durable.
 * If `after` is older than everything kept (evicted), `hello.resync` is 'partial': the client
 * should reload the list. The server never expects messages from the client; it pings every
 * 30 s and drops clients that stop answering or stop reading (they reconnect with `after`).
 */
export type LiveMessage =
  | { type: 'hello'; binId: string; lastRequestId: string | null; resync: 'none' | 'complete' | 'partial' }
  /**
   * A request was captured and durably stored. `request` is always the summary; `full` is the
   * whole request (with parsed views) when its body is small enough to push, else null and the
   * client fetches it from `GET /api/bins/<binId>/requests/<id>` when needed.
   */
  | { type: 'request.created'; request: RequestSummary; full: CapturedRequest | null }
  /** A stored request changed (its checks were re-run; later: a replay was recorded). */
  | { type: 'request.updated'; request: RequestSummary }
  /** A request was delivered to a target (a replay, an auto-forward try, a pass-through); `attempt` is as stored. */
  | { type: 'request.replayed'; binId: string; requestId: string; attempt: ReplayAttempt }
  | { type: 'request.deleted'; binId: string; requestId: string }
  | { type: 'requests.cleared'; binId: string }
  /**
   * The bin holds `limit` requests, its maximum: each new one evicts the oldest. Every request
   * older than `oldestKept` is gone; a client drops them from its list. Sent right after the
   * `request.created` that filled the bin or evicted, before any other event of the bin.
   */
  | { type: 'requests.evicted'; binId: string; oldestKept: string; limit: number }
  | { type: 'bin.updated'; bin: Bin }
  | { type: 'bin.deleted'; binId: string }
  /** Expected ids whose deadline passed without their webhook (sent once per id). */
  | { type: 'expected.overdue'; binId: string; expected: ExpectedId[] }
  /**
   * The server lost its store (Redis: `unavailable`) or has it back (`ok`). While unavailable,
   * captures are answered 503 and nothing new is pushed; after `ok` the server closes the socket
   * (code 1012) so the client reconnects with `after` and resyncs what it missed. A connection
   * attempted during the outage gets `unavailable` and is closed with 1013 (try again later).
   */
  | { type: 'server.status'; store: 'ok' | 'unavailable' };

export type LiveMessageType = LiveMessage['type'];

/** Bodies up to this size travel inside `request.created`; larger ones are fetched on demand. */
export const LIVE_FULL_BODY_LIMIT = 64 * 1024;
