import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openNewBin, rowPaths, useServerAndBrowser } from '../helpers/browser.js';
import { AS_JSON, capture } from '../helpers/capture.js';
import { eventually } from '../helpers/eventually.js';

const TOTAL = 1000;
/** A 800 px tall window shows about 12 rows; rows beyond view plus overscan must not exist. */
const MAX_ROWS = 40;

const suite = useServerAndBrowser();

async function sendMany(binId: string, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await capture(`${suite.srv.url}/h/${binId}/n${i}`, JSON.stringify({ i, job_id: `job-${i}` }), AS_JSON);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

function rowCount(page: Page): Promise<number> {
  return page.locator('[data-request-row]').count();
}

function shownCount(page: Page): Promise<string> {
  return page.locator('#request-filter-count').innerText();
}

async function scrollListTo(page: Page, where: 'bottom' | number): Promise<void> {
  await page.getByTestId('request-list').evaluate((el, to) => {
    el.scrollTop = to === 'bottom' ? el.scrollHeight : to;
  }, where);
}

describe('a bin with 1000 requests', () => {
  it('takes them live, renders only the visible rows, scrolls to the oldest and answers keys quickly', async () => {
    const { bin, page, errors, context } = await openNewBin(suite.browser, suite.srv.url, { name: 'busy' });
    await sendMany(bin.id, TOTAL);
    await eventually(async () => (await shownCount(page)) === `${TOTAL} shown`, 'all requests in the list', 15_000);
    expect(await rowCount(page)).toBeLessThanOrEqual(MAX_ROWS);
    expect(await rowCount(page)).toBeGreaterThan(5);
    // The list is as tall as 1000 rows, though only a few exist.
    const scrollHeight = await page.getByTestId('request-list').evaluate((el) => el.scrollHeight);
    expect(scrollHeight).toBeGreaterThan(TOTAL * 50);

    await scrollListTo(page, 'bottom');
    // The bottom shows the oldest requests (sent first; 16 at a time, so roughly in order).
    await eventually(async () => {
      const paths = await rowPaths(page);
      return paths.length > 0 && paths.every((p) => Number(p.slice(2)) < 60);
    }, 'the oldest rows');
    expect(await rowCount(page)).toBeLessThanOrEqual(MAX_ROWS);
    await scrollListTo(page, 500 * 56);
    await eventually(async () => (await rowPaths(page)).length > 0 && (await rowCount(page)) <= MAX_ROWS, 'rows in the middle');
    await scrollListTo(page, 0);

    // A key press is answered promptly with 1000 requests loaded.
    await page.keyboard.press('j');
    const start = Date.now();
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.locator('[data-request-row][data-cursor]').waitFor();
    const cursorIndex = await page.evaluate(() => {
      const rows = [...document.querySelectorAll('[data-request-row]')].sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
      return rows.findIndex((row) => row.hasAttribute('data-cursor'));
    });
    expect(cursorIndex).toBe(2);
    expect(Date.now() - start).toBeLessThan(500);
    // Moving far down with the keyboard scrolls the list and keeps the DOM small.
    for (let i = 0; i < 40; i++) await page.keyboard.press('j');
    expect(await page.getByTestId('request-list').evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    expect(await rowCount(page)).toBeLessThanOrEqual(MAX_ROWS);
    expect(errors).toEqual([]);

    // After a reload the first page comes over REST; scrolling down pages in the older ones.
    await page.reload();
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();
    // Pages of 200: one or two may have arrived already (the browser may restore the scroll
    // position), but not all of them.
    const partial = /^(\d+)\+ shown$/.exec(await shownCount(page));
    expect(partial, 'a partial list with more to load').not.toBeNull();
    expect(Number(partial![1]) % 200).toBe(0);
    expect(Number(partial![1])).toBeLessThan(TOTAL);
    await eventually(
      async () => {
        await scrollListTo(page, 'bottom');
        return (await shownCount(page)) === `${TOTAL} shown`;
      },
      'older pages to load while scrolling',
      15_000,
    );
    await scrollListTo(page, 'bottom');
    await page.getByText(`${TOTAL} requests, oldest shown`).waitFor();
    expect(await rowCount(page)).toBeLessThanOrEqual(MAX_ROWS);
    expect(new Set(await rowPaths(page)).size).toBe(await rowCount(page));
    expect(errors).toEqual([]);
    await context.close();
  });
});
