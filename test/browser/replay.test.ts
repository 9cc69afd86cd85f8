import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openBin, openPage, rowPaths, screenshot } from '../helpers/browser.js';
import { eventually } from '../helpers/eventually.js';
import { rawRequest } from '../helpers/raw-http.js';
import { closeInOrder, createBin, getJson, startServer, type TestServer } from '../helpers/server.js';
import { startTarget, type TargetServer } from '../helpers/target-server.js';

// Escapes a JSON re-serialiser would undo: the replay must carry these exact bytes.
const BODY = Buffer.from('{"url":"https:\\/\\/example.com\\/a","name":"caf\\u00e9",  "n":1.0}');
/** The target answers with markup, which the inspector must show as text. */
const HOSTILE = '<img src=x onerror=alert(1)><b>accepted</b>';

let srv: TestServer;
let target: TargetServer;
let browser: Browser;
beforeAll(async () => {
  srv = await startServer();
  target = await startTarget(() => ({ status: 201, headers: ['Content-Type', 'text/html', 'X-Target', 'yes'], body: HOSTILE }));
  browser = await launchBrowser();
});
afterAll(() => closeInOrder(browser, target, srv));

describe('replay in the inspector', () => {
  it('replays byte for byte, shows the answer and the history live, replays with a modified header, and replays many', async () => {
    const bin = await createBin(srv.url, { name: 'replay' });
    const sent = await rawRequest(srv.url, {
      method: 'POST',
      path: `/h/${bin.id}/krea?x=1`,
      headers: ['Content-Type', 'application/json', 'X-Test', 'original', 'User-Agent', 'krea-webhooks/1.0'],
      body: BODY,
    });
    const id = sent.headers['x-hookscope-request-id'] as string;
    const { page, errors, dialogs, context } = await openPage(browser, srv.url, { viewport: { width: 1280, height: 1000 } });
    await openBin(page, srv.url, bin.id, id);
    const detail = page.getByTestId('request-detail');
    const panel = detail.getByTestId('replay-panel');

    // The header's Replay… opens the section and puts the cursor in the target field.
    expect(await panel.isVisible()).toBe(false);
    await detail.getByRole('button', { name: 'Replay…' }).click();
    await panel.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('replay-target');
    await page.keyboard.type(`${target.url}/hook`);
    await panel.getByRole('button', { name: 'Replay', exact: true }).click();

    await target.waitFor(1);
    const first = target.received[0]!;
    expect(first.method).toBe('POST');
    expect(first.url).toBe('/hook?x=1');
    expect(first.body.equals(BODY)).toBe(true);
    expect(first.headers['x-test']).toBe('original');
    expect(first.headers['user-agent']).toBe('krea-webhooks/1.0');

    // The answer, beside the request: status, headers, and the body as text.
    const view = panel.getByTestId('delivery-view');
    await view.getByText('201 Created').waitFor();
    expect(await view.getByTestId('delivery-body').innerText()).toBe(HOSTILE);
    expect(await view.getByRole('table', { name: 'Response headers' }).innerText()).toContain('yes');
    const history = panel.getByRole('list', { name: 'Deliveries' });
    expect(await history.locator('li').count()).toBe(1);
    // The bin remembers the target for the next time.
    await eventually(async () => (await getJson(`${srv.url}/api/bins/${bin.id}`)).body.replayTarget === `${target.url}/hook`, 'the remembered target');
    // The list row shows the outcome too.
    expect(await page.locator(`[data-request-row][data-id="${id}"]`).innerText()).toContain('replay 201');

    // With a modified header: it arrives modified, and the history says so (newest first).
    await panel.getByText('Modify before sending').click();
    await panel.getByLabel('Header value of X-Test').fill('modified');
    await panel.getByRole('button', { name: 'Replay with changes' }).click();
    await target.waitFor(2);
    expect(target.received[1]!.headers['x-test']).toBe('modified');
    expect(target.received[1]!.body.equals(BODY)).toBe(true);
    await eventually(async () => (await history.locator('li').count()) === 2, 'two deliveries');
    expect(await history.locator('li').first().innerText()).toContain('modified: headers');

    // A replay made elsewhere (the API, another tab) appears live.
    const res = await fetch(`${srv.url}/api/bins/${bin.id}/requests/${id}/replay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    await eventually(async () => (await history.locator('li').count()) === 3, 'the live delivery');
    expect(await history.locator('li').first().getAttribute('data-delivery-id')).toBe(((await res.json()) as { id: string }).id);
    // Picking an older delivery shows its answer.
    await history.locator('li').last().getByRole('button').click();
    expect(await history.locator('li').last().getByRole('button').getAttribute('aria-pressed')).toBe('true');

    // A target that refuses connections: a readable error, not a failure of hookscope.
    await panel.getByLabel(/^Target URL/).fill('http://127.0.0.1:1/nothing');
    await panel.getByRole('button', { name: 'Replay with changes' }).click();
    await view.getByText('No response').waitFor();
    expect(await view.innerText()).toContain('connection refused at 127.0.0.1:1');
    // Back to the good target, unmodified: byte for byte again.
    await panel.getByLabel(/^Target URL/).fill(`${target.url}/hook`);
    await panel.getByRole('button', { name: 'Undo changes' }).click();
    await panel.getByRole('button', { name: 'Replay', exact: true }).click();
    await target.waitFor(4);
    expect(target.received[3]!.headers['x-test']).toBe('original');
    await eventually(async () => (await history.locator('li').count()) === 5, 'five deliveries');
    await view.getByText('201 Created').waitFor();
    await panel.evaluate((el) => el.closest('details')?.scrollIntoView());
    await screenshot(page, 'replay-detail');

    // Untrusted answers stay text.
    expect(dialogs).toEqual([]);
    expect(await page.locator('img, b:text("accepted")').count()).toBe(0);

    // Replay many: select two requests with the checkboxes.
    await rawRequest(srv.url, { method: 'POST', path: `/h/${bin.id}/second`, headers: ['Content-Type', 'text/plain'], body: 'two' });
    await eventually(async () => (await rowPaths(page)).length === 2, 'two rows');
    const before = target.received.length;
    await page.getByRole('button', { name: 'Select', exact: true }).click();
    await page.locator('[data-select-id]').nth(0).check();
    await page.locator('[data-select-id]').nth(1).check();
    await page.getByRole('button', { name: 'Replay 2…' }).click();
    const many = page.getByTestId('replay-many');
    expect(await many.getByLabel(/^Target URL/).inputValue()).toBe(`${target.url}/hook`);
    await many.getByRole('button', { name: 'Replay 2 requests' }).click();
    const summary = many.getByTestId('replay-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toContain('2 requests sent');
    expect(await summary.innerText()).toContain('2 succeeded');
    expect(target.received.length).toBe(before + 2);
    // In arrival order: the older request first.
    expect(target.received.slice(before).map((r) => r.url)).toEqual(['/hook?x=1', '/hook']);
    expect(target.received.at(-1)!.body.toString()).toBe('two');
    await screenshot(page, 'replay-many');
    await page.keyboard.press('Escape');
    await many.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a compressed answer decoded, as text, and says so', async () => {
    const gzipping = await startTarget(() => ({ status: 200, headers: ['Content-Type', 'text/html', 'Content-Encoding', 'gzip'], body: gzipSync(HOSTILE) }));
    try {
      const bin = await createBin(srv.url, { name: 'gzip' });
      const sent = await rawRequest(srv.url, {
        method: 'POST',
        path: `/h/${bin.id}`,
        headers: ['Content-Type', 'application/json', 'Accept-Encoding', 'gzip'],
        body: BODY,
      });
      const id = sent.headers['x-hookscope-request-id'] as string;
      const { page, errors, dialogs, context } = await openPage(browser, srv.url, { viewport: { width: 1280, height: 1000 } });
      await openBin(page, srv.url, bin.id, id);
      const panel = page.getByTestId('request-detail').getByTestId('replay-panel');
      await page.getByTestId('request-detail').getByRole('button', { name: 'Replay…' }).click();
      await panel.getByLabel(/^Target URL/).fill(gzipping.url);
      await panel.getByRole('button', { name: 'Replay', exact: true }).click();
      const view = panel.getByTestId('delivery-view');
      await view.getByText(/^Decoded from gzip/).waitFor();
      expect(await view.getByTestId('delivery-body').innerText()).toBe(HOSTILE);
      expect(await page.locator('img, b:text("accepted")').count()).toBe(0);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    } finally {
      await gzipping.close();
    }
  });
});
