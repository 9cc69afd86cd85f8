import type { CheckResult, SchemaChoice, SigningSecret } from './checks/types.js';
import type { AnsweredWith, ResponseSettings } from './responses/types.js';

/**
 * Wire shapes of hookscope's HTTP API, shared by the server and the inspector.
 * The OpenAPI document (server/api/openapi.ts) describes the same shapes for other clients;
 * test/openapi.test.ts keeps the two in step.
 */

/** Repeated query keys and headers keep every value: one value is a string, several an array. */
export type MultiValueMap = Record<string, string | string[]>;

/** How a request's query `token` compared with its bin's token. */
export type TokenStatus = 'none' | 'valid' | 'invalid' | 'missing';

export interface Bin {
  id: string;
  name: string;
  /** Absolute capture URL: `<public url or request origin>/h/<id>`. */
  url: string;
  /** Query secret (`?token=`) expected on captures; null when the bin has none. */
  token: string | null;
  /** When true, captures without the right token get 401 (and are still recorded). */
  requireToken: boolean;
  createdAt: string;
  requestCount: number;
  /** What payloads are checked against (default 'auto': Krea jobs and LangGraph Runs by their fields). */
  schema: SchemaChoice;
  /** Standard Webhooks secret (`whsec_…`) used to verify signed requests; null when none. */
  signingSecret: string | null;
  /** Secrets of other providers (GitHub, Stripe, Shopify, Slack, a generic HMAC) and rotations; see README "Payload checks". */
  signingSecrets: SigningSecret[];
  /** How many job / run ids are registered as expected (GET …/expected lists them). */
  expectedIdCount: number;
  /** Captures refused by a rate limit (429) since the server started: counted, not stored. */
  rateLimited: number;
  /** Auto-forward: each accepted capture is sent on to this target; null when off. */
  forward: ForwardSetting | null;
  /** The target of the last replay (the default for the next one); null before any. */
  replayTarget: string | null;
  /** How the capture URL answers: default response, rules, sequences (scripted responses). */
  responses: ResponseSettings;
}

/**
 * An expected job / run id and whether its webhook came (GET /api/bins/:id/expected):
 * 'arrived' with the request that brought it, 'overdue' once its deadline passed without it,
 * else 'pending'. `due` is present when the id was registered with a deadline (`within`).
 */
export interface ExpectedId {
  id: string;
  state: 'pending' | 'arrived' | 'overdue';
  due?: string;
  requestId?: string;
}

export interface CreateBinInput {
  name?: string;
  token?: string | null;
  requireToken?: boolean;
  schema?: SchemaChoice;
  signingSecret?: string | null;
  signingSecrets?: SigningSecret[];
  forward?: ForwardSetting | null;
  replayTarget?: string | null;
  responses?: ResponseSettings;
}

export type UpdateBinInput = CreateBinInput;

/** The exact body bytes: UTF-8 text when the bytes are valid UTF-8, else base64. */
export interface BodyData {
  encoding: 'utf8' | 'base64';
  data: string;
  /** Present and true when the server returned only the first `bodyLimit` bytes. */
  truncated?: boolean;
}

/** Why a capture was answered with an error status, while still being recorded. */
export interface Rejection {
  status: number;
  code: string;
  message: string;
}

export interface MultipartPart {
  index: number;
  /** Form field name. */
  name: string;
  /** Present for file parts. */
  filename?: string;
  contentType: string;
  size: number;
  /** Field value (text parts only). */
  value?: string;
}

/** The small form of a captured request, used by lists and live pushes. */
export interface RequestSummary {
  id: string;
  binId: string;
  receivedAt: string;
  method: string;
  /** Sub-path after `/h/<binId>`, exactly as sent ('' when none). */
  path: string;
  queryString: string;
  contentType: string | null;
  size: number;
  token: TokenStatus;
  rejection?: Rejection;
  /** The payload checks' verdict, computed at capture (and again on recheck). */
  checks?: CheckResult;
  /** What the sender was answered (absent in pass-through mode: the target answered). */
  response?: AnsweredWith;
  /** The latest delivery of this request to a target (replay, forward, pass-through), if any. */
  lastReplay?: Pick<ReplayAttempt, 'at' | 'trigger' | 'status' | 'target'> & { error?: string };
}

export interface CapturedRequest extends RequestSummary {
  query: MultiValueMap;
  headers: MultiValueMap;
  /** [name, value] pairs in arrival order with their original case. */
  rawHeaders: [string, string][];
  /** What hookscope removed before storing, e.g. 'cookie:hookscope_session' (its own session cookie); absent when nothing. */
  redacted?: string[];
  remoteAddress: string | null;
  body: BodyData;
  /** Path of the raw-bytes endpoint for this request. */
  bodyUrl: string;
  /** Parsed JSON, present when the body is valid JSON (whatever the content type said). */
  json?: unknown;
  /** Parse error, present when the body looked like JSON (by content type or shape) but is not. */
  jsonError?: string;
  /**
   * Why a body that looks like JSON has no `json` view, e.g. "nested deeper than 256 levels: shown
   * as raw" (a value that deep would overflow whoever walks it). The raw body is unchanged.
   */
  jsonOmitted?: string;
  /** Fields of an application/x-www-form-urlencoded body. */
  form?: MultiValueMap;
  /** Parts of a multipart/form-data body. */
  parts?: MultipartPart[];
  /** Present when the multipart body could not be parsed. */
  partsError?: string;
  /** True when the body was cut at `bodyLimit`, or is larger than 1 MB: the parsed views (json, form, parts) are left out. */
  viewsOmitted?: boolean;
  /** Deliveries of this request to a target (replays, forwards), oldest first; absent when none. */
  replays?: ReplayAttempt[];
}

export interface RequestPage {
  requests: RequestSummary[];
  /** Pass as `before` to get the next (older) page; null on the last page. */
  nextBefore: string | null;
}

export interface CaptureResponse {
  ok: true;
  id: string;
}

export interface ErrorBody {
  error: { code: string; message: string };
}

/** A request validated without capturing it (`POST /api/validate`). */
export interface ValidateInput {
  schema: SchemaChoice;
  payload: unknown;
}

/** Retries of an auto-forward: jittered exponential back-off, on network errors, 5xx and 429 only. */
export interface RetrySetting {
  /** Tries in all, the first included (1 to 10). */
  attempts: number;
  /** Delay before the second try; each later one doubles, capped at maxDelayMs (each jittered to 50–100 %). */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** A bin's auto-forward setting. */
export interface ForwardSetting {
  /** Absolute http(s) URL each captured request is sent to. */
  target: string;
  /** 'langgraph': what LangGraph's Python server does (3 tries, 1 s base, 10 s cap). Absent: one try. */
  retry?: RetrySetting | 'langgraph';
  /** 'hookscope' (default): the sender gets hookscope's own answer at once; 'forward': the target's answer (pass-through). */
  respond?: 'hookscope' | 'forward';
  /** Append the captured sub-path (after /h/<binId>) to the target's path. Default false. */
  appendPath?: boolean;
  /** Per try, for the whole exchange (default 30000, at most 120000). */
  timeoutMs?: number;
}

/** Which parts of the captured request a replay changed. */
export type ReplayModification = 'method' | 'headers' | 'body' | 'queryString';

/** One delivery of a captured request to a target: a replay, an auto-forward try, or a pass-through. */
export interface ReplayAttempt {
  id: string;
  /** When it was sent (ISO 8601). */
  at: string;
  trigger: 'replay' | 'forward' | 'pass-through' | 'simulated';
  /** The URL requested, query included. */
  target: string;
  method: string;
  /** Absent when the captured request was sent unchanged. */
  modified?: ReplayModification[];
  /** The target's status; null when no response came (see error). */
  status: number | null;
  /** The response headers as [name, value] pairs in order and case; [] without a response. */
  headers: [string, string][];
  /** The response body, bounded (truncated when cut; size has the full length); null without a response. */
  body: BodyData | null;
  /** Response body bytes received in all. */
  size: number;
  /**
   * The body with the target's Content-Encoding (gzip, deflate, br) undone, for reading; `body`
   * stays as sent. Absent when the body was not encoded or could not be decoded (see warning).
   */
  decodedBody?: BodyData;
  durationMs: number;
  /** Why no response came: "connection refused at localhost:3000", "timed out after 30 s", … */
  error?: string;
  /** About a response that did come, e.g. "target answered with more than 1 MB; kept the first 1 MB". */
  warning?: string;
  /** Auto-forward: which try this was (1 = the first). */
  try?: number;
  /** Auto-forward: set when another try follows, after this many ms. */
  nextTryInMs?: number;
}

/** `POST /api/bins/:binId/requests/:requestId/replay`. Everything but the target is an optional edit. */
export interface ReplayInput {
  /** Absolute http(s) URL; default: the bin's replayTarget. */
  target?: string;
  method?: string;
  /** A whole new list of [name, value] pairs, or a patch: { name: value } replaces, { name: null } removes. */
  headers?: [string, string][] | Record<string, string | null>;
  /** A new body (content-length follows it). */
  body?: string;
  bodyEncoding?: 'utf8' | 'base64';
  /** A new raw query string (without '?'); default: the captured one. */
  queryString?: string;
  /** Append the captured sub-path to the target's path (default false). */
  appendPath?: boolean;
  /** Default 30000, at most 120000. */
  timeoutMs?: number;
}

/** `POST /api/bins/:binId/replay`: several requests, one after another in arrival order. */
export interface ReplayManyInput {
  target?: string;
  /** Default: every request of the bin. */
  requestIds?: string[];
  appendPath?: boolean;
  timeoutMs?: number;
}

export interface ReplaySummary {
  target: string;
  /** Requests sent. */
  total: number;
  /** Answered with a 2xx. */
  succeeded: number;
  /** Answered otherwise, or not at all. */
  failed: number;
  /** Requested ids that are not (or no longer) in the bin. */
  notFound: string[];
  results: { requestId: string; attemptId: string; status: number | null; error?: string; durationMs: number }[];
}

/** `GET /api/status`: how the server stands (storage limits, access control). */
export interface ServerStatus {
  version: string;
  authRequired: boolean;
  storage: {
    /** Estimated bytes of stored requests at the last retention run (null: not measured yet). */
    dataSize: number | null;
    maxDataSize: number | null;
    retentionMs: number | null;
    /** Set when --max-data-size made the oldest requests go. */
    warning: string | null;
  };
}
