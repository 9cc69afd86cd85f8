import type { Context, Next } from 'koa';
import { readBodyWithLimit } from '../capture/read-body.js';
import { errorBody } from '../http-error.js';
import type { AccessControl } from './auth.js';

/**
 * Koa middleware that puts everything Koa serves behind the access token: the login page and
 * its stylesheet are open; the API answers 401 JSON; any other page answers 401 with the login
 * form (plain HTML, no script, so it works under the strict CSP). Capture URLs never reach Koa.
 *   GET  /login?token=…   logs in from a printed link (as Jupyter does), then redirects to /
 *   POST /login           the form (token=…&next=…)
 *   POST /logout          ends the session
 */
export function accessControlMiddleware(access: AccessControl) {
  return async (ctx: Context, next: Next): Promise<void> => {
    if (!access.enabled) return next();
    if (ctx.path === '/login.css') return sendStylesheet(ctx);
    if (ctx.path === '/login' && (ctx.method === 'POST' || ctx.query.token !== undefined)) return login(ctx, access);
    if (ctx.path === '/logout' && ctx.method === 'POST') return logout(ctx, access);
    const credentials = await access.check(ctx.headers);
    if (credentials === 'ok') {
      if (ctx.path === '/login') return ctx.redirect('/');
      return next();
    }
    if (credentials === 'invalid') await delay(access.recordFailure(ctx.ip));
    refuse(ctx, credentials === 'invalid' ? 'Those credentials are not valid.' : null);
  };
}

async function login(ctx: Context, access: AccessControl): Promise<void> {
  const fields = ctx.method === 'POST' ? await readForm(ctx) : new URLSearchParams({ token: String(ctx.query.token) });
  const token = fields.get('token') ?? '';
  if (!access.isToken(token)) {
    await delay(access.recordFailure(ctx.ip));
    return refuse(ctx, 'That access token is not right.');
  }
  access.recordSuccess(ctx.ip);
  ctx.set('set-cookie', await access.sessionCookie(ctx.secure));
  ctx.redirect(sameOriginPath(fields.get('next')));
}

/**
 * Ends the session on the server too: with valid credentials, every session cookie issued so
 * far stops working (a new epoch), so a copy of the cookie is worthless. Without them, only the
 * browser's cookie is cleared: a stranger cannot log everyone out.
 */
async function logout(ctx: Context, access: AccessControl): Promise<void> {
  if ((await access.check(ctx.headers)) === 'ok') await access.endSessions();
  ctx.set('set-cookie', access.clearedCookie(ctx.secure));
  ctx.redirect('/login');
}

/**
 * Where to go after logging in: `next` when it is a path on this origin, else '/'. Never an
 * open redirect: `//evil.example`, `/\evil.example` (browsers read a backslash as a slash) and
 * control characters (a tab or newline inside `//`) are refused, and the path is rebuilt from
 * what a URL parser made of it.
 */
export function sameOriginPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || /[\\\x00-\x1f\x7f]/.test(next)) return '/';
  const base = 'http://hookscope.invalid';
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return '/';
  }
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : '/';
}

function refuse(ctx: Context, problem: string | null): void {
  ctx.status = 401;
  ctx.set('cache-control', 'no-store');
  if (ctx.path.startsWith('/api/') || ctx.accepts('html', 'json') === 'json') {
    ctx.set('www-authenticate', 'Bearer realm="hookscope"');
    ctx.body = errorBody('unauthorized', `${problem ?? 'This hookscope needs an access token.'} Send "Authorization: Bearer <token>" or log in at /login.`);
    return;
  }
  ctx.type = 'html';
  ctx.body = loginPage(problem, ctx.path === '/login' ? '/' : ctx.originalUrl);
}

function loginPage(problem: string | null, next: string): string {
  const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><title>hookscope · log in</title><link rel="stylesheet" href="/login.css"></head>
<body><main><h1>hookscope</h1>
<p>This hookscope is protected. Enter its access token (printed when it started, or set with <code>--access-token</code>).</p>
${problem ? `<p class="problem" role="alert">${escape(problem)}</p>` : ''}
<form method="post" action="/login"><label for="token">Access token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<input type="hidden" name="next" value="${escape(next)}"><button type="submit">Log in</button></form>
<p class="note">Capture URLs (<code>/h/…</code>) work without logging in.</p></main></body></html>`;
}

const STYLESHEET = `body{font:16px/1.5 system-ui,sans-serif;display:grid;place-items:center;min-height:100vh;margin:0}
main{max-width:26rem;padding:1.5rem}h1{margin:0 0 .5rem}label{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=password]{width:100%;box-sizing:border-box;padding:.5rem;font:inherit}button{margin-top:1rem;padding:.5rem 1rem;font:inherit}
.problem{color:#b42318;font-weight:600}.note{color:GrayText;font-size:.9em}`;

function sendStylesheet(ctx: Context): void {
  ctx.type = 'text/css';
  ctx.set('cache-control', 'public, max-age=3600');
  ctx.body = STYLESHEET;
}

async function readForm(ctx: Context): Promise<URLSearchParams> {
  const read = await readBodyWithLimit(ctx.req, 16 * 1024);
  return new URLSearchParams(read.ok ? read.body.toString('utf8') : '');
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
