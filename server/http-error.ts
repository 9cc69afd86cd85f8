import type { ServerResponse } from 'node:http';
import type { ErrorBody } from '../shared/api-types.js';
import type { ErrorCode } from '../shared/wire/errors.js';
import { CAPTURE_ANSWER_CSP } from './capture/isolation.js';

/**
 * An error meant for the client: a status, a stable machine-readable code, and a message that
 * says what was wrong and what to do. Anything else that is thrown becomes a logged 500.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

/** Writes a JSON error on a bare node:http response (the capture path runs before Koa). */
export function sendJsonError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, errorBody(error.code, error.message), error.headers);
}

/** A JSON answer on the bare node:http path, i.e. on a capture URL: sandboxed like every capture answer. */
export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'content-security-policy': CAPTURE_ANSWER_CSP,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/**
 * The one 404 for a bin id that names no bin, wherever it is found out: an API route, a capture
 * URL, or a write that found the bin deleted meanwhile (by this instance or another). In every
 * case nothing was recorded or changed.
 */
export function binNotFound(binId: string): HttpError {
  return new HttpError(404, 'bin_not_found', binNotFoundMessage(binId));
}

export function binNotFoundMessage(binId: string): string {
  return `No bin with id "${preview(binId)}" (it may have been deleted); nothing was recorded or changed. List bins with GET /api/bins, or create one with POST /api/bins and use its capture URL.`;
}

/**
 * A field of a request body as a 400's message names it: one name quoted (`"name"`), a path as
 * it reads (`forward.target`, `responses.rules[0].delayMs`), '' the body itself. The body
 * validation (api/body-validation.ts) and the hand checks after it use it alike.
 */
export function fieldLabel(path: string): string {
  if (path === '') return 'The body';
  return /[.[]/.test(path) ? path : `"${path}"`;
}

/** Shortens an untrusted value before it is echoed in an error message. */
export function preview(value: string, max = 80): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
