import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openBin, openPage, rowPaths, useServerAndBrowser } from '../helpers/browser.js';
import { AS_JSON, capture, JSON_HEADERS } from '../helpers/capture.js';
import { eventually } from '../helpers/eventually.js';
import { createBin, getJson } from '../helpers/server.js';

const suite = useServerAndBrowser();

async function storedIds(binId: string): Promise<string[]> {
  return (await getJson<{ requests: { id: string }[] }>(`${suite.srv.url}/api/bins/${binId}/requests`)).body.requests.map((r) => r.id);
}

function cursorPath(page: Page): Promise<string | null> {
  return page.locator('[data-request-row][data-cursor] [data-path]').getAttribute('data-path');
}

describe('request list', () => {
  it('moves with j/k, opens with Enter, closes with Esc, focuses the filter with / and shows help with ?', async () => {
    const bin = await createBin(suite.srv.url);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await capture(`${bin.url}/r${i}`, JSON.stringify({ i }), AS_JSON));
    const { page, errors, context } = await openPage(suite.browser, suite.srv.url);
    await openBin(page, suite.srv.url, bin.id);
    expect(await rowPaths(page)).toEqual(['/r4', '/r3', '/r2', '/r1', '/r0']);

    await page.keyboard.press('j');
    expect(await cursorPath(page)).toBe('/r4');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    expect(await cursorPath(page)).toBe('/r2');
    await page.keyboard.press('k');
    expect(await cursorPath(page)).toBe('/r3');
    // The cursor row holds the focus, so Tab order and screen readers follow it.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-id'))).toBe(ids[3]);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/bins/${bin.id}/requests/${ids[3]}`);
    expect(await page.getByTestId('request-detail').getByRole('heading', { level: 2 }).innerText()).toContain('/r3');
    // j/k keep working from the detail view.
    await page.keyboard.press('j');
    await page.keyboard.press('o');
    await page.waitForURL(`**/requests/${ids[2]}`);
    await page.keyboard.press('Escape');
    await page.waitForURL(`**/bins/${bin.id}`);
    // Back restores the request view (History API routing).
    await page.goBack();
    await page.waitForURL(`**/requests/${ids[2]}`);
    expect(await page.getByTestId('request-detail').getByRole('heading', { level: 2 }).innerText()).toContain('/r2');

    await page.locator('body').focus();
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('request-filter');
    // Typing j in the filter types, not moves.
    await page.keyboard.type('j');
    expect(await page.locator('#request-filter').inputValue()).toBe('j');
    await page.locator('#request-filter').fill('');
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.activeElement?.id)).not.toBe('request-filter');
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.innerText()).toContain('method:POST');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('filters on the server for stored requests and in the page for live ones', async () => {
    const bin = await createBin(suite.srv.url, { token: 'tok' });
    await capture(`${bin.url}/krea?token=tok`, JSON.stringify({ job_id: 'job-a', status: 'completed' }), AS_JSON);
    await capture(`${bin.url}/other?token=bad`, JSON.stringify({ status: 'failed' }), { method: 'PUT', headers: JSON_HEADERS });
    await capture(`${bin.url}/ping`, undefined, { method: 'GET' });
    const { page, errors, context } = await openPage(suite.browser, suite.srv.url);
    await openBin(page, suite.srv.url, bin.id);
    expect(await rowPaths(page)).toHaveLength(3);
    const filter = page.getByLabel('Filter requests');

    await filter.fill('method:put');
    await eventually(async () => (await rowPaths(page)).length === 1, 'the method filter');
    expect(await rowPaths(page)).toEqual(['/other?token=bad']);
    await filter.fill('"status":"completed"');
    await eventually(async () => (await rowPaths(page)).join() === '/krea?token=tok', 'the body text filter');
    await filter.fill('token:invalid');
    await eventually(async () => (await rowPaths(page)).join() === '/other?token=bad', 'the token filter');
    await filter.fill('nothing-matches-this');
    await page.getByText('No request matches this filter.').waitFor();

    // Live arrivals are filtered in the page, with the same syntax.
    await filter.fill('method:post job_id');
    await eventually(async () => (await rowPaths(page)).join() === '/krea?token=tok', 'the combined filter');
    await capture(`${bin.url}/live-match`, JSON.stringify({ job_id: 'job-b' }), AS_JSON);
    await capture(`${bin.url}/live-other`, JSON.stringify({ run_id: 'run-1' }), AS_JSON);
    await capture(`${bin.url}/live-put`, JSON.stringify({ job_id: 'job-c' }), { method: 'PUT', headers: JSON_HEADERS });
    await eventually(async () => (await rowPaths(page)).length === 2, 'the live match');
    await page.waitForTimeout(200);
    expect(await rowPaths(page)).toEqual(['/live-match', '/krea?token=tok']);
    expect(await page.locator('#request-filter-count').innerText()).toBe('2 matching');

    // The export holds what the list shows: the link carries the filter.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'HAR' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^hookscope-.*\.har$/);
    const har = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(har.log.entries.map((e: { request: { url: string } }) => new URL(e.request.url).pathname)).toEqual([`/h/${bin.id}/krea`, `/h/${bin.id}/live-match`]);

    await filter.fill('');
    await eventually(async () => (await rowPaths(page)).length === 6, 'everything back');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('deletes one request (button and Delete key) and clears all after confirmation, in every open page', async () => {
    const bin = await createBin(suite.srv.url);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await capture(`${bin.url}/d${i}`, JSON.stringify({ i }), AS_JSON));
    const a = await openPage(suite.browser, suite.srv.url);
    const b = await openPage(suite.browser, suite.srv.url);
    await openBin(a.page, suite.srv.url, bin.id, ids[1]);
    await openBin(b.page, suite.srv.url, bin.id);

    // Delete from the detail view: the next row opens, the other page drops it live.
    await a.page.getByTestId('request-detail').getByRole('button', { name: 'Delete' }).click();
    await a.page.waitForURL(`**/requests/${ids[0]}`);
    expect(await rowPaths(a.page)).toEqual(['/d3', '/d2', '/d0']);
    await eventually(async () => (await rowPaths(b.page)).length === 3, 'the deletion in the other page');
    expect(await storedIds(bin.id)).toEqual([ids[3], ids[2], ids[0]]);
    expect((await getJson(`${suite.srv.url}/api/bins/${bin.id}/requests/${ids[1]}`)).status).toBe(404);

    // Delete with the keyboard: the highlighted row goes.
    await b.page.keyboard.press('j');
    expect(await cursorPath(b.page)).toBe('/d3');
    await b.page.keyboard.press('Delete');
    await eventually(async () => (await rowPaths(b.page)).length === 2, 'the keyboard deletion');
    // A delete reaches the server once its Undo offer is over (a few seconds).
    await eventually(async () => (await storedIds(bin.id)).join() === [ids[2], ids[0]].join(), 'the deletion on the server after the undo window');
    expect(await storedIds(bin.id)).toEqual([ids[2], ids[0]]);
    await eventually(async () => (await rowPaths(a.page)).join() === '/d2,/d0', 'the keyboard deletion in the other page');

    // Clear asks first; cancelling keeps everything.
    await b.page.getByRole('button', { name: 'Clear…' }).click();
    await b.page.getByRole('button', { name: 'Cancel' }).click();
    expect(await storedIds(bin.id)).toHaveLength(2);
    await b.page.getByRole('button', { name: 'Clear…' }).click();
    await b.page.getByRole('button', { name: 'Clear all' }).click();
    await b.page.getByRole('heading', { name: 'Waiting for the first request' }).waitFor({ timeout: 2000 });
    expect(await storedIds(bin.id)).toEqual([]);
    await a.page.getByRole('heading', { name: 'Waiting for the first request' }).waitFor({ timeout: 2000 });
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    await a.context.close();
    await b.context.close();
  });

  it('marks live arrivals unread until opened, and counts them in the title', async () => {
    const bin = await createBin(suite.srv.url, { name: 'unread' });
    await capture(`${bin.url}/old`);
    const { page, errors, context } = await openPage(suite.browser, suite.srv.url);
    await openBin(page, suite.srv.url, bin.id);
    expect(await page.locator('[data-request-row] [data-unread]').count()).toBe(0);
    const first = await capture(`${bin.url}/new-1`);
    await capture(`${bin.url}/new-2`);
    await eventually(async () => (await page.locator('[data-request-row] [data-unread]').count()) === 2, 'two unread');
    await eventually(async () => (await page.title()).startsWith('(2) unread'), 'the title count');
    await page.locator(`[data-request-row][data-id="${first}"]`).click();
    await eventually(async () => (await page.locator('[data-request-row] [data-unread]').count()) === 1, 'one unread');
    // The open request does not turn unread, newer ones do.
    await capture(`${bin.url}/new-3`);
    await eventually(async () => (await page.locator('[data-request-row] [data-unread]').count()) === 2, 'the newest unread');
    // The title is set by an effect after the row renders, so it is awaited too.
    await eventually(async () => (await page.title()).startsWith('(2) unread'), 'the title counts the newest');
    expect(errors).toEqual([]);
    await context.close();
  });
});
