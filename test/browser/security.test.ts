// Issue 8 in a real browser: logging in and out, and hostile captured bodies opened from the
// body endpoint, which must run nothing and cannot reach the session cookie.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot } from '../helpers/browser.js';
import { closeInOrder, startServer, type TestServer } from '../helpers/server.js';

const TOKEN = 'browser-access-token-0123456789';
let browser: Browser;
let srv: TestServer;
beforeAll(async () => {
  browser = await launchBrowser();
  srv = await startServer({ accessToken: TOKEN });
});
afterAll(() => closeInOrder(browser, srv));

async function logIn(page: import('playwright-core').Page): Promise<void> {
  await page.goto(srv.url);
  await page.getByLabel('Access token').fill(TOKEN);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${srv.url}/`);
}

describe('login', () => {
  it('shows the login page, refuses a wrong token, logs in and out', async () => {
    const { page, context, errors } = await openPage(browser, srv.url);
    const response = await page.goto(srv.url);
    expect(response?.status()).toBe(401);
    await page.getByLabel('Access token').fill('wrong-token');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/not right/);
    await screenshot(page, 'login');
    await logIn(page);
    // The inspector itself, and its API calls, work with the session cookie.
    await page
      .getByRole('button', { name: /create/i })
      .first()
      .waitFor();
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'hookscope_session')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const api = await page.evaluate(async () => (await fetch('/api/bins')).status);
    expect(api).toBe(200);
    // The inspector's "Log out" button (a plain form post) ends the session.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${srv.url}/login`);
    await page.getByLabel('Access token').waitFor();
    expect(await page.evaluate(async () => (await fetch('/api/bins')).status)).toBe(401);
    expect(errors.filter((e) => !/401/.test(e))).toEqual([]);
    await context.close();
  });
});

describe('hostile bodies from the body endpoint', () => {
  const payloads = {
    html: {
      type: 'text/html',
      body: '<script>window.ran = true; document.title = document.cookie || "no-cookie"; fetch("/api/bins").then(r => { window.apiStatus = r.status })</script><img src=x onerror="window.ran = true">',
    },
    svg: {
      type: 'image/svg+xml',
      body: '<svg xmlns="http://www.w3.org/2000/svg" onload="window.ran = true"><script>window.ran = true; alert(document.cookie)</script></svg>',
    },
  };

  for (const [name, { type, body }] of Object.entries(payloads)) {
    it(`${name}: runs nothing and cannot read the session cookie`, async () => {
      const { page, context, dialogs } = await openPage(browser, srv.url);
      await logIn(page);
      const bin = await page.evaluate(
        async () =>
          (await (await fetch('/api/bins', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as {
            id: string;
            url: string;
          },
      );
      const captured = await fetch(bin.url, { method: 'POST', body, headers: { 'content-type': type } });
      const { id } = (await captured.json()) as { id: string };
      const response = await page.goto(`${srv.url}/api/bins/${bin.id}/requests/${id}/body`);
      expect(response?.headers()['content-security-policy']).toMatch(/sandbox/);
      expect(response?.headers()['x-content-type-options']).toBe('nosniff');
      await page.waitForTimeout(300);
      const state = await page.evaluate(() => ({ ran: (window as { ran?: boolean }).ran ?? false, title: document.title }));
      expect(state.ran).toBe(false);
      expect(state.title).not.toMatch(/hookscope_session/);
      expect(dialogs).toEqual([]);
      await context.close();
    });
  }
});

describe('storage warning', () => {
  it('shows when --max-data-size made the oldest requests go', async () => {
    const small = await startServer({ maxDataSize: 20_000 });
    try {
      const bin = (await (await fetch(`${small.url}/api/bins`, { method: 'POST' })).json()) as { url: string };
      for (let i = 0; i < 8; i++) await fetch(bin.url, { method: 'POST', body: 'x'.repeat(5000) });
      await small.server.retention.runOnce();
      const { page, context } = await openPage(browser, small.url);
      await page.goto(small.url);
      const banner = page.getByTestId('storage-warning');
      await banner.waitFor();
      expect(await banner.textContent()).toMatch(/--max-data-size/);
      expect(await page.getByRole('button', { name: 'Log out' }).count()).toBe(0); // no token here
      await context.close();
    } finally {
      await small.close();
    }
  });
});
