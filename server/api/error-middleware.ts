import type { Context, Next } from 'koa';
import type { ErrorCode } from '../../shared/wire/errors.js';
import { toHttpError } from '../error-mapping.js';
import { errorBody, HttpError } from '../http-error.js';

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'body_too_large',
  501: 'not_implemented',
};

/**
 * The one place that decides what an error looks like to the client:
 * `{ "error": { "code", "message" } }`. HttpErrors, storage errors (as error-mapping.ts maps
 * them) and Koa's own 4xx errors are shown as they are; anything else is logged and becomes a
 * 500 that reveals nothing internal.
 */
export async function errorMiddleware(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (caught) {
    const error = caught as Error & { status?: number; expose?: boolean; headers?: Record<string, string> };
    const known = toHttpError(caught);
    if (known) {
      respond(ctx, known.status, known.code, known.message, known.headers);
    } else if (error.status && error.status < 500 && error.expose !== false) {
      respond(ctx, error.status, STATUS_CODES[error.status] ?? 'request_error', error.message, error.headers);
    } else {
      console.error('hookscope: internal error on', ctx.method, ctx.path, error);
      respond(ctx, error.status ?? 500, 'internal_error', 'Something went wrong inside hookscope; the error was logged. Retry, and report it if it persists.');
    }
  }
}

function respond(ctx: Context, status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}): void {
  ctx.status = status;
  ctx.set(headers);
  ctx.body = errorBody(code, message);
}

/**
 * Gives bodiless API answers a JSON error: unknown paths under /api (instead of the inspector
 * page) and the router's 405/501, which name the methods the path does accept.
 */
export async function apiFallbacks(ctx: Context, next: Next): Promise<void> {
  await next();
  if (!ctx.path.startsWith('/api/') || ctx.body !== undefined) return;
  const allow = ctx.response.get('allow');
  if (ctx.status === 404) throw new HttpError(404, 'not_found', `No API route ${ctx.method} ${ctx.path}. The routes are listed in /api/openapi.json.`);
  if (ctx.status === 405 || ctx.status === 501) {
    throw new HttpError(ctx.status, 'method_not_allowed', `${ctx.method} is not supported on ${ctx.path}; it accepts ${allow}.`, { allow });
  }
}
