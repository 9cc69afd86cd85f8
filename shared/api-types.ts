import type { CheckResult, SchemaChoice } from './checks/types.js';

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
  /** How many job / run ids are registered as expected (GET …/expected lists them). */
  expectedIdCount: number;
}

export interface CreateBinInput {
  name?: string;
  token?: string | null;
  requireToken?: boolean;
  schema?: SchemaChoice;
  signingSecret?: string | null;
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
}

export interface CapturedRequest extends RequestSummary {
  query: MultiValueMap;
  headers: MultiValueMap;
  /** [name, value] pairs in arrival order with their original case. */
  rawHeaders: [string, string][];
  remoteAddress: string | null;
  body: BodyData;
  /** Path of the raw-bytes endpoint for this request. */
  bodyUrl: string;
  /** Parsed JSON, present when the body is valid JSON (whatever the content type said). */
  json?: unknown;
  /** Parse error, present when the body looked like JSON (by content type or shape) but is not. */
  jsonError?: string;
  /** Fields of an application/x-www-form-urlencoded body. */
  form?: MultiValueMap;
  /** Parts of a multipart/form-data body. */
  parts?: MultipartPart[];
  /** Present when the multipart body could not be parsed. */
  partsError?: string;
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
