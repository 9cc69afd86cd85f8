import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { Config } from '../../server/config.js';
import type { Bin, CreateBinInput } from '../../shared/api-types.js';
import { createBin, useServerWith, type TestServer } from './server.js';

/** Debian's Chromium (`.ci/run` installs it with apt-get); playwright-core ships no browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Screenshots land here (git-ignored, but for the few committed ones: see viewScreenshot). */
export const ARTIFACTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');

/**
 * Headless Chromium with everything that would reach beyond loopback switched off. `extraArgs`
 * adds flags, e.g. `--host-resolver-rules=MAP rebind.test 127.0.0.1` to give a loopback server
 * another name (a DNS rebinding, without any DNS).
 */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

export interface PageOptions {
  colorScheme?: 'light' | 'dark';
  viewport?: { width: number; height: number };
  /** Phone-like: touch and a mobile user agent's viewport handling. */
  mobile?: boolean;
  /** Further origins the page may reach (all on loopback), e.g. a second local site in a cross-origin test. */
  allowOrigins?: string[];
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors, so tests can assert none happened. */
  errors: string[];
  /** Every JavaScript dialog (alert/confirm/prompt) the page tried to open. */
  dialogs: string[];
}

/**
 * A fresh context and page for `baseUrl`: clipboard allowed (copy buttons), only the server
 * under test reachable (any other request is aborted and recorded as an error).
 */
export async function openPage(browser: Browser, baseUrl: string, options: PageOptions = {}): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    isMobile: options.mobile ?? false,
    hasTouch: options.mobile ?? false,
    deviceScaleFactor: options.mobile ? 2 : 1,
  });
  // Fail fast with a message naming the step, well inside the test's own timeout.
  context.setDefaultTimeout(5000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const origins = [baseUrl, ...(options.allowOrigins ?? [])].map((url) => new URL(url).origin);
  const errors: string[] = [];
  const dialogs: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (origins.some((origin) => url.startsWith(origin)) || url.startsWith('data:')) return route.continue();
    errors.push(`blocked request to ${url}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // The browser logs failed socket attempts while the server is down (the reconnect test).
    if (message.type() === 'error' && !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(message.text()))
      errors.push(`console: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { context, page, errors, dialogs };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/**
 * A screenshot of one element, meant to be committed: the same pixels on every run on this
 * machine, so nothing may vary in it. Animations and the caret are stopped; `hide` is selectors
 * (inside `view`) whose text changes per run, such as a time of arrival: made invisible for the
 * shot without moving anything (through the element's style object, which the inspector's CSP allows).
 */
export async function viewScreenshot(view: Locator, name: string, hide: string[] = []): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  const setVisibility = (value: string) =>
    Promise.all(hide.map((selector) => view.locator(selector).evaluateAll((els, v) => els.forEach((el) => ((el as HTMLElement).style.visibility = v)), value)));
  await setVisibility('hidden');
  await view.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  await setVisibility('');
  return file;
}

/** Opens a bin's page and waits until its live stream said hello. */
export async function openBin(page: Page, baseUrl: string, binId: string, requestId?: string): Promise<void> {
  await page.goto(`${baseUrl}/bins/${binId}${requestId ? `/requests/${requestId}` : ''}`);
  await page.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 10_000 });
}

/** A new bin (made with `input`) open in a fresh page (see openPage, openBin): the page is following its live stream. */
export async function openNewBin(browser: Browser, baseUrl: string, input: CreateBinInput = {}, options: PageOptions = {}): Promise<OpenedPage & { bin: Bin }> {
  const bin = await createBin(baseUrl, input);
  const opened = await openPage(browser, baseUrl, options);
  await openBin(opened.page, baseUrl, bin.id);
  return { bin, ...opened };
}

/** The sub-paths of the rendered list rows, top to bottom. */
export function rowPaths(page: Page): Promise<string[]> {
  return page.$$eval('[data-request-row]', (rows) =>
    rows
      .map((row) => ({ top: row.getBoundingClientRect().top, path: row.querySelector('[data-path]')?.getAttribute('data-path') ?? '' }))
      .sort((a, b) => a.top - b.top)
      .map((row) => row.path),
  );
}

/** A browser suite's real server and headless Chromium; read them inside its tests (they start before the first). */
export interface BrowserSuite {
  readonly srv: TestServer;
  readonly browser: Browser;
}

/** The usual browser suite setup: a real server (with `overrides` to its config) and a headless Chromium (see `useServerWith`). */
export function useServerAndBrowser(overrides: Partial<Config> = {}): BrowserSuite {
  let started: { srv: TestServer; browser: Browser } | undefined;
  useServerWith(
    () => launchBrowser(),
    (srv, browser) => (started = { srv, browser }),
    overrides,
  );
  const get = () => {
    if (!started) throw new Error('the browser suite has not started: read srv and browser inside its tests');
    return started;
  };
  return {
    get srv() {
      return get().srv;
    },
    get browser() {
      return get().browser;
    },
  };
}
