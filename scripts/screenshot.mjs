// `npm run screenshot`: refreshes docs/inspector.png, the README's picture of the inspector, from
// the built server: a bin receiving a Krea job and a LangGraph run from the simulator (loopback
// only), opened in Debian's Chromium (HOOKSCOPE_CHROMIUM to use another) at the LangGraph run.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const output = path.join(root, 'docs/inspector.png');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hookscope-screenshot-'));
const cli = path.join(root, 'bin/hookscope.mjs');

const server = spawn(process.execPath, [cli, '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const url = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const listening = /listening on (http:\/\/\S+)/.exec(out);
      if (listening) resolve(listening[1]);
    });
    server.once('exit', (code) => reject(new Error(`hookscope exited ${code} before listening`)));
  });
  const api = async (method, route, body) => {
    const res = await fetch(`${url}${route}`, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const bin = await api('POST', '/api/bins', { name: 'LangGraph agent runs', token: 'lg-demo-token' });
  const send = (...args) =>
    execFileSync(process.execPath, [cli, 'send', `${bin.url}/webhook`, '--token', 'lg-demo-token', '--time-scale', '0.01', ...args], { stdio: 'ignore' });
  send('--kind', 'krea-job', '--state', 'completed');
  send('--kind', 'krea-job', '--state', 'failed');
  send('--kind', 'langgraph-run', '--state', 'success');
  const { requests } = await api('GET', `/api/bins/${bin.id}/requests?limit=1`);

  const browser = await chromium.launch({
    executablePath: process.env.HOOKSCOPE_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    await page.goto(`${url}/bins/${bin.id}/requests/${requests[0].id}`);
    await page.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-request-row]').nth(2).waitFor();
    await page.screenshot({ path: output });
    console.log(`wrote ${path.relative(root, output)}`);
  } finally {
    await browser.close();
  }
} finally {
  // It writes its usage snapshot as it stops: remove the data only after it has exited.
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await exited;
  rmSync(dataDir, { recursive: true, force: true });
}
