// The reachability notice in a real Chromium: a loopback-only server says beside the capture URL
// that outside senders cannot reach it (with the ways out for its port and this bin), Krea's
// snippets say so plainly, LangGraph's stay usable locally; a --public-url server says nothing.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openBin, openNewBin, openPage, screenshot } from '../helpers/browser.js';
import { createBin, startServer, type TestServer } from '../helpers/server.js';

let browser: Browser;
let local: TestServer;
let published: TestServer;
beforeAll(async () => {
  [browser, local, published] = await Promise.all([launchBrowser(), startServer(), startServer({ publicUrl: 'https://hooks.example.com' })]);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([local?.close(), published?.close()]);
});

describe('reachability in the inspector', () => {
  it('on a loopback-only server: a notice under the capture URL with the ways out for this port and bin', async () => {
    const bin = await createBin(local.url, { name: 'laptop' });
    const port = new URL(local.url).port;
    const { page, errors } = await openPage(browser, local.url);
    await openBin(page, local.url, bin.id);
    const notice = page.getByTestId('reachability-notice');
    await notice.waitFor();
    expect(await page.getByTestId('bin-header').getAttribute('data-reachable')).toBe('false');
    expect(await notice.getAttribute('data-reason')).toBe('loopback-bind');
    expect(await notice.locator('summary').innerText()).toMatch(/Senders outside this machine cannot reach this URL\.[\s\S]*listens on 127\.0\.0\.1 only/);

    await notice.locator('summary').click();
    const commands = await notice.locator('code').allInnerTexts();
    expect(commands).toEqual([
      `ngrok http ${port}`,
      `cloudflared tunnel --url http://localhost:${port}`,
      `tailscale funnel ${port}`,
      `npx hookscope --port ${port} --public-url https://<the-tunnel-host>`,
      `npx hookscope forward https://hooks.example.com/h/<public-bin-id> --to http://localhost:${port}/h/${bin.id}`,
    ]);
    expect(await notice.innerText()).toContain('section “Capture URLs that senders can reach”');
    await screenshot(page, 'reachability-notice');

    // Krea's snippets say plainly that Krea cannot deliver here; LangGraph's keep the local URL.
    await page.getByRole('tab', { name: 'Krea' }).click();
    expect(await page.getByTestId('snippet-note').innerText()).toMatch(/^Krea's cloud cannot reach this capture URL/);
    expect(await page.locator('pre code').innerText()).toMatch(/^# Krea's cloud cannot reach this URL[^\n]*\ncurl -X POST https:\/\/api\.krea\.ai/);
    await page.getByRole('tab', { name: 'LangGraph' }).click();
    expect(await page.getByTestId('snippet-note').innerText()).toMatch(/local LangGraph dev server/);
    await page.getByRole('button', { name: 'Python SDK', exact: true }).click();
    expect(await page.locator('pre code').innerText()).toContain(`webhook="${bin.url}"`);
    expect(errors).toEqual([]);
  });

  it('on a server with a public --public-url: no notice, and the snippets carry the public URL without a warning', async () => {
    const bin = await createBin(published.url, { name: 'deployed' });
    expect(bin.url).toMatch(/^https:\/\/hooks\.example\.com\/h\//);
    const { page, errors } = await openPage(browser, published.url);
    await openBin(page, published.url, bin.id);
    // Wait until the status is known, so "no notice" is a verdict and not an early look.
    await page.locator('[data-testid="bin-header"][data-reachable="true"]').waitFor();
    expect(await page.getByTestId('reachability-notice').count()).toBe(0);
    await page.getByRole('tab', { name: 'Krea' }).click();
    expect(await page.getByTestId('snippet-note').getAttribute('data-unreachable')).toBeNull();
    const code = await page.locator('pre code').innerText();
    expect(code).toMatch(/^curl -X POST https:\/\/api\.krea\.ai/);
    expect(code).toContain(`X-Webhook-URL: ${bin.url}`);
    expect(errors).toEqual([]);
  });
});

describe('LangGraph setup on the bin page', () => {
  it('offers a langgraph.json webhooks block for this bin, the SDK snippets and the 422 in one line', async () => {
    const { bin, page, errors } = await openNewBin(browser, local.url, { name: 'graph' });
    await page.getByRole('tab', { name: 'LangGraph' }).click();
    expect(await page.getByTestId('langgraph-422').innerText()).toMatch(
      /^A 422 when you create the run means the LangGraph server's webhooks\.url policy refused this URL/,
    );
    const pills = await page.getByRole('group', { name: 'Variant' }).getByRole('button').allInnerTexts();
    expect(pills).toEqual(expect.arrayContaining(['Python SDK', 'JS SDK', 'langgraph.json']));
    await page.getByRole('button', { name: 'langgraph.json', exact: true }).click();
    const block = JSON.parse(await page.locator('pre code').innerText());
    expect(block.webhooks.url).toEqual({
      require_https: false,
      allowed_domains: ['127.0.0.1'],
      allowed_ports: [Number(new URL(local.url).port)],
      disable_loopback: false,
    });
    await page.getByRole('button', { name: 'JS SDK', exact: true }).click();
    expect(await page.locator('pre code').innerText()).toContain(`webhook: "${bin.url}"`);
    expect(errors).toEqual([]);
  });
});
