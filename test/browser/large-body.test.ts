// Bodies over the detail's 1 MB inline copy (up to the 25 MB limit): the JSON tree, pretty JSON
// and raw views read the whole body on request, parse it in a Web Worker and draw only the rows
// in view; the tree builds a node's children only when it is opened.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, tooDeepNote } from '../../shared/json-depth.js';
import { openBin, openPage, screenshot, useServerAndBrowser } from '../helpers/browser.js';
import { AS_JSON, capture } from '../helpers/capture.js';
import { eventually } from '../helpers/eventually.js';
import { createBin } from '../helpers/server.js';
import { langGraphRun } from '../helpers/webhook-bodies.js';

const suite = useServerAndBrowser();

/** Captures `body` (as JSON) in a new bin and opens the inspector on it: the page and its request detail. */
async function openCaptured(body: string, height = 1000) {
  const bin = await createBin(suite.srv.url);
  const id = await capture(`${bin.url}/big`, body, AS_JSON);
  const opened = await openPage(suite.browser, suite.srv.url, { viewport: { width: 1280, height } });
  await openBin(opened.page, suite.srv.url, bin.id, id);
  return { ...opened, detail: opened.page.getByTestId('request-detail') };
}

/** A LangGraph Run of about 3.1 MB: a long transcript, compact JSON on one line. */
function bigRun(): string {
  const messages = Array.from({ length: 12_000 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `message ${i} ${'lorem ipsum '.repeat(20)}` }));
  messages.push({ role: 'assistant', content: 'THE-LAST-MESSAGE' });
  return JSON.stringify(langGraphRun({ values: { messages } }));
}

/** Scrolls the virtual view to its end and returns the text drawn there and how many rows exist in the DOM. */
async function bottom(page: Page): Promise<{ text: string; drawn: number; rows: number }> {
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
    const { page, errors, context, detail } = await openCaptured(body);
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

  it('a 3.1 MB LangGraph Run as a JSON tree: parsed off the main thread, virtualised, nodes opened on demand', async () => {
    const { page, errors, context, detail } = await openCaptured(bigRun());
    // The tree is the first view of a large JSON body, as it is of a small one.
    expect(await detail.getByRole('tab').first().innerText()).toBe('JSON tree');
    expect(await detail.getByTestId('large-tree').count()).toBe(0);
    await watchLongTasks(page);
    await detail.getByTestId('load-large').click();
    const tree = detail.getByTestId('large-tree');
    await tree.waitFor({ timeout: 15_000 });
    // Opened like the small tree, level by level: the 12,001 messages are listed, each closed (opening all would be 48,000 rows).
    const shown = await treeState(page);
    expect(shown.rows).toBeGreaterThan(12_000);
    expect(shown.drawn).toBeLessThan(100);
    expect(shown.text).toContain('"run_id": "1ef6a5b8-4457-6db0-8b15-cffd3797fa04",');
    await tree.locator('[data-pointer="/values/messages/0"] button').click();
    await tree.locator('[data-pointer="/values/messages/0/role"]').waitFor();
    expect(await tree.locator('[data-pointer="/values/messages/0/role"]').innerText()).toBe('"role": "user",');
    expect((await treeState(page)).rows).toBe(shown.rows + 3);
    await tree.scrollIntoViewIfNeeded();
    await screenshot(page, 'large-json-tree');

    // The last message: scrolled to, opened, read.
    await tree.locator('[data-rows]').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    const lastMessage = tree.locator('[data-pointer="/values/messages/12000"] button');
    await lastMessage.waitFor();
    expect(await lastMessage.innerText()).toContain('2 keys');
    await lastMessage.click();
    await tree.locator('[data-pointer="/values/messages/12000/content"]').waitFor();
    expect(await tree.locator('[data-pointer="/values/messages/12000/content"]').innerText()).toBe('"content": "THE-LAST-MESSAGE"');
    expect((await treeState(page)).drawn).toBeLessThan(100);

    // Collapse all leaves the root's members; expand all opens every message (within its row bound).
    await tree.getByRole('button', { name: 'Collapse all' }).click();
    await eventually(async () => (await treeState(page)).rows === 11, 'the tree to collapse to the root');
    await tree.getByRole('button', { name: 'Expand all' }).click();
    await eventually(async () => (await treeState(page)).rows > 12_000 * 4, 'the tree to expand');
    expect((await treeState(page)).drawn).toBeLessThan(100);
    expect(await longestTask(page)).toBeLessThan(LONG_TASK_BOUND_MS);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a 20 MB JSON body as a JSON tree: responsive while parsing, 10,000 levels marked past the limit, "__proto__" shown as a key', async () => {
    const body = hugeBody();
    expect(body.length).toBeGreaterThan(20 * 1024 * 1024);
    const { page, errors, context, detail } = await openCaptured(body);
    await watchLongTasks(page);
    await detail.getByTestId('load-large').click();
    // While the worker parses 20 MB, the page still draws frames.
    const answered = await page.evaluate(async () => {
      const started = performance.now();
      await new Promise((resolve) => requestAnimationFrame(resolve));
      return { frameAfter: performance.now() - started, parsing: document.querySelector('[data-testid="large-tree"]') === null };
    });
    expect(answered.parsing).toBe(true);
    expect(answered.frameAfter).toBeLessThan(LONG_TASK_BOUND_MS);
    const tree = detail.getByTestId('large-tree');
    await tree.waitFor({ timeout: 30_000 });
    const shown = await treeState(page);
    expect(shown.drawn).toBeLessThan(100);
    expect(shown.text).toContain('"items": [ 100,000 items ]');

    // A "__proto__" member is a key like any other, and reaches no prototype.
    await tree.locator('[data-pointer="/__proto__"] button').click();
    await tree.locator('[data-pointer="/__proto__/polluted"]').waitFor();
    expect(await tree.locator('[data-pointer="/__proto__"]').innerText()).toBe('▾"__proto__": {');
    expect(await tree.locator('[data-pointer="/__proto__/polluted"]').innerText()).toBe('"polluted": "<b>yes</b>"');
    expect(await tree.locator('b').count()).toBe(0);
    expect(await page.evaluate(() => ({}) as Record<string, unknown>)).not.toHaveProperty('polluted');

    // 10,000 nested arrays open one level at a time down to MAX_JSON_DEPTH, where the tree marks the rest.
    const opened = await openDeepest(page, '/deep');
    expect(opened.clicks).toBe(MAX_JSON_DEPTH - 1);
    expect(opened.note).toBe(`0: […] ${tooDeepNote()}`);
    expect(opened.drawn).toBeLessThan(100);
    expect(await longestTask(page)).toBeLessThan(LONG_TASK_BOUND_MS);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
  it('a problem found in a 3.1 MB LangGraph Run reveals its place in the large tree, loading it when needed', async () => {
    // kwargs moved after the 12,001 messages: its row is far down, and Collapse all hides it.
    const run = JSON.parse(bigRun()) as Record<string, unknown>;
    delete run.kwargs;
    run.kwargs = { feedback_keys: ['a', 7] };
    const { page, errors, context, detail } = await openCaptured(JSON.stringify(run), 900);
    const problem = detail.getByTestId('checks').getByRole('button', { name: /kwargs\.feedback_keys\[1\]/ });
    await problem.waitFor({ timeout: 15_000 });
    await detail.getByRole('tab', { name: 'Raw' }).click();
    await problem.click();
    // Asked to reveal, the tree comes back (at the next render: Preact renders after the click) and loads by itself.
    await eventually(async () => (await detail.getByRole('tab', { name: 'JSON tree' }).getAttribute('aria-selected')) === 'true', 'the JSON tree tab');
    await eventually(
      async () => (await largeHighlight(page)).pointer === '/kwargs/feedback_keys/1' && (await largeHighlight(page)).visible,
      'the node revealed',
    );
    expect(await largeHighlight(page)).toEqual({ pointer: '/kwargs/feedback_keys/1', visible: true, count: 1, text: '1: 7' });

    // Collapsed, then revealed again: the way down is opened.
    const tree = detail.getByTestId('large-tree');
    await tree.getByRole('button', { name: 'Collapse all' }).click();
    await eventually(async () => (await treeState(page)).rows === 11, 'the tree to collapse');
    await tree.locator('[data-rows]').evaluate((el) => el.scrollTo(0, 0));
    await problem.click();
    await eventually(async () => (await treeState(page)).rows === 11 + 2 + 3, 'kwargs and feedback_keys to open');
    await eventually(async () => (await largeHighlight(page)).visible, 'the node revealed again');
    expect(await largeHighlight(page)).toEqual({ pointer: '/kwargs/feedback_keys/1', visible: true, count: 1, text: '1: 7' });
    expect(errors).toEqual([]);
    await context.close();
  });
});

/** A generous bound for any one main-thread task: parsing 20 MB on the main thread takes several times as long. */
const LONG_TASK_BOUND_MS = 500;

/** About 21 MB of JSON: a "__proto__" member, 10,000 nested arrays and 100,000 records. */
function hugeBody(): string {
  const items = Array.from({ length: 100_000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'], note: 'x'.repeat(150) }));
  const deep = '['.repeat(10_000) + ']'.repeat(10_000);
  return `{"__proto__":{"polluted":"<b>yes</b>"},"deep":${deep},"items":${JSON.stringify(items)}}`;
}

/** Starts recording the page's long tasks (over 50 ms on the main thread) that begin from now on (not the page's own start). */
async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: number[] = [];
    const from = performance.now();
    (window as unknown as { longTasks: number[] }).longTasks = seen;
    new PerformanceObserver((list) => list.getEntries().forEach((entry) => entry.startTime >= from && seen.push(entry.duration))).observe({ type: 'longtask' });
  });
}

async function longestTask(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(0, ...(window as unknown as { longTasks: number[] }).longTasks));
}

/** The tree's row count, how many rows the DOM holds, and their text. */
async function treeState(page: Page): Promise<{ rows: number; drawn: number; text: string }> {
  return page
    .getByTestId('large-tree')
    .locator('[data-rows]')
    .evaluate((el) => ({
      rows: Number(el.getAttribute('data-rows')),
      drawn: el.firstElementChild!.childElementCount,
      text: (el as HTMLElement).innerText,
    }));
}

/**
 * Opens the closed node under `prefix` again and again, in the page (a round trip per click would
 * take most of the test's time), until none is left; returns the clicks and the deepest row's text.
 */
async function openDeepest(page: Page, prefix: string): Promise<{ clicks: number; note: string; drawn: number }> {
  return page.getByTestId('large-tree').evaluate(async (root: HTMLElement, under) => {
    const scroller = root.querySelector('[data-rows]')!;
    const closed = () =>
      [...root.querySelectorAll<HTMLButtonElement>('button[aria-expanded="false"]')].find((b) => b.parentElement!.dataset.pointer!.startsWith(under));
    const until = async (done: () => boolean) => {
      for (let waited = 0; !done() && waited < 3000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    let clicks = 0;
    for (let button = closed(); button; button = closed()) {
      const rows = scroller.getAttribute('data-rows');
      button.scrollIntoView({ block: 'center' });
      button.click();
      clicks++;
      await until(() => scroller.getAttribute('data-rows') !== rows);
      // The next level is the row below: wait until it is drawn (or none is left to open).
      await until(
        () => closed() !== undefined || root.querySelector('[data-pointer^="' + under + '"] button') === null || root.innerText.includes('nested deeper'),
      );
      if (root.innerText.includes('nested deeper')) break;
    }
    const deepest = [...root.querySelectorAll<HTMLElement>('[data-pointer]')].find((row) => row.innerText.includes('nested deeper'));
    return { clicks, note: deepest?.innerText ?? '', drawn: scroller.firstElementChild!.childElementCount };
  }, prefix);
}

/** The highlighted row of the large tree: its pointer, whether it is in the window, how many there are, its text. */
function largeHighlight(page: Page): Promise<{ pointer: string | null; visible: boolean; count: number; text: string }> {
  return page.evaluate(() => {
    const nodes = document.querySelectorAll<HTMLElement>('[data-testid="large-tree"] [data-highlighted]');
    const node = nodes[0];
    if (!node) return { pointer: null, visible: false, count: 0, text: '' };
    const box = node.getBoundingClientRect();
    const view = node.closest('[data-rows]')!.getBoundingClientRect();
    const visible = box.top >= Math.max(0, view.top) && box.bottom <= Math.min(innerHeight, view.bottom) && box.height > 0;
    return { pointer: node.getAttribute('data-pointer'), visible, count: nodes.length, text: node.innerText };
  });
}
