import { describe, expect, it } from 'vitest';
import type { Bin } from '../../shared/api-types.js';
import { KREA_REFERENCE_EXAMPLES } from '../fixtures/payloads/index.js';
import { openBin, openPage, rowPaths, screenshot, useServerAndBrowser } from '../helpers/browser.js';
import { eventually } from '../helpers/eventually.js';
import { rawRequest } from '../helpers/raw-http.js';
import { createBin, getJson } from '../helpers/server.js';

const KREA_JOB: unknown = JSON.parse(KREA_REFERENCE_EXAMPLES.completed);

const suite = useServerAndBrowser();

describe('inspector in a real browser', () => {
  it('creates a bin, shows a request live within a second, and opens it with its JSON tree and headers', async () => {
    const { page, errors, context } = await openPage(suite.browser, suite.srv.url);
    await page.goto(suite.srv.url);
    await page.getByLabel('Name').fill('Krea staging');
    const token = await page.getByLabel(/^Token/).inputValue();
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await page.getByRole('button', { name: 'Create bin' }).click();
    await page.waitForURL(/\/bins\/[0-9a-f-]{36}$/);
    const binId = new URL(page.url()).pathname.split('/')[2]!;
    const { body: bin } = await getJson<Bin>(`${suite.srv.url}/api/bins/${binId}`);
    expect(bin).toMatchObject({ name: 'Krea staging', token, requireToken: false });
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor();

    // The empty bin explains what to do and offers the snippets with this bin's URL and token.
    await expect(page.getByRole('heading', { name: 'Waiting for the first request' }).isVisible()).resolves.toBe(true);
    const captureUrl = `${bin.url}?token=${token}`;
    expect(await page.locator('#capture-url').inputValue()).toBe(captureUrl);
    await page.getByRole('tab', { name: 'LangGraph' }).click();
    await page.getByRole('button', { name: 'Python SDK', exact: true }).click();
    expect(await page.locator('pre code').innerText()).toContain(`webhook="${captureUrl}"`);
    await page.getByRole('tab', { name: 'Krea' }).click();
    expect(await page.locator('pre code').innerText()).toContain(`-H "X-Webhook-URL: ${captureUrl}"`);
    await page.getByRole('tab', { name: 'Try it' }).click();
    await screenshot(page, 'bin-empty-light');

    const res = await rawRequest(suite.srv.url, {
      method: 'POST',
      path: `/h/${binId}/krea?token=${token}`,
      headers: ['Content-Type', 'application/json', 'X-Test-Header', 'hello-header', 'User-Agent', 'krea-webhooks/1.0'],
      body: JSON.stringify(KREA_JOB),
    });
    expect(res.status).toBe(200);
    const waitedFrom = Date.now();
    await eventually(async () => (await rowPaths(page)).includes(`/krea?token=${token}`), 'the request to appear');
    const elapsed = Date.now() - waitedFrom;
    expect(elapsed).toBeLessThan(1000);
    expect(await page.locator('[data-request-row] [data-unread]').count()).toBe(1);

    await page.locator('[data-request-row]').first().click();
    await page.waitForURL(/\/requests\/[0-9A-Z]{26}$/);
    const detail = page.getByTestId('request-detail');
    const tree = detail.getByTestId('json-tree');
    await tree.waitFor();
    expect(await tree.innerText()).toContain('"job_id": "550e8400-e29b-41d4-a716-446655440000"');
    expect(await tree.innerText()).toContain('"https://example.com/out.png"');
    // Collapsible: collapsing "result" hides its URLs and shows a summary instead.
    await tree.getByRole('button', { name: /"result"/ }).click();
    expect(await tree.innerText()).not.toContain('out.png');
    expect(await tree.innerText()).toContain('1 key');
    const headers = detail.getByRole('table', { name: 'Headers' });
    expect(await headers.innerText()).toContain('X-Test-Header');
    expect(await headers.innerText()).toContain('hello-header');
    expect(await detail.getByRole('table', { name: 'Query parameters' }).innerText()).toContain(token);
    expect(await detail.getByTestId('full-url').innerText()).toBe(`${bin.url}/krea?token=${token}`);
    // Opening it marked it read.
    expect(await page.locator('[data-request-row] [data-unread]').count()).toBe(0);
    // Raw toggle shows the exact bytes.
    await detail.getByRole('tab', { name: 'Raw' }).click();
    expect(await detail.getByTestId('body-raw').innerText()).toBe(JSON.stringify(KREA_JOB));
    await detail.getByRole('tab', { name: 'JSON tree' }).click();
    await screenshot(page, 'detail-light');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('renders hostile payloads as text and runs nothing', async () => {
    const bin = await createBin(suite.srv.url, { name: 'hostile' });
    const evil = '<img src=x onerror=alert(1)>';
    const { page, errors, dialogs, context } = await openPage(suite.browser, suite.srv.url);
    // Count <img> elements ever created, including ones removed again.
    await page.addInitScript(() => {
      const w = window as unknown as { __imgs: number };
      w.__imgs = 0;
      new MutationObserver((records) => {
        for (const r of records) for (const n of r.addedNodes) if (n instanceof Element && (n.tagName === 'IMG' || n.querySelector('img'))) w.__imgs++;
      }).observe(document, { childList: true, subtree: true });
    });
    await openBin(page, suite.srv.url, bin.id);
    await rawRequest(suite.srv.url, {
      method: 'POST',
      path: `/h/${bin.id}/${encodeURIComponent('<b>x</b>')}?q=${encodeURIComponent('<script>alert(2)</script>')}`,
      headers: ['Content-Type', 'text/html', 'X-Evil', '<svg onload=alert(3)>'],
      body: evil,
    });
    await rawRequest(suite.srv.url, {
      method: 'POST',
      path: `/h/${bin.id}/json`,
      headers: ['Content-Type', 'application/json'],
      body: JSON.stringify({ [evil]: evil }),
    });
    await eventually(async () => (await rowPaths(page)).length === 2, 'two rows');

    await page.locator('[data-request-row]').nth(1).click();
    const detail = page.getByTestId('request-detail');
    expect(await detail.getByTestId('body-raw').innerText()).toBe(evil);
    expect(await detail.getByRole('table', { name: 'Headers' }).innerText()).toContain('<svg onload=alert(3)>');
    expect(await detail.getByRole('table', { name: 'Query parameters' }).innerText()).toContain('<script>alert(2)</script>');

    await page.locator('[data-request-row]').nth(0).click();
    const tree = detail.getByTestId('json-tree');
    await tree.waitFor();
    expect(await tree.innerText()).toContain(`"${evil}": "${evil}"`);

    await page.waitForTimeout(300); // give any injected handler time to fire
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __imgs: number }).__imgs)).toBe(0);
    expect(await page.locator('img, svg, script:not([type="module"])').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('saves screenshots of the bin and detail views: light, dark and phone', async () => {
    const bin = await createBin(suite.srv.url, { name: 'LangGraph runs', token: 'secret-token', requireToken: true });
    for (const [path, token, body, type] of [
      [
        '/langgraph',
        'secret-token',
        '{"run_id":"1ef6a5b8-4457-6db0-8b15-cffd3797fa04","thread_id":"9dde5490-2b67-47c8-aa14-4bfec88af217","assistant_id":"agent","status":"success","metadata":{},"kwargs":{"input":{"messages":[{"role":"user","content":"Hello!"}]}},"values":{"messages":[{"role":"assistant","content":"Hi!"}]}}',
        'application/json',
      ],
      ['/krea', 'wrong', JSON.stringify(KREA_JOB), 'application/json'],
      ['/form', 'secret-token', 'name=Ada&tag=a&tag=b', 'application/x-www-form-urlencoded'],
      ['/bytes', '', Buffer.from([0x00, 0x01, 0x62, 0x69, 0x6e, 0xff, 0xfe]), 'application/octet-stream'],
    ] as [string, string, string | Buffer, string][]) {
      await rawRequest(suite.srv.url, { method: 'POST', path: `/h/${bin.id}${path}${token ? `?token=${token}` : ''}`, headers: ['Content-Type', type], body });
    }
    const ids = (await getJson<{ requests: { id: string }[] }>(`${suite.srv.url}/api/bins/${bin.id}/requests`)).body.requests.map((r) => r.id);
    const json = ids[3]!;
    for (const [name, options] of [
      ['light', { colorScheme: 'light' }],
      ['dark', { colorScheme: 'dark' }],
      ['phone', { colorScheme: 'light', viewport: { width: 390, height: 844 }, mobile: true }],
      ['phone-dark', { colorScheme: 'dark', viewport: { width: 390, height: 844 }, mobile: true }],
    ] as const) {
      const { page, errors, context } = await openPage(suite.browser, suite.srv.url, options);
      await openBin(page, suite.srv.url, bin.id);
      await eventually(async () => (await rowPaths(page)).length === 4, 'four rows');
      await screenshot(page, `bin-${name}`);
      await page.locator(`[data-request-row][data-id="${json}"]`).click();
      await page.getByTestId('json-tree').waitFor();
      if (name.startsWith('phone')) {
        // Stacked on a phone: the list gives way to the detail, with a way back.
        expect(await page.getByTestId('request-list').isVisible()).toBe(false);
        await screenshot(page, `detail-${name}`);
        await page.getByRole('button', { name: /^← Requests/ }).click();
        await page.getByTestId('request-list').waitFor({ state: 'visible' });
      } else {
        expect(await page.getByTestId('request-list').isVisible()).toBe(true);
        await screenshot(page, `detail-${name}`);
      }
      // A theme that follows the system: the background differs between light and dark.
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(background).toBe(name.includes('dark') ? 'rgb(17, 19, 23)' : 'rgb(255, 255, 255)');
      expect(errors).toEqual([]);
      await context.close();
    }
  });
});
