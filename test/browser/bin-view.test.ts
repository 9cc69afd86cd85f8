// The bin view shows what the server knows, once: expected ids pending / arrived / overdue, live;
// the LangGraph timeline with the checks' own durations; secrets masked in the detail header.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openBin, openPage } from '../helpers/browser.js';
import { AS_JSON, capture } from '../helpers/capture.js';
import { createBin, getJson, startServer, type TestServer } from '../helpers/server.js';

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
  /** Each step of the timeline: its mark and the duration it shows (data-duration, in ms). */
  const steps = (page: import('playwright-core').Page) =>
    page
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

  it('shows the durations the checks computed, to the microsecond they read', async () => {
    const bin = await createBin(srv.url);
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
    const id = await capture(`${bin.url}/langgraph`, JSON.stringify(run), AS_JSON);
    const timing = (await getJson(`${srv.url}/api/bins/${bin.id}/requests/${id}`)).body.checks.timing;
    expect(timing).toMatchObject({ queuedMs: 57, ranMs: 12_000 });
    const { page, errors, context } = await openPage(browser, srv.url);
    await openBin(page, srv.url, bin.id, id);
    await page.getByTestId('run-timeline').waitFor();
    const shown = await steps(page);
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
    const bin = await createBin(srv.url);
    const run = {
      ...RUN,
      status: 'error',
      error: 'boom',
      created_at: '2024-08-30T23:07:38.000000+00:00',
      // run_started_at left out (a server with webhooks.allowed_fields)
      run_ended_at: '2024-08-30T23:07:40.000000+00:00',
      webhook_sent_at: '2024-08-30T23:07:39.500000+00:00', // before the end: the sender's clock is off
    };
    const id = await capture(`${bin.url}/langgraph`, JSON.stringify(run), AS_JSON);
    const timing = (await getJson(`${srv.url}/api/bins/${bin.id}/requests/${id}`)).body.checks.timing;
    expect(timing.queuedMs).toBeUndefined();
    expect(timing.ranMs).toBeUndefined();
    expect(timing.sendDelayMs).toBe(-500);
    const { page, errors, context } = await openPage(browser, srv.url);
    await openBin(page, srv.url, bin.id, id);
    await page.getByTestId('run-timeline').waitFor();
    const shown = await steps(page);
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
