// Counts in the inspector say "1 attempt" and "1 request" (singular where the count is 1), and a
// simulated send reports the status it actually sent (an override of /status), not the one asked for.
import { describe, expect, it } from 'vitest';
import { openBin, openPage, rowPaths, useServerAndBrowser } from '../helpers/browser.js';
import { AS_JSON, capture } from '../helpers/capture.js';
import { eventually } from '../helpers/eventually.js';
import { createBin } from '../helpers/server.js';

const suite = useServerAndBrowser({ maxRequestsPerBin: 1 });

describe('counts and statuses as words', () => {
  it('a bin that keeps one request says "1 request"; a send of one try says "1 attempt" and the status it sent', async () => {
    const bin = await createBin(suite.srv.url, { name: 'one kept' });
    const { page, errors, context } = await openPage(suite.browser, suite.srv.url, { viewport: { width: 1280, height: 1000 } });
    await openBin(page, suite.srv.url, bin.id);
    await capture(`${bin.url}/first`, '{"n":1}', AS_JSON);
    await capture(`${bin.url}/second`, '{"n":2}', AS_JSON);
    await eventually(async () => (await rowPaths(page)).join() === '/second', 'the first evicted');
    await page.getByTestId('bin-at-limit').waitFor();
    expect(await page.getByTestId('bin-at-limit').innerText()).toBe('At its limit: this bin keeps 1 request, and each new one removes the oldest.');

    await page.getByRole('button', { name: 'Send test…' }).click();
    const panel = page.getByTestId('send-panel');
    await panel.getByLabel(/^Overrides/).fill('/status = processing');
    await panel.getByRole('button', { name: 'Send', exact: true }).click();
    const result = panel.getByTestId('send-result');
    await result.waitFor();
    expect(await result.getByRole('heading', { name: /^Delivery/ }).innerText()).toBe('Delivery: 1 attempt');
    expect(await result.innerText()).toContain('krea-job processing');
    const recent = panel.getByRole('region', { name: 'Recent sends' });
    await eventually(async () => (await recent.locator('li').count()) === 1, 'the send listed');
    const row = await recent.locator('li').first().innerText();
    expect(row).toContain('krea-job processing');
    expect(row).toMatch(/\b1 attempt\b/);
    expect(row).not.toContain('attempts');
    expect(errors).toEqual([]);
    await context.close();
  });
});
