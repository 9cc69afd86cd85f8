// Issue 11 items 4 and 6 in a real Chromium, logged in to a hookscope with an access token:
// opening a capture URL stores the request without the session cookie (and the inspector says
// so); a scripted or relayed HTML answer runs no script and cannot replace the session cookie;
// logout ends the session on the server, so a copy of the old cookie gets 401; with
// --capture-origin the browser does not even send the cookie to capture URLs.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openBin, openPage } from '../helpers/browser.js';
import { closeInOrder, startServer, type TestServer } from '../helpers/server.js';
import { startTarget, type TargetServer } from '../helpers/target-server.js';

const TOKEN = 'browser-isolation-token-0123456789';
const bearer = { authorization: `Bearer ${TOKEN}` };
const json = { 'content-type': 'application/json' };
/** Would read the API with the session and leave marks, if it ran. */
const HOSTILE_HTML =
  '<!doctype html><title>answer</title><script>window.ran = true; document.title = document.cookie || "no-cookie"; fetch("/api/bins").then((r) => { window.apiStatus = r.status })</script><img src=x onerror="window.ran = true">';

let browser: Browser;
let srv: TestServer;
let target: TargetServer;
beforeAll(async () => {
  browser = await launchBrowser();
  srv = await startServer({ accessToken: TOKEN });
  target = await startTarget(() => ({
    status: 200,
    headers: ['Content-Type', 'text/html', 'Set-Cookie', 'hookscope_session=junk; Path=/api', 'Set-Cookie', 'theirs=1; Path=/'],
    body: HOSTILE_HTML,
  }));
});
afterAll(() => closeInOrder(browser, srv, target));

async function logIn(page: Page, base = srv.url): Promise<void> {
  await page.goto(base);
  await page.getByLabel('Access token').fill(TOKEN);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${base}/`);
}

async function newBin(settings: object = {}): Promise<{ id: string; url: string }> {
  const res = await fetch(`${srv.url}/api/bins`, { method: 'POST', headers: { ...bearer, ...json }, body: JSON.stringify(settings) });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; url: string };
}

async function sessionStatus(page: Page): Promise<number> {
  await page.goto(srv.url);
  return page.evaluate(async () => (await fetch('/api/bins')).status);
}

async function sessionCookie(context: BrowserContext): Promise<string> {
  return (await context.cookies()).find((c) => c.name === 'hookscope_session')!.value;
}

describe('the session cookie and capture URLs (item 4)', () => {
  it('opening a capture URL stores the request without the session cookie, keeps other cookies, and says so', async () => {
    const { page, context, errors } = await openPage(browser, srv.url);
    await logIn(page);
    await context.addCookies([{ name: 'theme', value: 'dark', url: srv.url }]);
    const bin = await newBin();
    const opened = await page.goto(`${bin.url}/opened-in-browser`);
    expect(opened?.status()).toBe(200);
    const { requests } = (await (await fetch(`${srv.url}/api/bins/${bin.id}/requests`, { headers: bearer })).json()) as { requests: { id: string }[] };
    const detail = (await (await fetch(`${srv.url}/api/bins/${bin.id}/requests/${requests[0]!.id}`, { headers: bearer })).json()) as {
      rawHeaders: [string, string][];
      redacted?: string[];
    };
    const cookies = detail.rawHeaders.filter(([name]) => name.toLowerCase() === 'cookie').map(([, value]) => value);
    expect(cookies).toEqual(['theme=dark']);
    expect(JSON.stringify(detail)).not.toContain(await sessionCookie(context));
    expect(detail.redacted).toEqual(['cookie:hookscope_session']);
    // The inspector's request detail tells why the cookie is missing.
    await openBin(page, srv.url, bin.id, requests[0]!.id);
    const note = page.getByTestId('redacted-note');
    await note.waitFor();
    expect(await note.textContent()).toMatch(/session cookie .*hookscope_session/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('logout ends the session on the server: a copy of the old cookie gets 401', async () => {
    const { page, context } = await openPage(browser, srv.url);
    await logIn(page);
    const copied = await sessionCookie(context);
    expect((await fetch(`${srv.url}/api/bins`, { headers: { cookie: `hookscope_session=${copied}` } })).status).toBe(200);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${srv.url}/login`);
    const old = await fetch(`${srv.url}/api/bins`, { headers: { cookie: `hookscope_session=${copied}` } });
    expect(old.status).toBe(401);
    // Put back in the browser, the old cookie does not log it in either.
    await context.addCookies([{ name: 'hookscope_session', value: copied, url: srv.url }]);
    expect(await sessionStatus(page)).toBe(401);
    await context.close();
  });
});

describe('capture answers in the browser (item 6)', () => {
  it('a scripted text/html answer runs no script and its Set-Cookie cannot lock the user out', async () => {
    const bin = await newBin();
    const patched = await fetch(`${srv.url}/api/bins/${bin.id}`, {
      method: 'PATCH',
      headers: { ...bearer, ...json },
      body: JSON.stringify({
        responses: { default: { status: 200, body: HOSTILE_HTML, contentType: 'text/html', headers: { 'set-cookie': 'hookscope_session=junk; Path=/api' } } },
      }),
    });
    expect(patched.status).toBe(200);
    const { page, context, dialogs } = await openPage(browser, srv.url);
    await logIn(page);
    const response = await page.goto(`${bin.url}/page`);
    expect(response?.headers()['content-security-policy']).toMatch(/sandbox/);
    await page.waitForTimeout(300);
    const state = await page.evaluate(() => ({
      ran: (window as { ran?: boolean }).ran ?? false,
      apiStatus: (window as { apiStatus?: number }).apiStatus ?? null,
      title: document.title,
    }));
    expect(state).toEqual({ ran: false, apiStatus: null, title: 'answer' });
    expect(dialogs).toEqual([]);
    expect((await context.cookies()).filter((c) => c.name === 'hookscope_session').map((c) => c.value)).not.toContain('junk');
    expect(await sessionStatus(page)).toBe(200); // still logged in, API included
    await context.close();
  });

  it("a pass-through target's HTML answer runs no script, keeps its own cookie, and cannot set ours", async () => {
    const bin = await newBin();
    const patched = await fetch(`${srv.url}/api/bins/${bin.id}`, {
      method: 'PATCH',
      headers: { ...bearer, ...json },
      body: JSON.stringify({ forward: { target: target.url, respond: 'forward' } }),
    });
    expect(patched.status).toBe(200);
    const { page, context } = await openPage(browser, srv.url);
    await logIn(page);
    const response = await page.goto(`${bin.url}/relayed`);
    expect(response?.status()).toBe(200);
    expect(await response?.text()).toBe(HOSTILE_HTML);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as { ran?: boolean }).ran ?? false)).toBe(false);
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'theirs')?.value).toBe('1');
    expect(cookies.filter((c) => c.name === 'hookscope_session').map((c) => c.value)).not.toContain('junk');
    expect(await sessionStatus(page)).toBe(200);
    await context.close();
  });
});

describe('--capture-origin in the browser', () => {
  it('keeps the inspector on one host name and capture URLs on another: the cookie is not even sent', async () => {
    const split = await startServer({ accessToken: TOKEN, captureOrigin: 'http://capture.localhost:1' });
    try {
      const port = new URL(split.url).port;
      const inspector = `http://localhost:${port}`;
      const captureBase = `http://capture.localhost:${port}`;
      const { page, context } = await openPage(browser, inspector, { allowOrigins: [captureBase] });
      await logIn(page, inspector);
      const bin = (await page.evaluate(async () =>
        (await fetch('/api/bins', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json(),
      )) as { id: string; url: string };
      expect(bin.url).toBe(`http://capture.localhost:1/h/${bin.id}`);
      // The same server under the capture name (a real deployment points the name at the server).
      expect((await page.goto(`${captureBase}/h/${bin.id}/from-browser`))?.status()).toBe(200);
      // Read what was stored from Node (the page is now on the capture host, where the inspector does not answer).
      const list = (await (await fetch(`${split.url}/api/bins/${bin.id}/requests`, { headers: bearer })).json()) as { requests: { id: string }[] };
      const stored = (await (await fetch(`${split.url}/api/bins/${bin.id}/requests/${list.requests[0]!.id}`, { headers: bearer })).json()) as {
        rawHeaders: [string, string][];
        redacted?: string[];
      };
      expect(stored.rawHeaders.map(([name]) => name.toLowerCase())).not.toContain('cookie');
      expect(stored.redacted).toBeUndefined();
      // And the inspector does not answer under the capture name.
      expect((await page.goto(`${captureBase}/`))?.status()).toBe(403);
      await context.close();
    } finally {
      await split.close();
    }
  });
});
