// The inspector's view is true: one verdict everywhere, evictions leave the live list, rows say
// what the sender was answered, the job / run status, masked secrets, and badges that never clip.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openBin, openNewBin, openPage, rowPaths, screenshot } from '../helpers/browser.js';
import { AS_JSON, capture, sendCapture } from '../helpers/capture.js';
import { KREA_EXAMPLE } from '../fixtures/payloads/krea-example.mjs';
import { eventually } from '../helpers/eventually.js';
import { closeInOrder, createBin, startServer, type TestServer } from '../helpers/server.js';

const FAILED_KREA = {
  job_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  status: 'failed',
  created_at: '2025-01-15T10:30:00.000Z',
  completed_at: '2025-01-15T10:33:00.000Z',
  result: { error: 'Content moderation: NSFW detected' },
};

let srv: TestServer;
let browser: Browser;
beforeAll(async () => {
  // A small request limit, so evictions happen after a handful of captures.
  srv = await startServer({ maxRequestsPerBin: 5 });
  browser = await launchBrowser();
});
afterAll(() => closeInOrder(browser, srv));

function rowVerdicts(page: Page, id: string): Promise<string[]> {
  return page.locator(`[data-request-row][data-id="${id}"] [data-verdict]`).evaluateAll((badges) => badges.map((b) => b.getAttribute('data-verdict')!));
}

function headerVerdicts(page: Page): Promise<string[]> {
  return page
    .getByTestId('request-detail')
    .locator('header [data-verdict]')
    .evaluateAll((badges) => badges.map((b) => b.getAttribute('data-verdict')!));
}

async function openRequest(page: Page, id: string): Promise<void> {
  await page.locator(`[data-request-row][data-id="${id}"]`).click();
  await page.waitForURL(`**/requests/${id}`);
  await page.getByTestId('checks').waitFor();
}

/** Whether any badge of a row is cut at the edge of the badge box, and what the "+N" says. */
function badgeFit(row: Locator): Promise<{ clipped: boolean; overflow: boolean; more: string | null; shown: number }> {
  return row.evaluate((el) => {
    const box = el.querySelector('[data-slot="badges"]')!;
    const right = box.getBoundingClientRect().right;
    const badges = [...box.children].map((b) => b.getBoundingClientRect());
    const more = box.querySelector('[data-testid="more-badges"]');
    return {
      clipped: badges.some((b) => b.right > right + 0.5),
      overflow: box.scrollWidth > box.clientWidth + 1,
      more: more?.textContent ?? null,
      shown: badges.length,
    };
  });
}

describe('the view is true', () => {
  it('row badge, detail header and Checks section give one verdict: a missing required token and malformed JSON are invalid everywhere', async () => {
    const { bin, page, errors, context } = await openNewBin(browser, srv.url, { name: 'verdicts', token: 'tok-1234567890', requireToken: true });
    // A valid Krea job, but without the token the bin requires (answered 401, recorded).
    const noToken = await sendCapture(`${bin.url}/krea`, JSON.stringify(KREA_EXAMPLE), AS_JSON);
    expect(noToken.status).toBe(401);
    const malformed = await sendCapture(`${bin.url}/broken?token=tok-1234567890`, '{"job_id": "x", "status": ', AS_JSON);
    const good = await sendCapture(
      `${bin.url}/good?token=tok-1234567890`,
      JSON.stringify({ ...KREA_EXAMPLE, job_id: '3c90c3cc-0d44-4b50-8888-8dd25736052a' }),
      AS_JSON,
    );
    await eventually(async () => (await rowPaths(page)).length === 3, 'three rows');

    await eventually(async () => (await rowVerdicts(page, noToken.id!))[0] === 'invalid', 'the no-token row to be invalid');
    expect(await rowVerdicts(page, malformed.id!)).toEqual(['invalid']);
    expect(await rowVerdicts(page, good.id!)).toEqual(['valid']);

    await openRequest(page, noToken.id!);
    expect(await headerVerdicts(page)).toEqual(['invalid']);
    const checks = page.getByTestId('checks');
    expect(await checks.locator('[data-verdict-level]').innerText()).toBe('Invalid Krea job: 1 error');
    expect(await checks.locator('li[data-code="token.missing"]').getAttribute('data-severity')).toBe('error');

    await openRequest(page, malformed.id!);
    expect(await headerVerdicts(page)).toEqual(['invalid']);
    expect(await checks.locator('[data-verdict-level]').innerText()).toBe('Problems found: 1 error');
    expect(await checks.locator('li[data-code="json.invalid"]').getAttribute('data-severity')).toBe('error');

    await openRequest(page, good.id!);
    expect(await headerVerdicts(page)).toEqual(['valid']);
    expect(await checks.locator('[data-verdict-level]').innerText()).toBe('Valid Krea job: no problems found');

    // The same malformed body as text/plain only looked like JSON: a warning, everywhere.
    const plain = await capture(`${bin.url}/plain?token=tok-1234567890`, '{"a": ', { headers: { 'content-type': 'text/plain' } });
    await eventually(async () => (await rowVerdicts(page, plain)).join() === 'warnings', 'the text/plain row to warn');
    await openRequest(page, plain);
    expect(await headerVerdicts(page)).toEqual(['warnings']);
    expect(await checks.locator('[data-verdict-level]').innerText()).toBe('No errors, 1 warning');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('rows show the answered status, the job status, masked secrets, and collapse what does not fit into +N', async () => {
    const bin = await createBin(srv.url, {
      name: 'rows',
      token: 'tok-abcdefghijkl',
      signingSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      responses: { default: { status: 503 } },
    });
    const { page, errors, context } = await openPage(browser, srv.url, { viewport: { width: 1280, height: 800 } });
    await openBin(page, srv.url, bin.id);
    // Sent twice, unsigned to a bin with a signing secret: a row with many badges.
    await sendCapture(`${bin.url}/jobs?token=tok-abcdefghijkl&attempt=1`, JSON.stringify(FAILED_KREA), AS_JSON);
    const failed = await sendCapture(`${bin.url}/jobs?token=tok-abcdefghijkl&attempt=2`, JSON.stringify(FAILED_KREA), AS_JSON);
    expect(failed.status).toBe(503);
    const row = page.locator(`[data-request-row][data-id="${failed.id}"]`);
    await row.waitFor();
    await eventually(async () => (await row.locator('[data-badge="answered"]').count()) === 1, 'the answered badge');
    expect(await row.locator('[data-badge="answered"]').innerText()).toBe('→ 503');
    expect(await row.locator('[data-badge="payload-status"]').innerText()).toBe('failed');
    expect(await row.locator('[data-badge="payload-status"]').getAttribute('data-tone')).toBe('danger');
    // The secret never shows in the list, the other parameters do.
    expect(await row.locator('[data-path]').innerText()).toBe('/jobs?token=••••&attempt=2');
    expect(await row.locator('[data-path]').getAttribute('title')).toBe('/jobs?token=••••&attempt=2');
    expect(await row.innerText()).not.toContain('tok-abcdefghijkl');
    // Six badges do not fit beside the path even here: what does not fit is "+N", nothing is cut.
    expect(await badgeFit(row)).toMatchObject({ clipped: false, overflow: false, more: expect.stringMatching(/^\+\d$/) });
    expect(await row.locator('[data-testid="more-badges"]').getAttribute('title')).toMatch(/duplicate|unsigned/);
    await screenshot(page, 'truth-row-wide');

    // On a phone the same row has no room for every badge: the last ones become "+N", none is cut.
    await page.setViewportSize({ width: 360, height: 740 });
    await eventually(async () => (await badgeFit(row)).more !== null, 'a +N');
    const fit = await badgeFit(row);
    expect(fit.clipped).toBe(false);
    expect(fit.overflow).toBe(false);
    expect(fit.more).toMatch(/^\+\d+$/);
    // The verdict comes first, so it is the one that stays.
    expect(await rowVerdicts(page, failed.id!)).toEqual(['invalid']);
    await screenshot(page, 'truth-row-phone');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('evicted requests leave the live list, and the page says the bin is at its limit', async () => {
    const { bin, page, errors, context } = await openNewBin(browser, srv.url, { name: 'evictions' });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(await capture(`${bin.url}/n${i}`, `{"n":${i}}`, AS_JSON));
    await eventually(async () => (await rowPaths(page)).length === 4, 'four rows');
    expect(await page.getByTestId('bin-at-limit').count()).toBe(0);
    for (let i = 4; i < 8; i++) ids.push(await capture(`${bin.url}/n${i}`, `{"n":${i}}`, AS_JSON));
    // The limit is 5: n0..n2 were evicted and must leave the list, live.
    await eventually(async () => (await rowPaths(page)).join() === '/n7,/n6,/n5,/n4,/n3', 'the evicted rows to go');
    expect(await page.getByTestId('bin-at-limit').innerText()).toContain('keeps 5 requests');
    expect(await page.getByTestId('request-list').innerText()).toContain('5 requests');

    // A fresh page knows it from the bin at once.
    await openBin(page, srv.url, bin.id);
    await page.getByTestId('bin-at-limit').waitFor();
    expect(await rowPaths(page)).toEqual(['/n7', '/n6', '/n5', '/n4', '/n3']);
    expect(errors).toEqual([]);
    await context.close();
  });
});
