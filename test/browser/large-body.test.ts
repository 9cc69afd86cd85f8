// Bodies over the detail's 1 MB inline copy (up to the 25 MB limit): the pretty JSON and raw
// views read the whole body on request, parse it in a Web Worker and draw only the rows in view.
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openBin, openPage, useServerAndBrowser } from '../helpers/browser.js';
import { AS_JSON, capture } from '../helpers/capture.js';
import { eventually } from '../helpers/eventually.js';
import { createBin, type TestServer } from '../helpers/server.js';
import { langGraphRun } from '../helpers/webhook-bodies.js';

let srv: TestServer;
let browser: Browser;
useServerAndBrowser((server, chromium) => {
  srv = server;
  browser = chromium;
});

/** A LangGraph Run of about 3.1 MB: a long transcript, compact JSON on one line. */
function bigRun(): string {
  const messages = Array.from({ length: 12_000 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `message ${i} ${'lorem ipsum '.repeat(20)}` }));
  messages.push({ role: 'assistant', content: 'THE-LAST-MESSAGE' });
  return JSON.stringify(langGraphRun({ values: { messages } }));
}

/** Scrolls the virtual view to its end and returns the text drawn there and how many rows exist in the DOM. */
async function bottom(page: import('playwright-core').Page): Promise<{ text: string; drawn: number; rows: number }> {
  const view = page.getByTestId('large-text');
  await view.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await page.waitForTimeout(100);
  return view.evaluate((el) => ({
    text: (el as HTMLElement).innerText,
    drawn: el.querySelectorAll('div > div').length,
    rows: Number(el.getAttribute('data-rows')),
  }));
}

describe('large bodies', () => {
  it('a 3.1 MB LangGraph Run: pretty JSON and raw text of the whole body, virtualised, parsed off the main thread', async () => {
    const body = bigRun();
    expect(body.length).toBeGreaterThan(3 * 1024 * 1024);
    const bin = await createBin(srv.url);
    const id = await capture(`${bin.url}/big`, body, AS_JSON);
    const { page, errors, context } = await openPage(browser, srv.url, { viewport: { width: 1280, height: 1000 } });
    await openBin(page, srv.url, bin.id, id);
    const detail = page.getByTestId('request-detail');
    await detail.getByRole('tab', { name: 'Pretty' }).click();
    // Nothing is fetched until asked.
    await detail.getByTestId('load-large').click();
    await detail.getByTestId('large-text').waitFor({ timeout: 15_000 });
    const pretty = await bottom(page);
    // Pretty-printed: a line per field, so tens of thousands of rows, and only a few dozen drawn.
    expect(pretty.rows).toBeGreaterThan(12_000 * 4);
    expect(pretty.drawn).toBeLessThan(200);
    expect(pretty.text).toContain('"content": "THE-LAST-MESSAGE"');

    await detail.getByRole('tab', { name: 'Raw' }).click();
    await detail.getByTestId('load-large').click();
    await eventually(async () => (await page.getByTestId('large-text').count()) === 1, 'the raw view');
    const raw = await bottom(page);
    // One line of 3.1 MB, cut into rows of 200 characters.
    expect(raw.rows).toBe(Math.ceil(body.length / 200));
    expect(raw.drawn).toBeLessThan(200);
    expect(raw.text.replace(/\n/g, '')).toContain('THE-LAST-MESSAGE"}]}}');
    expect(errors).toEqual([]);
    await context.close();
  });
});
