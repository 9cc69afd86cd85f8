// Header secrets in a real Chromium: set in the bin settings, shown on each request like the token
// (badge, overview, checks), filtered with token:, and carried into the LangGraph setup.
import { describe, expect, it } from 'vitest';
import { openNewBin, rowPaths, useServerAndBrowser } from '../helpers/browser.js';
import { getJson } from '../helpers/server.js';

const suite = useServerAndBrowser();

const send = (binId: string, path: string, headers: Record<string, string> = {}) =>
  fetch(`${suite.srv.url}/h/${binId}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"run_id":"r"}' });

describe('secret headers in the inspector', () => {
  it('are set in the settings, badged on each request like the token, filtered with token: and used by the LangGraph setup', async () => {
    const { bin, page, errors } = await openNewBin(suite.browser, suite.srv.url, { name: 'graph' });

    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByTestId('bin-settings');
    await dialog.getByLabel(/^Secret header/).fill('Authorization');
    await dialog.getByLabel(/^Header value/).fill('Bearer s3cr3t-value');
    await dialog.getByLabel(/^Require the token and secret header/).check();
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.getByText('Saved.').waitFor();
    expect((await getJson(`${suite.srv.url}/api/bins/${bin.id}`)).body).toMatchObject({
      secretHeader: { name: 'Authorization', value: 'Bearer s3cr3t-value' },
      requireToken: true,
    });
    await page.keyboard.press('Escape');

    expect((await send(bin.id, '/good', { authorization: 'Bearer s3cr3t-value' })).status).toBe(200);
    expect((await send(bin.id, '/bad', { authorization: 'Bearer guess' })).status).toBe(401);
    expect((await send(bin.id, '/none')).status).toBe(401);
    await expect.poll(async () => (await rowPaths(page)).length, { timeout: 5000 }).toBe(3);
    const badges = async (path: string) => page.locator(`[data-request-row]:has([data-path="${path}"]) [data-verdict^="header-"]`).innerText();
    expect([await badges('/good'), await badges('/bad'), await badges('/none')]).toEqual(['header ✓', 'bad header', 'no header']);

    const filter = page.getByLabel('Filter requests');
    await filter.fill('token:invalid');
    await expect.poll(() => rowPaths(page), { timeout: 5000 }).toEqual(['/bad']);
    await filter.fill('token:valid');
    await expect.poll(() => rowPaths(page), { timeout: 5000 }).toEqual(['/good']);
    await filter.fill('');
    await expect.poll(async () => (await rowPaths(page)).length, { timeout: 5000 }).toBe(3);

    await page.locator('[data-request-row]:has([data-path="/bad"])').click();
    expect(await page.getByTestId('secret-header-verdict').innerText()).toMatch(/bad header\s+Authorization did not match/);

    // The LangGraph setup sends the secret as a header from an LG_WEBHOOK_ variable.
    // (With no request open, the detail pane offers the snippets.)
    await page.keyboard.press('Escape');
    const pane = page.getByRole('region', { name: 'Request detail' });
    await pane.getByRole('tab', { name: 'LangGraph' }).click();
    await pane.getByRole('button', { name: 'langgraph.json', exact: true }).click();
    const block = JSON.parse(await pane.locator('pre code').innerText());
    expect(block.webhooks.headers).toEqual({ Authorization: 'Bearer ${{ env.LG_WEBHOOK_HOOKSCOPE_SECRET }}' });
    await pane.getByRole('button', { name: '.env', exact: true }).click();
    expect(await pane.locator('pre code').innerText()).toMatch(/\nLG_WEBHOOK_HOOKSCOPE_SECRET=s3cr3t-value$/);
    expect(errors).toEqual([]);
  });
});
