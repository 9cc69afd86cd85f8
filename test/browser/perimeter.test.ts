// Issue 11 items 3 and 7 in a real Chromium: a page on a second local origin (another port on
// 127.0.0.1) tries everything a web page can do against hookscope (a no-cors fetch, a form post,
// a WebSocket, a cross-origin read) and is refused, in the default mode and in public mode with
// a logged-in session; and a DNS rebinding (another name mapped to 127.0.0.1 inside Chromium)
// gets 403 from the inspector and API while capture URLs still answer under it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage } from '../helpers/browser.js';
import { closeInOrder, startServer, type TestServer } from '../helpers/server.js';

const TOKEN = 'browser-perimeter-token-0123456789';
const REBIND_HOST = 'rebind.test';
let browser: Browser;
let foreign: { url: string; close(): Promise<void> };

/** A second local site: every path serves an empty page whose script the test then drives. */
async function startForeignSite(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><meta charset="utf-8"><title>another site</title><iframe name="sink"></iframe>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  browser = await launchBrowser([`--host-resolver-rules=MAP ${REBIND_HOST} 127.0.0.1`]);
  foreign = await startForeignSite();
});
afterAll(() => closeInOrder(browser, foreign));

/** What a hostile page attempts against `target` (run inside the foreign page). */
async function attack(page: Page, target: string, binId: string): Promise<Record<string, string>> {
  return page.evaluate(
    async ({ target, binId }) => {
      const results: Record<string, string> = {};
      const settle = (promise: Promise<Response>) =>
        promise.then(
          (r) => `answered ${r.type} ${r.status}`,
          (e: Error) => `failed ${e.name}`,
        );
      // A "simple" request needs no preflight: text/plain JSON, with cookies.
      results.textPlainPost = await settle(
        fetch(`${target}/api/bins`, { method: 'POST', mode: 'no-cors', credentials: 'include', body: '{"name":"from another site"}' }),
      );
      results.textPlainRecheck = await settle(fetch(`${target}/api/bins/${binId}/recheck`, { method: 'POST', mode: 'no-cors', credentials: 'include' }));
      results.jsonPost = await settle(
        fetch(`${target}/api/bins`, {
          method: 'POST',
          credentials: 'include',
          headers: { 'content-type': 'application/json' },
          body: '{"name":"from another site"}',
        }),
      );
      results.read = await settle(fetch(`${target}/api/bins`, { credentials: 'include' }));
      results.webSocket = await new Promise<string>((resolve) => {
        const ws = new WebSocket(`${target.replace('http', 'ws')}/ws?bin=${binId}`);
        ws.onopen = () => resolve('opened');
        ws.onclose = (event) => resolve(`closed ${event.code}`);
      });
      // A form post, the oldest cross-site request there is, into a frame of this page.
      const frame = document.querySelector('iframe')!;
      results.form = await new Promise<string>((resolve) => {
        frame.onload = () => resolve('submitted');
        const form = document.createElement('form');
        form.method = 'POST';
        form.action = `${target}/api/bins/${binId}`;
        form.target = 'sink';
        form.enctype = 'text/plain';
        const field = document.createElement('input');
        field.name = '{"name":"from a form","x":"';
        field.value = '"}';
        form.append(field);
        document.body.append(form);
        form.submit();
      });
      return results;
    },
    { target, binId },
  );
}

/**
 * A plain context, without openPage's request interception: with interception on, Playwright
 * answers CORS preflights itself, and this test is about what the real browser sends.
 */
async function plainPage(): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext();
  context.setDefaultTimeout(5000);
  return { context, page: await context.newPage() };
}

async function binNames(srv: TestServer, headers: Record<string, string> = {}): Promise<string[]> {
  const list = (await (await fetch(`${srv.url}/api/bins`, { headers })).json()) as { bins: { name: string }[] };
  return list.bins.map((bin) => bin.name);
}

describe('default mode (no token)', () => {
  let srv: TestServer;
  const log: string[] = [];
  beforeAll(async () => {
    srv = await startServer({ accessLog: 'on' }, { log: (line) => log.push(line) });
  });
  afterAll(() => srv?.close());

  it('refuses a page on another local origin: fetch, form post and WebSocket change nothing', async () => {
    const bin = (await (
      await fetch(`${srv.url}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"mine"}' })
    ).json()) as { id: string };
    const { page, context } = await plainPage();
    await page.goto(foreign.url);
    const results = await attack(page, srv.url, bin.id);
    expect(results.textPlainPost).toBe('answered opaque 0'); // sent (the browser hides the answer)…
    expect(results.textPlainRecheck).toBe('answered opaque 0');
    expect(results.jsonPost).toBe('failed TypeError'); // a preflight hookscope does not grant
    expect(results.read).toBe('failed TypeError');
    expect(results.webSocket).toBe('closed 1006');
    expect(results.form).toBe('submitted');
    // …and refused by the server: 403 for each state-changing request that got there (the JSON
    // one never did: its preflight was not granted), before anything happened.
    const changes = log.filter((line) => / (POST|PATCH|PUT|DELETE) \/api\//.test(line)).map((line) => line.split(' ').slice(1, 4).join(' '));
    expect(changes).toEqual(['POST /api/bins 201', 'POST /api/bins 403', `POST /api/bins/${bin.id}/recheck 403`, `POST /api/bins/${bin.id} 403`]);
    expect(await binNames(srv)).toEqual(['mine']);
    expect(srv.server.live.sessionCount(bin.id)).toBe(0);
    await context.close();
  });

  it('still serves its own pages: the same calls from the inspector origin work', async () => {
    const bin = (await (await fetch(`${srv.url}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as {
      id: string;
    };
    const { page, context } = await openPage(browser, srv.url);
    await page.goto(srv.url);
    const own = await page.evaluate(
      async ({ binId }) => {
        const plain = await fetch('/api/bins', { method: 'POST', body: '{"name":"plain"}' });
        const asJson = await fetch('/api/bins', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"own page"}' });
        const socket = await new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://${location.host}/ws?bin=${binId}`);
          ws.onmessage = () => {
            ws.close();
            resolve('hello');
          };
          ws.onclose = (event) => resolve(`closed ${event.code}`);
        });
        return { plain: plain.status, asJson: asJson.status, socket };
      },
      { binId: bin.id },
    );
    expect(own).toEqual({ plain: 415, asJson: 201, socket: 'hello' });
    await context.close();
  });

  it('answers a DNS rebinding name with 403 (page, API, WebSocket) while its capture URLs work', async () => {
    const bin = (await (
      await fetch(`${srv.url}/api/bins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"rebind target"}' })
    ).json()) as { id: string };
    const rebound = `http://${REBIND_HOST}:${new URL(srv.url).port}`;
    const { page, context } = await plainPage();
    const response = await page.goto(`${rebound}/bins/${bin.id}`);
    expect(response?.status()).toBe(403);
    expect(await page.textContent('body')).toMatch(/--allowed-hosts/);
    const fromRebound = await page.evaluate(
      async ({ binId }) => {
        const read = await fetch('/api/bins'); // same-origin for the browser: only the Host check stands in the way
        const write = await fetch('/api/bins', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"rebound"}' });
        const socket = await new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://${location.host}/ws?bin=${binId}`);
          ws.onopen = () => resolve('opened');
          ws.onclose = (event) => resolve(`closed ${event.code}`);
        });
        const capture = await fetch(`/h/${binId}/from-rebound`, { method: 'POST', body: 'hello' });
        return { read: read.status, readBody: await read.text(), write: write.status, socket, capture: capture.status };
      },
      { binId: bin.id },
    );
    expect(fromRebound).toMatchObject({ read: 403, write: 403, socket: 'closed 1006', capture: 200 });
    expect(JSON.parse(fromRebound.readBody).error.code).toBe('host_not_allowed');
    expect(await binNames(srv)).not.toContain('rebound');
    const requests = (await (await fetch(`${srv.url}/api/bins/${bin.id}/requests`)).json()) as { requests: { path: string }[] };
    expect(requests.requests.map((r) => r.path)).toEqual(['/from-rebound']);
    await context.close();
  });
});

describe('public mode (item 7): a same-site page on another port', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startServer({ accessToken: TOKEN, assumePublic: true });
  });
  afterAll(() => srv?.close());

  it('gets the SameSite=Strict cookie sent along, and is refused anyway', async () => {
    const bearer = { authorization: `Bearer ${TOKEN}` };
    const bin = (await (
      await fetch(`${srv.url}/api/bins`, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: '{"name":"mine"}' })
    ).json()) as { id: string; url: string };
    const { page, context } = await plainPage();
    await page.goto(srv.url);
    await page.getByLabel('Access token').fill(TOKEN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${srv.url}/`);
    await page.goto(foreign.url);
    const results = await attack(page, srv.url, bin.id);
    expect(results.webSocket).toBe('closed 1006');
    // The browser did send the session cookie from this sibling page: a capture URL shows it arrived (and was not stored).
    await page.evaluate((url) => fetch(`${url}/from-sibling`, { method: 'POST', mode: 'no-cors', credentials: 'include', body: 'x' }), bin.url);
    const captured = (await (await fetch(`${srv.url}/api/bins/${bin.id}/requests`, { headers: bearer })).json()) as {
      requests: { id: string; path: string }[];
    };
    const sibling = captured.requests.find((r) => r.path === '/from-sibling')!;
    const detail = (await (await fetch(`${srv.url}/api/bins/${bin.id}/requests/${sibling.id}`, { headers: bearer })).json()) as { redacted?: string[] };
    expect(detail.redacted).toEqual(['cookie:hookscope_session']);
    // Yet nothing changed, and the session is still good (a sibling cannot log it out either).
    await page.evaluate((url) => {
      const form = document.createElement('form');
      form.method = 'POST';
      form.action = `${url}/logout`;
      form.target = 'sink';
      document.body.append(form);
      form.submit();
    }, srv.url);
    await page.waitForTimeout(300);
    expect(await binNames(srv, bearer)).toEqual(['mine']);
    expect(srv.server.live.sessionCount(bin.id)).toBe(0);
    await page.goto(srv.url);
    expect(await page.evaluate(async () => (await fetch('/api/bins')).status)).toBe(200);
    await context.close();
  });
});
