// Interaction: a request opens at its top, a cleared filter shows the list's top, delete offers
// Undo, Clear says how many; logging out in one tab sends the others to login; nothing with a
// payload is cached; Copy as curl on a protected server never sends a 401 as the body.
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bin } from '../../shared/api-types.js';
import { launchBrowser, openBin, openPage, rowPaths } from '../helpers/browser.js';
import { AS_JSON, capture } from '../helpers/capture.js';
import { eventually } from '../helpers/eventually.js';
import { createBin, getJson, makeTempDir, startServer, type TestServer } from '../helpers/server.js';

const TOKEN = 'interaction-access-token-0123456789';
let browser: Browser;
let open: TestServer;
let guarded: TestServer;
/** Where the curl commands run (they may save the body there). */
let workDir: string;
beforeAll(async () => {
  workDir = await makeTempDir('hookscope-curl-');
  browser = await launchBrowser();
  [open, guarded] = await Promise.all([startServer(), startServer({ accessToken: TOKEN })]);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([open?.close(), guarded?.close()]);
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const AUTH = { authorization: `Bearer ${TOKEN}` };

async function guardedBin(): Promise<Bin> {
  const res = await fetch(`${guarded.url}/api/bins`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body: '{}' });
  return (await res.json()) as Bin;
}

async function logIn(page: Page): Promise<void> {
  await page.goto(`${guarded.url}/login?token=${TOKEN}`);
  await page.waitForURL(`${guarded.url}/`);
}

function storedIds(srv: TestServer, binId: string): Promise<string[]> {
  return getJson<{ requests: { id: string }[] }>(`${srv.url}/api/bins/${binId}/requests`).then(({ body }) => body.requests.map((r) => r.id));
}

function run(command: string, env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', command], { timeout: 20_000, cwd: workDir, env: { PATH: process.env.PATH ?? '', ...env } }, (error, _stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr }),
    );
  });
}

const scrollTopOf = (page: Page, selector: string) => page.locator(selector).evaluate((el) => el.scrollTop);

describe('interaction', () => {
  it('opening a request shows its top; clearing the filter shows the top of the list', async () => {
    const bin = await createBin(open.url);
    const long = { lines: Array.from({ length: 400 }, (_, i) => `line ${i}`) };
    for (let i = 0; i < 40; i++) await capture(`${bin.url}/r${i}`, JSON.stringify(long), AS_JSON);
    const { page, errors, context } = await openPage(browser, open.url, { viewport: { width: 1280, height: 700 } });
    await openBin(page, open.url, bin.id);
    await eventually(async () => (await rowPaths(page)).length > 5, 'rows');
    await page.locator('[data-request-row]').first().click();
    await page.getByTestId('request-detail').getByRole('button', { name: 'Delete' }).waitFor();
    const pane = 'section[aria-label="Request detail"]';
    await page.locator(pane).evaluate((el) => el.scrollTo(0, 3000));
    expect(await scrollTopOf(page, pane)).toBeGreaterThan(1000);
    await page.locator('[data-request-row]').nth(2).click();
    await page.getByTestId('request-detail').getByRole('heading', { name: /\/r37/ }).waitFor();
    expect(await scrollTopOf(page, pane)).toBe(0);
    expect(await page.getByTestId('request-detail').getByRole('button', { name: 'Delete' }).isVisible()).toBe(true);

    const list = '[data-testid="request-list"]';
    await page.locator(list).evaluate((el) => el.scrollTo(0, 1200));
    expect(await scrollTopOf(page, list)).toBeGreaterThan(1000);
    await page.getByPlaceholder(/Filter/).fill('method:post');
    await eventually(async () => (await scrollTopOf(page, list)) === 0, 'the list at its top after filtering');
    await page.locator(list).evaluate((el) => el.scrollTo(0, 1200));
    await page.getByPlaceholder(/Filter/).fill('');
    await eventually(async () => (await scrollTopOf(page, list)) === 0, 'the list at its top after clearing the filter');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('delete offers Undo for a few seconds (button and key); Clear confirms with the count', async () => {
    const bin = await createBin(open.url);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await capture(`${bin.url}/u${i}`, `{"i":${i}}`, AS_JSON));
    const { page, errors, context } = await openPage(browser, open.url);
    await openBin(page, open.url, bin.id, ids[1]);
    await page.getByTestId('request-detail').getByRole('button', { name: 'Delete' }).click();
    const toast = page.getByTestId('undo-delete');
    await toast.waitFor();
    expect(await toast.innerText()).toContain('POST /u1');
    expect(await rowPaths(page)).toEqual(['/u2', '/u0']);
    await toast.getByRole('button', { name: 'Undo' }).click();
    await eventually(async () => (await rowPaths(page)).join() === '/u2,/u1,/u0', 'the row back');
    // Past the undo window it is still stored.
    await new Promise((resolve) => setTimeout(resolve, 5500));
    expect(await storedIds(open, bin.id)).toEqual([ids[2], ids[1], ids[0]]);

    // With the key, not undone: gone from the server once the offer is over.
    await page.locator(`[data-request-row][data-id="${ids[0]}"]`).focus();
    await page.keyboard.press('j');
    await page.keyboard.press('Delete');
    await toast.waitFor();
    await eventually(async () => (await rowPaths(page)).length === 2, 'the row to go');
    await eventually(async () => (await storedIds(open, bin.id)).length === 2, 'the delete on the server');
    await toast.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Clear…' }).click();
    expect(await page.getByText('Delete all 2 requests?').count()).toBe(1);
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('logging out in another tab sends this tab to the login page; nothing with a payload is cached', async () => {
    const bin = await guardedBin();
    await capture(`${bin.url}/secret-path`, '{"secret":"payload"}', AS_JSON);
    const first = await openPage(browser, guarded.url);
    await logIn(first.page);
    const second = await first.context.newPage();
    await openBin(second, guarded.url, bin.id);
    await eventually(async () => (await rowPaths(second)).length === 1, 'the row');

    const pageAnswer = await second.request.get(`${guarded.url}/bins/${bin.id}`);
    expect(pageAnswer.headers()['cache-control']).toBe('no-store');
    for (const path of [`/api/bins/${bin.id}`, `/api/bins/${bin.id}/requests`, `/api/bins`]) {
      const res = await fetch(`${guarded.url}${path}`, { headers: AUTH });
      expect(res.headers.get('cache-control'), path).toMatch(/no-store/);
    }
    expect((await fetch(`${guarded.url}/api/bins`)).headers.get('cache-control')).toMatch(/no-store/);

    await first.page.getByRole('button', { name: 'Log out' }).click();
    await first.page.waitForURL(`${guarded.url}/login`);
    // The other tab: at the login form within seconds, not "Live", no raw API advice.
    await second.getByLabel('Access token').waitFor({ timeout: 5000 });
    const text = await second.locator('body').innerText();
    expect(text).not.toContain('Authorization: Bearer');
    expect(text).not.toContain('secret-path');
    expect(await second.getByTestId('connection').count()).toBe(0);
    await first.context.close();
  });

  it('Copy as curl on a protected server fetches a large body only with the token, and never sends an error as the body', async () => {
    const bin = await guardedBin();
    const body = JSON.stringify({ data: 'y'.repeat(100 * 1024) });
    const id = await capture(`${bin.url}/big`, body, AS_JSON);
    const { page, context } = await openPage(browser, guarded.url);
    await logIn(page);
    await openBin(page, guarded.url, bin.id, id);
    const detail = page.getByTestId('request-detail');
    await detail.getByRole('button', { name: 'Copy as curl' }).click();
    await detail.getByRole('button', { name: 'Copied ✓' }).waitFor();
    const command = await page.evaluate(() => navigator.clipboard.readText());
    await context.close();
    expect(command).toContain('set HOOKSCOPE_TOKEN');
    expect(command).toContain('Authorization: Bearer $HOOKSCOPE_TOKEN');
    expect(command).not.toContain(TOKEN);

    // Without the token: the download fails, and nothing is sent.
    const without = await run(command);
    expect(without.code).not.toBe(0);
    expect((await fetch(`${guarded.url}/api/bins/${bin.id}/requests`, { headers: AUTH }).then((r) => r.json())).requests).toHaveLength(1);
    // With it: the exact bytes again.
    const withToken = await run(command, { HOOKSCOPE_TOKEN: TOKEN });
    expect(withToken.code, withToken.stderr).toBe(0);
    const { requests } = (await fetch(`${guarded.url}/api/bins/${bin.id}/requests`, { headers: AUTH }).then((r) => r.json())) as { requests: { id: string }[] };
    expect(requests).toHaveLength(2);
    const resent = await fetch(`${guarded.url}/api/bins/${bin.id}/requests/${requests[0]!.id}/body`, { headers: AUTH }).then((r) => r.text());
    expect(resent).toBe(body);
  });
});
