// Issue 11, item 5 in a real Chromium: a JSON body nested 8000 deep shows as raw with a note (no
// tree is built for it, nothing crashes), and one nested right at the limit opens level by level
// down to its innermost value.
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../shared/json-depth.js';
import { openBin, openPage, screenshot, useServerAndBrowser } from '../helpers/browser.js';
import { capture } from '../helpers/capture.js';
import { createBin } from '../helpers/server.js';

const suite = useServerAndBrowser();

describe('deeply nested JSON in the inspector', () => {
  it('shows a body nested 8000 deep as raw, with a note and a "check skipped" badge', async () => {
    const bin = await createBin(suite.srv.url);
    const deep = '['.repeat(8000) + ']'.repeat(8000);
    const { page, errors, context } = await openPage(suite.browser, suite.srv.url);
    await openBin(page, suite.srv.url, bin.id);
    const id = await capture(bin.url, deep, { rawHeaders: ['Content-Type', 'application/json'] }); // arrives live
    const row = page.locator('[data-request-row]').first();
    await row.waitFor();
    expect(await row.locator('[data-verdict="skipped"]').innerText()).toBe('check skipped');
    await row.click();
    await page.waitForURL(new RegExp(`/requests/${id}$`));
    const detail = page.getByTestId('request-detail');
    expect(await detail.getByTestId('json-omitted').innerText()).toBe(`JSON nested deeper than ${MAX_JSON_DEPTH} levels: shown as raw.`);
    expect(await detail.getByTestId('json-tree').count()).toBe(0);
    expect(await detail.getByRole('tab', { name: 'JSON tree' }).count()).toBe(0);
    expect(await detail.getByTestId('body-raw').innerText()).toBe(deep);
    expect(await detail.getByTestId('checks').innerText()).toMatch(/Payload not checked: too deeply nested/);
    await screenshot(page, 'deep-json-raw');

    // Opened directly (fetched, not pushed), it reads the same.
    await page.reload();
    await detail.getByTestId('json-omitted').waitFor();
    expect(await detail.getByTestId('body-raw').innerText()).toBe(deep);
    expect(errors).toEqual([]);
    await context.close();
  });

  it(`opens a body nested ${MAX_JSON_DEPTH} deep level by level down to its innermost value`, async () => {
    const bin = await createBin(suite.srv.url);
    const body = '{"a":'.repeat(MAX_JSON_DEPTH - 1) + '{"innermost":"found"}' + '}'.repeat(MAX_JSON_DEPTH - 1);
    const id = await capture(bin.url, body, { rawHeaders: ['Content-Type', 'application/json'] });
    const { page, errors, context } = await openPage(suite.browser, suite.srv.url);
    await openBin(page, suite.srv.url, bin.id, id);
    const tree = page.getByTestId('json-tree');
    await tree.waitFor();
    await tree.getByRole('button', { name: 'Expand all' }).click();
    // Expand all stops at 12 levels; open the rest one click at a time, in the page (a round trip
    // per click would take most of the test's time). A node mounted after "Expand all" applies
    // it once more when its effects run, closing itself again: wait for that, then click on.
    const opened = await tree.evaluate(async (root) => {
      const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
      const pointers = new Set<string>();
      for (let step = 0; step < 5000; step++) {
        const button = root.querySelector<HTMLButtonElement>('button[aria-expanded="false"]');
        if (!button) break;
        pointers.add(button.closest('li')!.getAttribute('data-pointer')!);
        button.click();
        await pause();
      }
      return pointers.size;
    });
    // At least the levels below "Expand all"'s 12 (a few more when the page was slow to apply it), each at most once.
    expect(opened).toBeGreaterThanOrEqual(MAX_JSON_DEPTH - 12);
    expect(opened).toBeLessThanOrEqual(MAX_JSON_DEPTH);
    expect(await tree.locator(`[data-pointer="${'/a'.repeat(MAX_JSON_DEPTH - 1)}/innermost"]`).innerText()).toBe('"innermost": "found"');
    await page.getByRole('tab', { name: 'Pretty' }).click();
    expect(await page.getByTestId('body-pretty').innerText()).toContain('"innermost": "found"');
    expect(errors).toEqual([]);
    await context.close();
  });
});
