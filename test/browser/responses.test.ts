import { describe, expect, it } from 'vitest';
import { openNewBin, rowPaths, screenshot, useServerAndBrowser } from '../helpers/browser.js';
import { eventually } from '../helpers/eventually.js';
import { getJson } from '../helpers/server.js';

const suite = useServerAndBrowser();

describe('scripted responses in the inspector', () => {
  it('sets the default answer to 503 and a rule from the settings; senders get them and the detail says what was answered', async () => {
    const { bin, page, errors, context } = await openNewBin(
      suite.browser,
      suite.srv.url,
      { name: 'flaky receiver' },
      { viewport: { width: 1280, height: 1000 } },
    );
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByTestId('bin-settings');
    await dialog.getByRole('tab', { name: 'Responses' }).click();
    const defaults = dialog.getByTestId('default-response');

    // Out of bounds: the server's message, naming the field, next to the form.
    await defaults.getByLabel(/^Delay \(ms\)/).fill('40000');
    await dialog.getByRole('button', { name: 'Save responses' }).click();
    const error = dialog.getByTestId('form-error');
    await error.waitFor();
    expect(await error.innerText()).toBe('responses.default.delayMs must be a whole number from 0 to 30000.');

    await defaults.getByLabel(/^Delay \(ms\)/).fill('');
    await defaults.getByLabel('Status', { exact: true }).fill('503');
    await defaults.getByText('Body and headers').click();
    await defaults.getByLabel(/^Body/).fill('{"error":"down for maintenance"}');
    await defaults.getByLabel(/^Content type/).fill('application/json');
    // A rule: POSTs to /flaky/** get 429 with a Retry-After header.
    await dialog.getByRole('button', { name: '+ Rule' }).click();
    const rule = dialog.getByTestId('rule');
    await rule.getByLabel(/^Name/).fill('throttle flaky');
    await rule.getByLabel(/^Sub-path/).fill('/flaky/**');
    await rule.getByLabel('Status', { exact: true }).fill('429');
    await rule.getByText('Body and headers').click();
    await rule.getByRole('button', { name: '+ Response header' }).click();
    await rule.getByLabel('Response header name 1').fill('Retry-After');
    await rule.getByLabel('Response header value of Retry-After').fill('7');
    await dialog.getByRole('button', { name: 'Save responses' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Saved: the next requests get these answers.' }).waitFor();
    const { body: saved } = await getJson(`${suite.srv.url}/api/bins/${bin.id}`);
    expect(saved.responses.default).toEqual({ status: 503, body: '{"error":"down for maintenance"}', contentType: 'application/json' });
    expect(saved.responses.rules).toMatchObject([
      { name: 'throttle flaky', match: { methods: ['POST'], path: '/flaky/**' }, response: { status: 429, headers: { 'retry-after': '7' } } },
    ]);
    await screenshot(page, 'settings-responses');

    // The JSON editor shows the same setting, as saved.
    await dialog.getByRole('button', { name: 'JSON', exact: true }).click();
    expect(JSON.parse(await dialog.getByLabel('Responses as JSON').inputValue())).toEqual(saved.responses);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByTestId('bin-header').innerText()).toContain('answers 503, 1 rule');

    const down = await fetch(`${bin.url}/anything`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(down.status).toBe(503);
    expect(await down.text()).toBe('{"error":"down for maintenance"}');
    const throttled = await fetch(`${bin.url}/flaky/1`, { method: 'POST', body: 'x' });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    await eventually(async () => (await rowPaths(page)).length === 2, 'two rows');

    await page.locator('[data-request-row]').nth(1).click();
    const answered = page.getByTestId('request-detail').getByTestId('answered');
    await answered.waitFor();
    expect(await answered.innerText()).toBe('503 Service Unavailable (the bin’s default answer)');
    await page.locator('[data-request-row]').nth(0).click();
    await eventually(async () => (await answered.innerText()) === '429 Too Many Requests by rule “throttle flaky”', 'the rule answer');
    expect(errors).toEqual([]);
    await context.close();
  });

  it("a rule whose delay is left empty answers at once: the form shows it, saves no delay, and the sender is not kept waiting by the default's", async () => {
    const { bin, page, errors, context } = await openNewBin(suite.browser, suite.srv.url, {}, { viewport: { width: 1280, height: 1000 } });
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByTestId('bin-settings');
    await dialog.getByRole('tab', { name: 'Responses' }).click();
    await dialog
      .getByTestId('default-response')
      .getByLabel(/^Delay \(ms\)/)
      .fill('1500');
    await dialog.getByRole('button', { name: '+ Rule' }).click();
    const rule = dialog.getByTestId('rule');
    // The rule's empty fields show what applies: the default's status, and no delay (the default's is not added).
    const delay = rule.getByLabel(/^Delay \(ms\)/);
    expect(await delay.inputValue()).toBe('');
    expect(await delay.getAttribute('placeholder')).toBe('0');
    expect(await rule.getByText(/^Delay \(ms\)/).innerText()).toContain('empty: none, the default’s 1500 ms is not added');
    await rule.getByLabel('Status', { exact: true }).fill('');
    expect(await rule.getByLabel('Status', { exact: true }).getAttribute('placeholder')).toBe('200 (default)');
    await rule.getByLabel('Status', { exact: true }).fill('503');
    await dialog.getByRole('button', { name: 'Save responses' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Saved: the next requests get these answers.' }).waitFor();
    const { body: saved } = await getJson(`${suite.srv.url}/api/bins/${bin.id}`);
    expect(saved.responses.default).toEqual({ delayMs: 1500 });
    expect(saved.responses.rules[0].response).toEqual({ status: 503 });

    // The rule (POST) answers at once; the default (a GET, which the rule does not match) waits. Margins are wide: timing under load.
    let started = Date.now();
    const ruled = await fetch(bin.url, { method: 'POST', body: 'x' });
    const ruledMs = Date.now() - started;
    expect(ruled.status).toBe(503);
    expect(ruledMs).toBeLessThan(1000);
    started = Date.now();
    const byDefault = await fetch(bin.url);
    expect(byDefault.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1490);
    expect(errors).toEqual([]);
    await context.close();
  });
});
