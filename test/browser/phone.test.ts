// The bin header and the settings dialog on a phone (375×740, touch): the header's buttons stay
// grouped (never one alone on a line), and the settings tabs scroll instead of clipping the last.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openBin, openPage, screenshot, useServerAndBrowser } from '../helpers/browser.js';
import { eventually } from '../helpers/eventually.js';
import { createBin } from '../helpers/server.js';

const suite = useServerAndBrowser();

const PHONE = { viewport: { width: 375, height: 740 }, mobile: true } as const;

/** The visible controls of the header's URL row (input, buttons, Clear's question), grouped into lines by their top edge. */
async function urlRowLines(page: Page): Promise<string[][]> {
  const boxes = await page.$$eval('[data-testid="bin-header"] :is(input, button, [role="group"] > span)', (elements) =>
    elements
      .filter((e) => e.closest('[data-testid="bin-header"] > div:nth-child(2)') && e.getBoundingClientRect().width > 0)
      .map((e) => ({ top: Math.round(e.getBoundingClientRect().top), name: (e as HTMLInputElement).value || e.textContent || '' })),
  );
  const lines = new Map<number, string[]>();
  for (const { top, name } of boxes) {
    const line = [...lines.keys()].find((t) => Math.abs(t - top) <= 6) ?? top;
    lines.set(line, [...(lines.get(line) ?? []), name]);
  }
  return [...lines.entries()].sort(([a], [b]) => a - b).map(([, names]) => names);
}

/** Whether `inner` lies wholly within `outer`'s visible box (1 px slack for rounding). */
async function within(inner: Locator, outer: Locator): Promise<boolean> {
  const [a, b] = [await inner.boundingBox(), await outer.boundingBox()];
  return !!a && !!b && a.x >= b.x - 1 && a.x + a.width <= b.x + b.width + 1;
}

describe('on a phone', () => {
  it('the header keeps its buttons on one line together, and Clear asks on a line of its own', async () => {
    const bin = await createBin(suite.srv.url, { name: 'LangGraph runs', token: 'secret-token', requireToken: true });
    await fetch(`${bin.url}/one?token=secret-token`, { method: 'POST', body: '{}' });
    const { page, errors, context } = await openPage(suite.browser, suite.srv.url, PHONE);
    await openBin(page, suite.srv.url, bin.id);
    await eventually(async () => (await page.locator('[data-request-row]').count()) === 1, 'the row');
    const lines = await urlRowLines(page);
    expect(lines).toEqual([
      [expect.stringContaining(`/h/${bin.id}`), 'Copy'],
      ['Snippets', 'Send test…', 'Settings', 'Clear…', '?'],
    ]);
    // Nothing sticks out sideways: the page does not scroll horizontally.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(page, 'phone-header');

    await page.getByRole('button', { name: 'Clear…' }).click();
    const asking = await urlRowLines(page);
    expect(asking).toEqual([
      [expect.stringContaining(`/h/${bin.id}`), 'Copy'],
      ['Snippets', 'Send test…', 'Settings', '?'],
      ['Delete the 1 request?', 'Clear all', 'Cancel'],
    ]);
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(errors).toEqual([]);
    await context.close();
  });

  it('the settings tabs scroll sideways, and every tab can be reached and chosen', async () => {
    const bin = await createBin(suite.srv.url, { name: 'Krea jobs' });
    const { page, errors, context } = await openPage(suite.browser, suite.srv.url, PHONE);
    await openBin(page, suite.srv.url, bin.id);
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByTestId('bin-settings');
    const strip = dialog.getByRole('tablist', { name: 'Settings' });
    await strip.waitFor();
    const metrics = await strip.evaluate((e) => ({ scrollWidth: e.scrollWidth, clientWidth: e.clientWidth, overflowX: getComputedStyle(e).overflowX }));
    expect(metrics.scrollWidth).toBeGreaterThan(metrics.clientWidth);
    expect(metrics.overflowX).toBe('auto');
    const last = strip.getByRole('tab', { name: 'Responses' });
    expect(await within(last, strip)).toBe(false);
    // Scrolled to its end, the strip shows the last tab whole (nothing is clipped beyond reach).
    await strip.evaluate((e) => e.scrollTo({ left: e.scrollWidth }));
    await eventually(() => within(last, strip), 'the last tab in view');
    await strip.evaluate((e) => e.scrollTo({ left: 0 }));
    for (const name of ['Responses', 'Forward', 'Checks', 'General']) {
      const tab = strip.getByRole('tab', { name });
      await tab.click();
      expect(await tab.getAttribute('aria-selected')).toBe('true');
      await eventually(() => within(tab, strip), `${name} in view`);
      expect(await dialog.locator(`#settings-${name.toLowerCase()}`).isVisible()).toBe(true);
    }
    await strip.getByRole('tab', { name: 'Responses' }).click();
    await screenshot(page, 'phone-settings-tabs');
    expect(errors).toEqual([]);
    await context.close();
  });
});
