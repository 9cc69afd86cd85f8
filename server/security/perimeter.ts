import type { IncomingMessage } from 'node:http';
import type { Context, Next } from 'koa';
import type { ErrorCode } from '../../shared/wire/errors.js';
import { errorBody, HttpError } from '../http-error.js';
import { requestAuthority, type HostRules } from './allowed-hosts.js';

/** A refusal at the perimeter, before any credentials are looked at. */
export interface PerimeterRefusal {
  status: 403;
  code: ErrorCode;
  message: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The Host and Origin rules for everything but capture URLs (which never get here):
 *   - the request must name an allowed host (HostRules), whatever its method;
 *   - a request that can change something (any method but GET, HEAD, OPTIONS) must not come
 *     from a page on another origin: a browser names that page in `Origin`, and a form post,
 *     a no-cors fetch or a WebSocket from any site would otherwise reach a hookscope on
 *     loopback (or ride the session cookie of a same-site page in public mode). Clients that
 *     are not browsers send no Origin and pass.
 * Returns null when the request may go on.
 */
export function perimeterRefusal(req: IncomingMessage, rules: HostRules, trustProxy: boolean): PerimeterRefusal | null {
  const host = requestAuthority(req, trustProxy);
  const verdict = rules.check(host);
  if (!verdict.ok) return { status: 403, code: verdict.code, message: verdict.message };
  const origin = req.headers.origin;
  const changes = !SAFE_METHODS.has(req.method ?? 'GET') || isUpgrade(req);
  if (changes && origin !== undefined && !fromThisOrigin(req, origin, host, rules)) {
    return {
      status: 403,
      code: 'origin_not_allowed',
      message: `hookscope refuses this request from a page on another origin (${origin.slice(0, 100)}): other sites cannot use its API or live stream. Use the inspector itself, or a client that is not a browser (curl, scripts).`,
    };
  }
  return null;
}

/**
 * A browser sends `Origin: null` instead of the page's origin for a form post from a page whose
 * Referrer-Policy is no-referrer (the inspector's own login and logout forms), and from opaque
 * origins (sandboxed documents, such as capture answers). Sec-Fetch-Site, which no page can
 * set, tells the two apart.
 */
function fromThisOrigin(req: IncomingMessage, origin: string, host: ReturnType<typeof requestAuthority>, rules: HostRules): boolean {
  if (origin === 'null') return req.headers['sec-fetch-site'] === 'same-origin';
  return rules.isSameOrigin(origin, host);
}

function isUpgrade(req: IncomingMessage): boolean {
  return req.headers.upgrade !== undefined;
}

/** Koa middleware applying perimeterRefusal: JSON for the API and clients that want it, else a short page. */
export function perimeterMiddleware(rules: HostRules, trustProxy: boolean) {
  return async (ctx: Context, next: Next): Promise<void> => {
    const refusal = perimeterRefusal(ctx.req, rules, trustProxy);
    if (refusal === null) return next();
    ctx.set('cache-control', 'no-store');
    if (ctx.path.startsWith('/api/') || ctx.accepts('html', 'json') !== 'html') throw new HttpError(refusal.status, refusal.code, refusal.message);
    ctx.status = refusal.status;
    ctx.type = 'html';
    ctx.body = refusalPage(refusal.message);
  };
}

function refusalPage(message: string): string {
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>hookscope · refused</title></head><body><h1>hookscope</h1><p>${escape(message)}</p></body></html>`;
}

/**
 * API calls that change something must send their body as JSON: a page on another site can
 * post text/plain or a form without asking (no CORS preflight), never application/json. A
 * call without a body (a DELETE, a recheck) needs no Content-Type; one that names another
 * type is refused even when empty. Runs after the access check, so strangers learn nothing.
 */
export async function requireJsonBodies(ctx: Context, next: Next): Promise<void> {
  if (SAFE_METHODS.has(ctx.method) || !ctx.path.startsWith('/api/')) return next();
  const type = ctx.get('content-type');
  const hasBody = ctx.get('transfer-encoding') !== '' || Number(ctx.get('content-length') || 0) > 0;
  if (type === '' ? hasBody : !isJsonType(type)) {
    throw new HttpError(
      415,
      'unsupported_media_type',
      `${ctx.method} ${ctx.path} takes a JSON body sent with "Content-Type: application/json"${type ? ` (got "${type.slice(0, 100)}")` : ' (none was given)'}. hookscope refuses other types so that web pages cannot post to its API.`,
    );
  }
  return next();
}

/** application/json, or a +json type (application/merge-patch+json…), with any parameters. */
export function isJsonType(type: string): boolean {
  const essence = type.split(';')[0]!.trim().toLowerCase();
  return essence === 'application/json' || /^application\/[\w.-]+\+json$/.test(essence);
}

/** The refusal as an HTTP/1.1 answer written on an upgrade's raw socket (before any WebSocket exists). */
export function rawRefusal(status: number, code: ErrorCode, message: string): string {
  const body = JSON.stringify(errorBody(code, message));
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' }[status] ?? 'Error';
  return `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}
