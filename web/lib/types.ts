import type {
  BodyData,
  ExpectedId,
  ForwardSetting,
  MultipartPart,
  MultiValueMap,
  Rejection,
  ReplayAttempt,
  SecretHeader,
  TokenStatus,
} from '../../shared/api-types.js';
import type { CheckResult, SchemaChoice, SigningSecret } from '../../shared/checks/types.js';
import type { AnsweredWith, ResponseSettings } from '../../shared/responses/types.js';

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
  /** A header captures must carry besides (or instead of) the token; null when none. */
  secretHeader: SecretHeader | null;
  createdAt: string;
  createdMs: number;
  requestCount: number;
  /** Requests the bin keeps at most (older servers do not say). */
  requestLimit?: number | undefined;
  schema: SchemaChoice;
  signingSecret: string | null;
  signingSecrets: SigningSecret[];
  expectedIdCount: number;
  forward: ForwardSetting | null;
  /** The last replay target, offered for the next replay; null before any. */
  replayTarget: string | null;
  responses: ResponseSettings;
}

/** One badge of a request's payload checks (lib/verdicts.ts derives them). */
export interface Verdict {
  kind: 'valid' | 'invalid' | 'warnings' | 'skipped' | 'duplicate' | 'unsigned' | 'bad-signature' | 'expired-signature' | 'signed' | 'signed-unverified';
  label: string;
  detail?: string;
}

/** One delivery of a request to a target (a replay, an auto-forward try, a pass-through), as stored. */
export type Delivery = ReplayAttempt;
/** What a list row shows of the latest delivery (a full attempt fits too). */
export type DeliverySummary = Pick<ReplayAttempt, 'at' | 'trigger' | 'status' | 'target'> & { error?: string };

/** Why a capture was answered with an error status (the wire shape: nothing to convert). */
export type { Rejection };

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
  /** The secret header's verdict; undefined when the bin had none. */
  secretHeader?: TokenStatus;
  rejection: Rejection | null;
  receivedAt: string;
  receivedMs: number;
  /** The payload checks' result; null when the request was captured without checks. */
  checks: CheckResult | null;
  /** What the sender was answered; null in pass-through mode (the target answered) and for old captures. */
  response: AnsweredWith | null;
  verdicts: Verdict[];
  /** The newest delivery to a target (the list API's lastReplay, or one seen live since). */
  lastDelivery: DeliverySummary | null;
}

export interface RequestDetail extends RequestItem {
  /** Query pairs in the order sent; repeated keys appear once per value. */
  query: [string, string][];
  rawHeaders: [string, string][];
  /** What the server removed before storing, e.g. 'cookie:hookscope_session'; empty when nothing. */
  redacted: string[];
  /** Lower-cased names, for lookups and the filter. */
  headers: MultiValueMap;
  remoteAddress: string | null;
  body: BodyData;
  /** The parsed body, boxed so that a JSON `null` body is told apart from "not JSON". */
  json: { value: unknown } | null;
  jsonError: string | null;
  /** Why a body that looks like JSON has no tree (e.g. nested deeper than 256 levels): it is shown raw. */
  jsonOmitted: string | null;
  form: [string, string][] | null;
  parts: MultipartPart[] | null;
  partsError: string | null;
  /** Deliveries to targets, oldest first. */
  deliveries: Delivery[];
}

/** What the live stream says, in the inspector's terms. */
export type LiveEvent =
  | { type: 'hello'; lastRequestId: string | null; resync: 'none' | 'complete' | 'partial' }
  | { type: 'created'; item: RequestItem; detail: RequestDetail | null }
  /** A stored request changed (its checks were re-run): the new summary. */
  | { type: 'updated'; item: RequestItem }
  | { type: 'replayed'; requestId: string; delivery: Delivery }
  | { type: 'deleted'; id: string }
  | { type: 'cleared' }
  /** The bin is at its limit of `limit` requests: those older than `oldestKept` were evicted. */
  | { type: 'evicted'; oldestKept: string; limit: number }
  | { type: 'bin-updated'; bin: BinInfo }
  | { type: 'bin-deleted' }
  /** Expected ids whose deadline passed without their webhook. */
  | { type: 'expected-overdue'; expected: ExpectedId[] }
  /** On Redis: the server lost (false) or regained (true) its store; captures get 503 meanwhile. */
  | { type: 'store-status'; ok: boolean };
