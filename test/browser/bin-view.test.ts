// The bin view shows what the server knows, once: secrets masked in the detail header.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openBin, openPage } from '../helpers/browser.js';
import { AS_JSON, capture } from '../helpers/capture.js';
import { createBin, startServer, type TestServer } from '../helpers/server.js';

/** The server's clock runs `skew` ms ahead of the real one: a deadline passes when a test moves it, not by waiting. */
let skew = 0;
let srv: TestServer;
let browser: Browser;
beforeAll(async () => {
  srv = await startServer({}, { now: () => Date.now() + skew });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

describe('detail header', () => {
  it('masks query secrets as the rows do; Copy as curl keeps the real URL to send again', async () => {
    const bin = await createBin(srv.url);
    const id = await capture(`${bin.url}/jobs?token=s3cret&attempt=2`, '{}', AS_JSON);
    const { page, errors, context } = await openPage(browser, srv.url);
    await openBin(page, srv.url, bin.id, id);
    const detail = page.getByTestId('request-detail');
    const header = detail.locator('header');
    await header.getByTestId('detail-path').waitFor();
    expect(await header.getByTestId('detail-path').innerText()).toBe('/jobs?token=••••&attempt=2');
    expect(await header.innerText()).not.toContain('s3cret');
    expect(await header.evaluate((el) => el.outerHTML)).not.toContain('s3cret'); // nor in a title or attribute
    await detail.getByRole('button', { name: 'Copy as curl' }).click();
    await detail.getByRole('button', { name: 'Copied ✓' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(`${bin.url}/jobs?token=s3cret&attempt=2`);
    expect(errors).toEqual([]);
    await context.close();
  });
});
