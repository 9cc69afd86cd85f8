// The inspector tells the truth when a Redis-backed server loses its store: "Storage
// unavailable" while captures get 503, then live again, with what was captured meanwhile.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openNewBin, screenshot } from '../helpers/browser.js';
import { eventually } from '../helpers/eventually.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { closeInOrder, startServer, type TestServer } from '../helpers/server.js';

let browser: Browser;
let redis: TestRedis;
let srv: TestServer;
beforeAll(async () => {
  browser = await launchBrowser();
  redis = await startRedis();
  srv = await startServer({ redisUrl: redis.url });
});
afterAll(() => closeInOrder(browser, srv, redis));

describe('Redis outage in the inspector', () => {
  it('shows "Storage unavailable", then reconnects by itself and shows what arrived after', async () => {
    const { bin, page, context } = await openNewBin(browser, srv.url);
    const connection = page.getByTestId('connection');

    await redis.stop('SIGKILL');
    await eventually(async () => (await connection.getAttribute('data-state')) === 'store-unavailable', 'the storage-unavailable state', 15_000);
    expect(await connection.textContent()).toMatch(/Storage unavailable/);
    expect((await fetch(bin.url, { method: 'POST', body: '{"during":"outage"}' })).status).toBe(503);
    await screenshot(page, 'storage-unavailable');

    await redis.restart();
    await eventually(async () => (await connection.getAttribute('data-state')) === 'connected', 'the page to reconnect', 30_000);
    expect((await fetch(`${bin.url}/after`, { method: 'POST', body: '{"after":"outage"}' })).status).toBe(200);
    await page.locator('[data-request-row] [data-path="/after"]').waitFor({ timeout: 5000 });
    await context.close();
  });
});
