import type { Bin, RequestSummary } from './api-types.js';

/**
 * Messages pushed to WebSocket subscribers of a bin (`/ws?bin=<binId>`), as a tagged union on
 * `type`. Later features add their own members (validation results, replay attempts).
 */
export type LiveMessage =
  /** Sent once after connecting (and after a resync): where the stream stands. */
  | { type: 'hello'; binId: string; lastRequestId: string | null }
  /** A request was captured and is durably stored. */
  | { type: 'request.created'; request: RequestSummary }
  | { type: 'request.deleted'; binId: string; requestId: string }
  | { type: 'requests.cleared'; binId: string }
  | { type: 'bin.updated'; bin: Bin }
  | { type: 'bin.deleted'; binId: string };

export type LiveMessageType = LiveMessage['type'];
