import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openBin, openPage, rowPaths, screenshot, useServerAndBrowser } from '../helpers/browser.js';
import { AS_JSON, capture } from '../helpers/capture.js';
import { eventually } from '../helpers/eventually.js';
import { createBin, getJson } from '../helpers/server.js';
import { langGraphRun } from '../helpers/webhook-bodies.js';

const RUN = langGraphRun({
  kwargs: { input: { messages: [{ role: 'user', content: 'Hello!' }] } },
  values: { messages: [{ role: 'assistant', content: 'Hi!' }] },
});

/** Not terminal, a date that is not one, and a result URL of the wrong type (nested, to be revealed). */
const BAD_KREA = {
  job_id: '550e8400-e29b-41d4-a716-446655440000',
  status: 'processing',
  created_at: '2025-01-15T10:30:00.000Z',
  completed_at: 'not a date',
  result: { urls: [42] },
};

const suite = useServerAndBrowser();

/** The verdict badges of one list row, in order. */
function rowVerdicts(page: Page, id: string): Promise<string[]> {
  return page.locator(`[data-request-row][data-id="${id}"] [data-verdict]`).evaluateAll((badges) => badges.map((b) => b.getAttribute('data-verdict')!));
}

/** The pointer of the highlighted tree node, and whether it is inside the viewport. */
function highlighted(page: Page): Promise<{ pointer: string | null; visible: boolean; count: number }> {
  return page.evaluate(() => {
    const nodes = document.querySelectorAll('[data-testid="json-tree"] [data-highlighted]');
    const node = nodes[0] as HTMLElement | undefined;
    if (!node) return { pointer: null, visible: false, count: 0 };
    const box = node.getBoundingClientRect();
    return { pointer: node.getAttribute('data-pointer'), visible: box.top >= 0 && box.top < innerHeight && box.height > 0, count: nodes.length };
  });
}

describe('payload checks in the inspector', () => {
  it('shows a duplicate LangGraph delivery and an invalid Krea job live, with problems that reveal their place in the JSON tree', async () => {
    const bin = await createBin(suite.srv.url, { name: 'checks' });
    for (const scheme of ['light', 'dark'] as const) {
      const { page, errors, context } = await openPage(suite.browser, suite.srv.url, { colorScheme: scheme, viewport: { width: 1280, height: 900 } });
      await openBin(page, suite.srv.url, bin.id);
      if (scheme === 'dark') {
        // Second round: the requests are already there; only the screenshot differs.
        await eventually(async () => (await rowPaths(page)).length === 3, 'three rows');
        const krea = await page.locator('[data-request-row]').first().getAttribute('data-id');
        await page.locator(`[data-request-row][data-id="${krea}"]`).click();
        await page
          .getByTestId('checks')
          .getByRole('button', { name: /result\.urls\[0\]/ })
          .first()
          .click();
        await eventually(async () => (await highlighted(page)).pointer === '/result/urls/0', 'the highlight');
        await page.evaluate(() => document.getElementById('checks-section')?.scrollIntoView());
        await screenshot(page, 'checks-detail-dark');
        expect(errors).toEqual([]);
        await context.close();
        continue;
      }

      // Sent while the page is open: everything below arrives over the live stream.
      const first = await capture(`${bin.url}/langgraph`, JSON.stringify(RUN), AS_JSON);
      const duplicate = await capture(`${bin.url}/langgraph`, JSON.stringify(RUN), AS_JSON);
      const krea = await capture(`${bin.url}/krea`, JSON.stringify(BAD_KREA), AS_JSON);
      await eventually(async () => (await rowPaths(page)).length === 3, 'three rows');
      await eventually(async () => (await rowVerdicts(page, krea)).includes('invalid'), 'the invalid badge');
      expect(await rowVerdicts(page, first)).toEqual(['valid']);
      expect(await rowVerdicts(page, duplicate)).toEqual(['valid', 'duplicate']);
      expect(await rowVerdicts(page, krea)).toEqual(['invalid']);

      // The duplicate: its warning, and the original as a link.
      await page.locator(`[data-request-row][data-id="${duplicate}"]`).click();
      const detail = page.getByTestId('request-detail');
      const checks = detail.getByTestId('checks');
      await checks.waitFor();
      expect(await detail.locator('header [data-verdict]').evaluateAll((b) => b.map((x) => x.getAttribute('data-verdict')))).toEqual(['valid', 'duplicate']);
      expect(await checks.innerText()).toContain('Valid LangGraph Run, 1 warning');
      expect(await checks.locator('li[data-code="delivery.duplicate"]').innerText()).toContain(`same run_id as request ${first}`);
      await checks.getByRole('button', { name: /same run_id/ }).click();
      expect((await highlighted(page)).pointer).toBe('/run_id');
      await checks.getByTestId('duplicate-of').click();
      await page.waitForURL(`**/requests/${first}`);
      await detail.getByTestId('checks').waitFor();
      expect(await detail.getByTestId('checks').innerText()).toContain('Valid LangGraph Run: no problems found');

      // The invalid Krea job: every error listed with its code and place.
      await page.locator(`[data-request-row][data-id="${krea}"]`).click();
      await page.waitForURL(`**/requests/${krea}`);
      const errorsList = detail.getByTestId('checks').getByRole('region', { name: 'Errors' });
      await errorsList.waitFor();
      expect(await detail.getByTestId('checks').innerText()).toContain('Invalid Krea job: 3 errors');
      expect(await errorsList.locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-code')))).toEqual([
        'schema.format',
        'schema.type',
        'status.not_terminal',
      ]);
      expect(await errorsList.innerText()).toContain('Status "processing" is not terminal');

      // Collapse the whole tree first: a problem must open the way down to its node.
      await detail.getByRole('button', { name: 'Collapse all' }).click();
      await eventually(async () => (await page.locator('[data-pointer="/result/urls/0"]').count()) === 0, 'the tree to collapse');
      await errorsList.getByRole('button', { name: /result\.urls\[0\]/ }).click();
      // The highlight is drawn first and scrolled to in an effect after paint: wait for both.
      await eventually(
        async () => (await highlighted(page)).pointer === '/result/urls/0' && (await highlighted(page)).visible,
        'the nested node to be highlighted and in view',
      );
      const nested = await highlighted(page);
      expect(nested).toEqual({ pointer: '/result/urls/0', visible: true, count: 1 });
      expect(await page.locator('[data-pointer="/result/urls/0"]').innerText()).toBe('0: 42');

      // From another body view, the tree comes back; the highlight moves.
      await detail.getByRole('tab', { name: 'Raw' }).click();
      await errorsList.getByRole('button', { name: /not terminal/ }).click();
      await eventually(
        async () => (await highlighted(page)).pointer === '/status' && (await highlighted(page)).visible,
        'the status node to be highlighted and in view',
      );
      expect(await detail.getByRole('tab', { name: 'JSON tree' }).getAttribute('aria-selected')).toBe('true');
      expect(await highlighted(page)).toEqual({ pointer: '/status', visible: true, count: 1 });
      expect(await page.locator('[data-highlighted]').innerText()).toBe('"status": "processing",');
      await errorsList.getByRole('button', { name: /result\.urls\[0\]/ }).click();
      await eventually(async () => (await highlighted(page)).pointer === '/result/urls/0', 'the highlight to come back');
      await page.evaluate(() => document.getElementById('checks-section')?.scrollIntoView());
      await screenshot(page, 'checks-detail-light');
      expect(errors).toEqual([]);
      await context.close();
    }
  });

  it('settings: an invalid custom schema shows the server’s message; a valid one plus “recheck all” changes the badges live', async () => {
    const bin = await createBin(suite.srv.url, { name: 'custom schema' });
    const id = await capture(`${bin.url}/orders`, JSON.stringify({ order: 7, total: 'ten' }), AS_JSON);
    const { page, errors, context } = await openPage(suite.browser, suite.srv.url, { viewport: { width: 1280, height: 900 } });
    await openBin(page, suite.srv.url, bin.id);
    await eventually(async () => (await rowPaths(page)).length === 1, 'the row');
    // 'auto' recognises neither Krea nor LangGraph: nothing to badge.
    expect(await rowVerdicts(page, id)).toEqual([]);

    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByTestId('bin-settings');
    await dialog.getByRole('tab', { name: 'Checks' }).click();
    await dialog.getByLabel(/^Custom JSON Schema/).check();
    const text = dialog.getByLabel(/^Custom schema/);
    await text.fill('{ "type": "objekt" }');
    await dialog.getByRole('button', { name: 'Save checks' }).click();
    const error = dialog.getByTestId('form-error');
    await error.waitFor({ timeout: 20_000 }); // the server compiles the schema on a check worker: slow on a loaded machine
    expect(await error.innerText()).toMatch(/^The custom schema is not a valid JSON Schema: .*"type".*objekt/);
    // Not JSON at all: said before anything is sent.
    await text.fill('{ "type": ');
    await dialog.getByRole('button', { name: 'Save checks' }).click();
    await eventually(async () => (await error.innerText()).startsWith('The custom schema is not JSON'), 'the JSON error');
    // A signing secret that is not one.
    await text.fill(
      JSON.stringify({ type: 'object', required: ['order', 'total'], properties: { order: { type: 'integer' }, total: { type: 'number' } } }, null, 2),
    );
    await dialog.getByLabel(/^Signing secret/).fill('not-a-secret');
    await dialog.getByRole('button', { name: 'Save checks' }).click();
    await eventually(async () => (await error.innerText()).includes('"signingSecret" must be null or a Standard Webhooks secret'), 'the secret error');
    expect((await getJson(`${suite.srv.url}/api/bins/${bin.id}`)).body.schema).toBe('auto');

    await dialog.getByLabel(/^Signing secret/).fill('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    await dialog.getByRole('button', { name: 'Save checks' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const { body: saved } = await getJson(`${suite.srv.url}/api/bins/${bin.id}`);
    expect(saved.schema).toEqual({
      custom: { type: 'object', required: ['order', 'total'], properties: { order: { type: 'integer' }, total: { type: 'number' } } },
    });
    expect(saved.signingSecret).toBe('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    // The header shows what changed.
    expect(await page.getByTestId('bin-header').innerText()).toContain('schema: custom');

    // Expected ids: pasted, counted, registered.
    const expected = dialog.getByTestId('expected-ids');
    await expected.getByLabel(/^Ids to register/).fill('job-a\njob-b, job-c\n\njob-a');
    expect(await expected.innerText()).toContain('3 ids in the box');
    await expected.getByRole('button', { name: 'Add 3' }).click();
    await eventually(async () => (await expected.getByTestId('expected-count').innerText()) === '3 ids', 'the registered count');
    expect((await getJson(`${suite.srv.url}/api/bins/${bin.id}/expected`)).body.ids).toEqual(['job-a', 'job-b', 'job-c']);
    await screenshot(page, 'settings-checks');

    const offer = dialog.getByTestId('recheck-offer').first();
    await offer.getByRole('button', { name: 'Recheck all requests' }).click();
    await offer.getByText('Rechecked 1 request').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await eventually(async () => (await rowVerdicts(page, id)).join() === 'invalid,unsigned', 'the badges to change live');

    await page.locator(`[data-request-row][data-id="${id}"]`).click();
    const checks = page.getByTestId('checks');
    await checks.waitFor();
    expect(await checks.innerText()).toContain('custom schema (chosen in the bin settings)');
    await checks.getByRole('button', { name: /total/ }).click();
    await eventually(async () => (await highlighted(page)).pointer === '/total', 'the total node');
    // The signature problem is about the request: listed, but not a link into the body.
    expect(await checks.locator('li[data-code="signature.missing"] button').count()).toBe(0);
    expect(await checks.locator('li[data-code="signature.missing"]').innerText()).toContain('the request');

    // Back to auto, checked again from the detail: the badge goes away live.
    await fetch(`${suite.srv.url}/api/bins/${bin.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ schema: 'auto', signingSecret: null }),
    });
    await checks.getByRole('button', { name: 'Recheck' }).click();
    await eventually(async () => (await rowVerdicts(page, id)).length === 0, 'the badges to go');
    expect(await checks.innerText()).toContain('none applied');
    expect(errors).toEqual([]);
    await context.close();
  });
});
