// The bin view shows what the server knows, once: expected ids pending / arrived / overdue, live;
// the LangGraph timeline with the checks' own durations; secrets masked in the detail header.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openBin, openPage, screenshot } from '../helpers/browser.js';
import { AS_JSON, capture } from '../helpers/capture.js';
import { eventually } from '../helpers/eventually.js';
import { createBin, getJson, startServer, type TestServer } from '../helpers/server.js';
import { kreaJob } from '../helpers/webhook-bodies.js';

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

const RUN = {
  run_id: '1ef6a5b8-4457-6db0-8b15-cffd3797fa04',
  thread_id: '9dde5490-2b67-47c8-aa14-4bfec88af217',
  assistant_id: 'agent',
  status: 'success',
  metadata: {},
  kwargs: {},
  values: { messages: [] },
};

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

describe('LangGraph run timeline', () => {
  /**
   * Captures `run` in a new bin and opens it: the checks' timing (from the API) and each step of
   * the timeline as shown, with its mark and the duration it shows (data-duration, in ms).
   */
  async function timelineOf(run: object) {
    const bin = await createBin(srv.url);
    const id = await capture(`${bin.url}/langgraph`, JSON.stringify(run), AS_JSON);
    const timing = (await getJson(`${srv.url}/api/bins/${bin.id}/requests/${id}`)).body.checks.timing;
    const opened = await openPage(browser, srv.url);
    await openBin(opened.page, srv.url, bin.id, id);
    await opened.page.getByTestId('run-timeline').waitFor();
    const shown = await opened.page
      .getByTestId('run-timeline')
      .locator('li')
      .evaluateAll((items) =>
        items.map((li) => ({
          step: li.getAttribute('data-step'),
          mark: li.getAttribute('data-mark'),
          ms: li.querySelector('[data-duration]')?.getAttribute('data-duration') ?? null,
          text: (li as HTMLElement).innerText,
        })),
      );
    return { ...opened, timing, shown };
  }

  it('shows the durations the checks computed, to the microsecond they read', async () => {
    const sent = new Date(Date.now() + skew - 2000).toISOString();
    const run = {
      ...RUN,
      // 57.27 ms queued: the checks read microseconds (57 ms); Date.parse would have read 58.
      created_at: '2024-08-30T23:07:38.242730+00:00',
      run_started_at: '2024-08-30T23:07:38.300000+00:00',
      run_ended_at: '2024-08-30T23:07:50.300000+00:00',
      webhook_sent_at: sent,
    };
    // The run ended in 2024 and its webhook went out now: a long send delay, which the checks report as such.
    const { page, errors, context, timing, shown } = await timelineOf(run);
    expect(timing).toMatchObject({ queuedMs: 57, ranMs: 12_000 });
    expect(shown.map((s) => [s.step, s.mark, s.ms])).toEqual([
      ['created', null, null],
      ['started', null, '57'],
      ['ended', null, '12000'],
      ['sent', null, String(timing.sendDelayMs)],
      ['received', null, String(timing.deliveryMs)],
    ]);
    expect(shown[1]!.text).toContain('+57 ms');
    expect(shown[2]!.text).toContain('+12 s');
    expect(shown[4]!.text).toMatch(/\+\d/);
    expect(await page.getByTestId('timeline-untimed').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('marks a missing step and one out of order, with no duration across the gap', async () => {
    const run = {
      ...RUN,
      status: 'error',
      error: 'boom',
      created_at: '2024-08-30T23:07:38.000000+00:00',
      // run_started_at left out (a server with webhooks.allowed_fields)
      run_ended_at: '2024-08-30T23:07:40.000000+00:00',
      webhook_sent_at: '2024-08-30T23:07:39.500000+00:00', // before the end: the sender's clock is off
    };
    const { errors, context, timing, shown } = await timelineOf(run);
    expect(timing.queuedMs).toBeUndefined();
    expect(timing.ranMs).toBeUndefined();
    expect(timing.sendDelayMs).toBe(-500);
    expect(shown.map((s) => [s.step, s.mark, s.ms])).toEqual([
      ['created', null, null],
      ['started', 'missing', null],
      ['ended', null, null],
      ['sent', 'out-of-order', '-500'],
      ['received', null, String(timing.deliveryMs)],
    ]);
    expect(shown[1]!.text).toContain('missing');
    expect(shown[3]!.text).toContain('out of order');
    expect(shown[3]!.text).toContain('−500 ms');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('expected ids in the bin', () => {
  const JOB_A = '550e8400-e29b-41d4-a716-446655440000';
  const JOB_B = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
  const krea = (jobId: string) => kreaJob(jobId, 'completed');

  it('added with a deadline, each shows pending with time left, then arrived (linking its request) or overdue, live', async () => {
    const bin = await createBin(srv.url, { name: 'krea jobs' });
    const { page, errors, context } = await openPage(browser, srv.url);
    await openBin(page, srv.url, bin.id);
    // Set on the page: still there at the end means nothing reloaded it.
    await page.evaluate(() => ((window as unknown as { kept?: number }).kept = 1));

    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByTestId('bin-settings');
    await dialog.getByRole('tab', { name: 'Checks' }).click();
    const form = dialog.getByTestId('expected-ids');
    await form.getByLabel(/^Ids to register/).fill(`${JOB_A}\n${JOB_B.toUpperCase()}`);
    await form.getByLabel(/^Deadline/).fill('1m');
    await form.getByRole('button', { name: 'Add 2' }).click();
    await form.getByRole('status').filter({ hasText: 'Now 2 ids registered.' }).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    const panel = page.getByTestId('expected-status');
    const entry = (id: string) => panel.locator(`li[data-expected-id="${id}"]`);
    await entry(JOB_B).waitFor(); // ids are kept lower-cased
    expect(await entry(JOB_A).getAttribute('data-state')).toBe('pending');
    expect(await entry(JOB_B).getAttribute('data-state')).toBe('pending');
    expect(await entry(JOB_A).getByTestId('expected-time-left').innerText()).toMatch(/^(\d+(\.\d)? s|1 min 0 s) left$/);
    expect(await panel.getByTestId('expected-summary').innerText()).toBe('0 overdue · 2 pending · 0 arrived');

    // The Krea job of A arrives: its id is job_id, which the checks index as its delivery key.
    const requestId = await capture(`${bin.url}/krea`, krea(JOB_A), AS_JSON);
    await eventually(async () => (await entry(JOB_A).getAttribute('data-state')) === 'arrived', 'A to arrive');
    const link = entry(JOB_A).getByTestId('expected-request');
    expect(await link.getAttribute('href')).toBe(`/bins/${bin.id}/requests/${requestId}`);
    expect(await entry(JOB_B).getAttribute('data-state')).toBe('pending');

    // B's deadline passes on the server's clock: the sweep pushes it overdue.
    skew += 61_000;
    await srv.server.deadlines.sweep();
    await eventually(async () => (await entry(JOB_B).getAttribute('data-state')) === 'overdue', 'B to be overdue');
    expect(await entry(JOB_B).innerText()).toMatch(/overdue since \d/);
    expect(await panel.getByTestId('expected-summary').innerText()).toBe('1 overdue · 0 pending · 1 arrived');
    // Overdue first.
    expect(await panel.locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-expected-id')))).toEqual([JOB_B, JOB_A]);
    // The page agrees with the API.
    const { body } = await getJson(`${srv.url}/api/bins/${bin.id}/expected`);
    expect(body.expected).toMatchObject([
      { id: JOB_A, state: 'arrived', requestId },
      { id: JOB_B, state: 'overdue' },
    ]);
    await screenshot(page, 'expected-ids');

    await link.click();
    await page.waitForURL(`**/requests/${requestId}`);
    await page.getByTestId('request-detail').getByTestId('detail-path').waitFor();
    expect(await page.evaluate(() => (window as unknown as { kept?: number }).kept)).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a page opened later shows the states as they stand, and a late arrival turns overdue into arrived', async () => {
    const bin = await createBin(srv.url);
    const post = await fetch(`${srv.url}/api/bins/${bin.id}/expected`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ids: [JOB_A, JOB_B], within: '30s' }),
    });
    expect(post.status).toBe(200);
    skew += 31_000;
    await srv.server.deadlines.sweep();
    const { page, errors, context } = await openPage(browser, srv.url);
    await openBin(page, srv.url, bin.id);
    const panel = page.getByTestId('expected-status');
    await panel.locator(`li[data-expected-id="${JOB_A}"][data-state="overdue"]`).waitFor();
    const late = await capture(`${bin.url}/krea`, krea(JOB_A), AS_JSON);
    await eventually(async () => (await panel.getByTestId('expected-summary').innerText()) === '1 overdue · 0 pending · 1 arrived', 'the late arrival');
    expect(await panel.locator(`li[data-expected-id="${JOB_A}"]`).getByTestId('expected-request').getAttribute('href')).toBe(
      `/bins/${bin.id}/requests/${late}`,
    );
    // Forgetting the ids (from the API, e.g. another tab) removes the panel live.
    expect((await fetch(`${srv.url}/api/bins/${bin.id}/expected`, { method: 'DELETE' })).status).toBe(204);
    await panel.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    await context.close();
  });
});
