// The views made for the senders: a Krea job (status, timing, a result gallery that loads only
// when asked, the error of a failed job) and a LangGraph run (timeline, error, interrupts,
// transcript), all shown as text.
import { describe, expect, it } from 'vitest';
import { openBin, openPage, useServerAndBrowser, viewScreenshot } from '../helpers/browser.js';
import { AS_JSON, capture } from '../helpers/capture.js';
import { eventually } from '../helpers/eventually.js';
import { createBin, getJson } from '../helpers/server.js';

const suite = useServerAndBrowser();

const HOSTILE = '<img src=x onerror="window.ran=1">';

/** A completed Krea job that took 5.5 s, with these `result.urls`. */
const completedJob = (urls: unknown[]) =>
  JSON.stringify({
    job_id: '550e8400-e29b-41d4-a716-446655440000',
    status: 'completed',
    created_at: '2025-01-15T10:30:00.000Z',
    completed_at: '2025-01-15T10:30:05.500Z',
    result: { urls },
  });

const countRequests = async (binId: string) => ((await getJson(`${suite.srv.url}/api/bins/${binId}/requests`)).body.requests as unknown[]).length;

describe('payload views', () => {
  it('Krea job: status, timing, a gallery that contacts its host only when asked, and a failed job’s error', async () => {
    // The "CDN" is another bin on the test server: what it receives is what the gallery fetched.
    const cdn = await createBin(suite.srv.url, { name: 'cdn' });
    const bin = await createBin(suite.srv.url, { name: 'krea' });
    const done = await capture(
      `${bin.url}/krea`,
      completedJob([`${cdn.url}/out.png`, { type: 'video', url: `${cdn.url}/clip.mp4` }, 'javascript:alert(1)']),
      AS_JSON,
    );
    const failed = await capture(
      `${bin.url}/krea`,
      JSON.stringify({
        job_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
        status: 'failed',
        created_at: '2025-01-15T10:30:00.000Z',
        completed_at: '2025-01-15T10:33:00.000Z',
        result: { error: `Content moderation: ${HOSTILE}` },
      }),
      AS_JSON,
    );
    const { page, errors, context } = await openPage(suite.browser, suite.srv.url, { viewport: { width: 1280, height: 900 } });
    await openBin(page, suite.srv.url, bin.id, done);
    const view = page.getByTestId('krea-view');
    await view.waitFor();
    expect(await view.innerText()).toContain('completed');
    expect(await page.getByTestId('krea-duration').innerText()).toBe(' · took 5.5 s');
    const gallery = page.getByTestId('media-gallery');
    expect(await gallery.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual([`${cdn.url}/out.png`, `${cdn.url}/clip.mp4`]);
    // Nothing fetched from the payload's host yet: no img or video element exists.
    expect(await gallery.locator('img, video').count()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await countRequests(cdn.id)).toBe(0);
    expect(await page.getByTestId('load-media').innerText()).toBe(`Load 2 previews from ${new URL(cdn.url).host}`);
    await page.getByTestId('load-media').click();
    expect(await gallery.locator('img').count()).toBe(1);
    expect(await gallery.locator('video').count()).toBe(1);
    await eventually(async () => (await countRequests(cdn.id)) >= 1, 'the gallery to fetch from its host');

    // The committed picture (test/artifacts/krea-job-view.png): a job whose results sit at a fixed
    // loopback address nothing listens on, so every run draws the same pixels; its previews are not loaded.
    const pictured = await capture(
      `${bin.url}/krea`,
      completedJob(['http://localhost:9/krea/out.png', { type: 'video', url: 'http://localhost:9/krea/clip.mp4' }]),
      AS_JSON,
    );
    await page.goto(`${suite.srv.url}/bins/${bin.id}/requests/${pictured}`);
    await page.getByTestId('load-media').waitFor();
    expect(await page.getByTestId('load-media').innerText()).toBe('Load 2 previews from localhost:9');
    await viewScreenshot(page.getByTestId('krea-view'), 'krea-job-view');

    await page.goto(`${suite.srv.url}/bins/${bin.id}/requests/${failed}`);
    await page.getByTestId('krea-error').waitFor();
    expect(await page.getByTestId('krea-error').innerText()).toBe(`Content moderation: ${HOSTILE}`);
    expect(await page.getByTestId('krea-view').locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { ran?: number }).ran)).toBeUndefined();
    expect(errors.filter((e) => !/Failed to load|blocked/.test(e))).toEqual([]);
    await context.close();
  });

  it('LangGraph run: timeline with durations, error, interrupts and the transcript with tool calls, as text', async () => {
    const bin = await createBin(suite.srv.url, { name: 'langgraph' });
    const run = {
      run_id: '1ef6a5b8-4457-6db0-8b15-cffd3797fa04',
      thread_id: '9dde5490-2b67-47c8-aa14-4bfec88af217',
      assistant_id: 'agent',
      status: 'error',
      created_at: '2024-08-30T23:07:38.242730+00:00',
      updated_at: '2024-08-30T23:07:40.120000+00:00',
      run_started_at: '2024-08-30T23:07:38.300000+00:00',
      run_ended_at: '2024-08-30T23:07:40.100000+00:00',
      webhook_sent_at: '2024-08-30T23:07:40.150000+00:00',
      metadata: {},
      kwargs: { input: { messages: [{ role: 'user', content: 'Hello!' }] } },
      error: { error: 'ValueError', message: 'bad tool args' },
      values: {
        messages: [
          { type: 'human', content: `What is the weather? ${HOSTILE}` },
          { type: 'ai', content: '', tool_calls: [{ name: 'get_weather', args: { city: 'Paris' }, id: 'call_1' }] },
          { type: 'tool', name: 'get_weather', content: [{ type: 'text', text: 'Sunny, 21 °C' }] },
          { role: 'assistant', content: 'It is sunny in Paris.' },
        ],
        __interrupt__: [{ value: { question: 'Approve the booking?' }, id: 'int-1' }],
      },
    };
    const id = await capture(`${bin.url}/langgraph`, JSON.stringify(run), { headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    const { page, errors, context } = await openPage(suite.browser, suite.srv.url, { viewport: { width: 1280, height: 1100 } });
    await openBin(page, suite.srv.url, bin.id, id);
    const view = page.getByTestId('langgraph-view');
    await view.waitFor();
    const timeline = page.getByTestId('run-timeline');
    expect(await timeline.locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-step')))).toEqual([
      'created',
      'started',
      'ended',
      'sent',
      'received',
    ]);
    // The checks' queuedMs: 38.242730 → 38.300000 read to the microsecond is 57.27 ms (the view's own Date.parse read 58).
    expect(await timeline.locator('[data-step="started"]').innerText()).toContain('+57 ms');
    expect(await timeline.locator('[data-step="ended"]').innerText()).toContain('+1.8 s');
    expect(await timeline.locator('[data-step="sent"]').innerText()).toContain('+50 ms');
    expect(await page.getByTestId('run-error').innerText()).toBe('ValueError: bad tool args');
    expect(await page.getByTestId('run-interrupts').innerText()).toContain('Approve the booking?');
    const transcript = page.getByTestId('transcript');
    expect(await transcript.locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-role')))).toEqual([
      'human',
      'ai',
      'tool',
      'assistant',
    ]);
    expect(await transcript.locator('li').first().innerText()).toContain(HOSTILE);
    expect(await transcript.getByTestId('tool-call').innerText()).toContain('get_weather');
    expect(await transcript.getByTestId('tool-call').innerText()).toContain('"city": "Paris"');
    expect(await transcript.locator('li').nth(2).innerText()).toContain('Sunny, 21 °C');
    expect(await view.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { ran?: number }).ran)).toBeUndefined();
    // The committed picture (test/artifacts/langgraph-run-view.png); the time it arrived changes every run.
    await viewScreenshot(view, 'langgraph-run-view', ['[data-step="received"] time', '[data-step="received"] time ~ span']);
    expect(errors).toEqual([]);
    await context.close();
  });
});
