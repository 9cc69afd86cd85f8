import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openNewBin, rowPaths, screenshot } from '../helpers/browser.js';
import { eventually } from '../helpers/eventually.js';
import { closeInOrder, getJson, startServer, type TestServer } from '../helpers/server.js';
import { startTarget, type TargetServer } from '../helpers/target-server.js';

let srv: TestServer;
let failing: TargetServer;
let browser: Browser;
beforeAll(async () => {
  srv = await startServer();
  failing = await startTarget(() => ({ status: 500, body: 'receiver crashed' }));
  browser = await launchBrowser();
});
afterAll(() => closeInOrder(browser, failing, srv));

/** The attempts of the shown result: [status, next try given] per attempt. */
function attempts(page: Page): Promise<[string, boolean][]> {
  return page
    .getByTestId('send-result')
    .locator('li[data-delivery-id]')
    .evaluateAll((items) => items.map((li): [string, boolean] => [li.getAttribute('data-status')!, li.textContent!.includes('next try in')]));
}

describe('sender simulator in the inspector', () => {
  it('sends a Krea job to this bin (captured, valid, token and signature checked) and shows every attempt against a failing receiver', async () => {
    const { bin, page, errors, context } = await openNewBin(
      browser,
      srv.url,
      { name: 'simulated', token: 'tok-123', signingSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
      { viewport: { width: 1280, height: 1000 } },
    );
    await page.getByRole('button', { name: 'Send test…' }).click();
    const panel = page.getByTestId('send-panel');
    // Defaults: this bin, its token and its secret.
    expect(await panel.getByLabel(/^Target URL/).inputValue()).toBe(bin.url);
    expect(await panel.getByLabel(/^Token/).inputValue()).toBe('tok-123');
    expect(await panel.getByLabel(/^Signing secret/).inputValue()).toBe('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    await panel.getByRole('button', { name: 'Send', exact: true }).click();
    const result = panel.getByTestId('send-result');
    await result.waitFor();
    expect(await result.getAttribute('data-delivered')).toBe('true');
    expect(await attempts(page)).toEqual([['200', false]]);

    // Captured by the bin, live, with its verdicts.
    await eventually(async () => (await rowPaths(page)).length === 1, 'the simulated request');
    const row = page.locator('[data-request-row]').first();
    expect(await row.locator('[data-verdict]').evaluateAll((b) => b.map((x) => x.getAttribute('data-verdict')))).toEqual(['valid']);
    expect(await row.innerText()).toContain('token ✓');
    const { body: list } = await getJson(`${srv.url}/api/bins/${bin.id}/requests`);
    expect(list.requests[0].checks).toMatchObject({ schema: 'krea-job', valid: true, signature: 'valid', token: 'valid' });

    // A receiver that answers 500, as LangGraph's Python server delivers: 3 tries, back-off between them.
    await panel.getByLabel(/^Target URL/).fill(`${failing.url}/webhook`);
    await panel.getByLabel(/^LangGraph Run/).check();
    await panel.getByLabel(/^State/).selectOption('error');
    await panel.getByLabel(/^Waits/).selectOption('0.01');
    await panel.getByLabel(/^Overrides/).fill('/metadata/attempt = 7');
    await panel.getByRole('button', { name: 'Send', exact: true }).click();
    await eventually(async () => (await result.getAttribute('data-delivered')) === 'false', 'the failed send');
    expect(await attempts(page)).toEqual([
      ['500', true],
      ['500', true],
      ['500', false],
    ]);
    expect(await result.innerText()).toContain('The receiver never answered 2xx.');
    expect(failing.received).toHaveLength(3);
    expect(JSON.parse(failing.received[0]!.body.toString())).toMatchObject({ status: 'error', metadata: { attempt: 7 } });
    expect(failing.received[0]!.url).toBe('/webhook?token=tok-123');
    await result.getByText('Answer to the selected attempt').click();
    expect(await result.getByTestId('delivery-body').innerText()).toBe('receiver crashed');

    // Both sends are listed; picking the first shows it again.
    const recent = panel.getByRole('region', { name: 'Recent sends' });
    await eventually(async () => (await recent.locator('li').count()) === 2, 'two recent sends');
    await screenshot(page, 'send-panel');
    await recent.locator('li').last().getByRole('button').click();
    await eventually(async () => (await result.getAttribute('data-delivered')) === 'true', 'the first send shown');

    // A body that does not parse is caught before sending.
    await panel.getByLabel(/^Custom JSON/).check();
    await panel.getByLabel(/^Body/).fill('{ nope');
    await panel.getByRole('button', { name: 'Send', exact: true }).click();
    await panel
      .getByTestId('form-error')
      .getByText(/^The custom body is not JSON/)
      .waitFor();
    expect(failing.received).toHaveLength(3);
    expect(errors).toEqual([]);
    await context.close();
  });
});
