import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openBin, openNewBin, openPage, rowPaths, screenshot } from '../helpers/browser.js';
import { AS_JSON, sendCapture } from '../helpers/capture.js';
import { eventually } from '../helpers/eventually.js';
import { closeInOrder, createBin, startServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => closeInOrder(browser, srv));

describe('live connection', () => {
  it('says it is reconnecting while the server is down, then reconnects on its own and shows what was sent meanwhile', async () => {
    srv = await startServer();
    const { dataDir } = srv;
    const port = Number(new URL(srv.url).port);
    const { bin, page, errors, context } = await openNewBin(browser, srv.url, { name: 'restart' });
    await page.evaluate(() => ((window as unknown as { __samePage: boolean }).__samePage = true));
    await sendCapture(`${srv.url}/h/${bin.id}/before`, JSON.stringify({ path: '/before' }), AS_JSON);
    await eventually(async () => (await rowPaths(page)).includes('/before'), 'the first request');

    await srv.stop();
    const indicator = page.getByTestId('connection');
    await eventually(async () => (await indicator.getAttribute('data-state')) === 'reconnecting', 'the indicator to say reconnecting');
    expect(await indicator.innerText()).toMatch(/Reconnecting \(attempt \d+\)/);
    await screenshot(page, 'bin-reconnecting');
    // Let the back-off grow, and restart just after a failed attempt, when the next one is a
    // second or more away: the requests below then land before the page is back.
    await eventually(
      async () => {
        const text = await indicator.innerText();
        const attempt = Number(/attempt (\d+)/.exec(text)?.[1] ?? 0);
        const wait = Number(/next try in (\d+) s/.exec(text)?.[1] ?? 0);
        return attempt >= 4 && wait >= 2;
      },
      'a retry two or more seconds away',
      20_000,
    );

    srv = await startServer({ dataDir, port });
    expect(srv.url).toContain(`:${port}`);
    for (const path of ['/while-1', '/while-2', '/while-3'])
      expect((await sendCapture(`${srv.url}/h/${bin.id}${path}`, JSON.stringify({ path }), AS_JSON)).status).toBe(200);
    expect(await indicator.getAttribute('data-state')).toBe('reconnecting');

    await eventually(async () => (await indicator.getAttribute('data-state')) === 'connected', 'the page to reconnect', 20_000);
    await eventually(async () => (await rowPaths(page)).length === 4, 'the missed requests');
    expect(await rowPaths(page)).toEqual(['/while-3', '/while-2', '/while-1', '/before']);
    // Missed ones arrived while nobody looked at them: unread.
    expect(await page.locator('[data-request-row] [data-unread]').count()).toBe(4);
    // No reload happened: the page is the same document.
    expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);

    // And live again: a new request arrives without delay.
    await sendCapture(`${srv.url}/h/${bin.id}/after`, JSON.stringify({ path: '/after' }), AS_JSON);
    await eventually(async () => (await rowPaths(page))[0] === '/after', 'a live request after the reconnect');
    expect(new Set(await rowPaths(page)).size).toBe(5);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('goes offline with the browser and catches up when it is back online', async () => {
    srv ??= await startServer();
    const { bin, page, errors, context } = await openNewBin(browser, srv.url, { name: 'offline' });
    const indicator = page.getByTestId('connection');
    await context.setOffline(true);
    await eventually(async () => (await indicator.getAttribute('data-state')) === 'offline', 'the offline state');
    expect(await indicator.innerText()).toMatch(/Offline \(attempt \d+\)/);
    await sendCapture(`${srv.url}/h/${bin.id}/while-offline`, JSON.stringify({ path: '/while-offline' }), AS_JSON);
    await context.setOffline(false);
    // The online event retries at once instead of waiting for the back-off.
    await eventually(async () => (await indicator.getAttribute('data-state')) === 'connected', 'the page to reconnect when online');
    await eventually(async () => (await rowPaths(page)).includes('/while-offline'), 'the request sent while offline');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('replaces a socket that silently stopped delivering, once the tab is looked at again', async () => {
    srv ??= await startServer();
    const bin = await createBin(srv.url, { name: 'stalled' });
    const { page, errors, context } = await openPage(browser, srv.url);
    // A half-open connection, as after a laptop sleeps: the socket stays "open" but nothing
    // arrives. Simulated by swallowing the messages of the sockets open at freeze time.
    await page.addInitScript(() => {
      const Native = window.WebSocket;
      const open: Set<WebSocket> = new Set();
      const frozen = new WeakSet<WebSocket>();
      class Freezable extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          open.add(this);
          this.addEventListener('message', (event) => {
            if (frozen.has(this)) event.stopImmediatePropagation();
          });
        }
      }
      window.WebSocket = Freezable;
      (window as unknown as { __freeze: () => void }).__freeze = () => open.forEach((ws) => frozen.add(ws));
    });
    await openBin(page, srv.url, bin.id);
    await page.evaluate(() => (window as unknown as { __freeze: () => void }).__freeze());
    await sendCapture(`${srv.url}/h/${bin.id}/during-stall`, JSON.stringify({ path: '/during-stall' }), AS_JSON);
    await page.waitForTimeout(500);
    expect(await rowPaths(page)).toEqual([]);
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await eventually(async () => (await rowPaths(page)).includes('/during-stall'), 'the stalled request after the check');
    expect(await page.getByTestId('connection').getAttribute('data-state')).toBe('connected');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('tells a deleted bin apart from a server that is down', async () => {
    srv ??= await startServer();
    const { bin, page, errors, context } = await openNewBin(browser, srv.url, { name: 'short-lived' });
    expect((await fetch(`${srv.url}/api/bins/${bin.id}`, { method: 'DELETE' })).status).toBe(204);
    await eventually(async () => (await page.getByTestId('connection').getAttribute('data-state')) === 'gone', 'the bin-deleted state');
    expect(await page.getByRole('alert').innerText()).toContain('This bin was deleted');
    expect(errors).toEqual([]);
    await context.close();
  });
});
