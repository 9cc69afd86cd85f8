import type { BodyData, MultipartPart, MultiValueMap, TokenStatus } from '../../shared/api-types.js';

/**
 * The inspector's own view of the data. Wire shapes (shared/api-types.ts) become these in
 * lib/api.ts only, so components never depend on how the server spells things.
 */

export interface BinInfo {
  id: string;
  name: string;
  /** Capture URL without the token. */
  url: string;
  token: string | null;
  requireToken: boolean;
  createdAt: string;
  createdMs: number;
  requestCount: number;
}

/** A payload check's outcome. Filled by the checks of a later issue; empty until then. */
export interface Verdict {
  kind: 'valid' | 'invalid' | 'warnings' | 'duplicate' | 'bad-signature';
  label: string;
  detail?: string;
}

/** A replay attempt's outcome (later issue). */
export interface ReplayResult {
  target: string;
  status: number | null;
  at: string;
}

export interface Rejection {
  status: number;
  code: string;
  message: string;
}

/** One row of the request list. */
export interface RequestItem {
  id: string;
  binId: string;
  method: string;
  /** Sub-path after the capture URL ('' when none). */
  path: string;
  queryString: string;
  contentType: string | null;
  size: number;
  token: TokenStatus;
  rejection: Rejection | null;
  receivedAt: string;
  receivedMs: number;
  verdicts: Verdict[];
  replays: ReplayResult[];
}

export interface RequestDetail extends RequestItem {
  /** Query pairs in the order sent; repeated keys appear once per value. */
  query: [string, string][];
  rawHeaders: [string, string][];
  /** Lower-cased names, for lookups and the filter. */
  headers: MultiValueMap;
  remoteAddress: string | null;
  body: BodyData;
  /** The parsed body, boxed so that a JSON `null` body is told apart from "not JSON". */
  json: { value: unknown } | null;
  jsonError: string | null;
  form: [string, string][] | null;
  parts: MultipartPart[] | null;
  partsError: string | null;
}

/** What the live stream says, in the inspector's terms. */
export type LiveEvent =
  | { type: 'hello'; lastRequestId: string | null; resync: 'none' | 'complete' | 'partial' }
  | { type: 'created'; item: RequestItem; detail: RequestDetail | null }
  | { type: 'deleted'; id: string }
  | { type: 'cleared' }
  | { type: 'bin-updated'; bin: BinInfo }
  | { type: 'bin-deleted' };
