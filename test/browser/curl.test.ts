import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CapturedRequest } from '../../shared/api-types.js';
import { openBin, openPage, useServerAndBrowser } from '../helpers/browser.js';
import { rawRequest } from '../helpers/raw-http.js';
import { createBin, getJson } from '../helpers/server.js';

const suite = useServerAndBrowser();

interface Case {
  name: string;
  method: string;
  /** After /h/<binId>. */
  target: string;
  headers: string[];
  body?: Buffer;
  /** A fragment the command must contain (which body strategy was used). */
  expect: string;
}

const NASTY_TEXT = `{"msg":"it's \\"quoted\\" $HOME \`whoami\` !event \\\\ back\\nline\\ttab é 日本 🎉","x":'single'}\n`;

const CASES: Case[] = [
  {
    name: 'UTF-8 JSON with quotes, $, backticks and repeated, empty and lower-case headers',
    method: 'POST',
    target: '/krea/done?x=1&x=2&y=a%20b&arr[]=1&token=t%27k',
    headers: ['Content-Type', 'application/json', 'X-Multi', 'one', 'x-lower', 'v', 'X-Empty', '', 'X-Multi', 'two', 'X-Quote', `it's "q" $HOME`],
    body: Buffer.from(NASTY_TEXT),
    expect: '--data-binary ',
  },
  {
    name: 'binary bytes (NUL, 0xff, quotes, newlines)',
    method: 'PUT',
    target: '/bin',
    headers: ['User-Agent', 'sender/1.0', 'Accept', 'application/json', 'Content-Type', 'application/octet-stream'],
    body: Buffer.concat([Buffer.from([0x00, 0xff, 0x27, 0x0a, 0x0d, 0x22, 0x5c, 0x80]), randomBytes(2000)]),
    expect: 'base64 -d',
  },
  {
    name: 'text starting with @ (never read as a file name)',
    method: 'POST',
    target: '/at',
    headers: ['Content-Type', 'text/plain'],
    body: Buffer.from('@/etc/passwd'),
    expect: '--data-raw ',
  },
  {
    name: 'UTF-8 text holding a NUL byte',
    method: 'PATCH',
    target: '/nul',
    headers: ['Content-Type', 'text/plain; charset=utf-8'],
    body: Buffer.from('a\u0000b ünïcode'),
    expect: 'base64 -d',
  },
  {
    name: 'GET without a body, with an Authorization header and a dot-segment path',
    method: 'GET',
    target: '/a/./b/../c?q=%E2%9C%93',
    headers: ['Authorization', 'Bearer abc.def', 'Accept', '*/*', 'User-Agent', 'langgraph-api'],
    expect: '--path-as-is',
  },
  {
    name: 'DELETE without a body',
    method: 'DELETE',
    target: '/gone',
    headers: ['X-Reason', 'cleanup'],
    expect: '-X DELETE',
  },
  {
    name: 'a 1.5 MB body, truncated in the detail view, piped from the raw body endpoint',
    method: 'POST',
    target: '/big',
    headers: ['Content-Type', 'application/json'],
    body: Buffer.from(JSON.stringify({ data: 'x'.repeat(1536 * 1024) })),
    expect: '/body | curl',
  },
];

/** Headers that describe the connection or that curl derives (compared elsewhere: the body). */
const CONNECTION_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding']);

function comparableHeaders(request: CapturedRequest): [string, string][] {
  return request.rawHeaders.filter(([name]) => !CONNECTION_HEADERS.has(name.toLowerCase()));
}

async function bodyOf(binId: string, requestId: string): Promise<Buffer> {
  return Buffer.from(await (await fetch(`${suite.srv.url}/api/bins/${binId}/requests/${requestId}/body`)).arrayBuffer());
}

function run(command: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('sh', ['-c', command], { timeout: 20_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve({ stdout, stderr }),
    );
  });
}

describe('copy as curl', () => {
  for (const testCase of CASES) {
    it(`reproduces ${testCase.name} exactly`, async () => {
      const bin = await createBin(suite.srv.url);
      const sent = await rawRequest(suite.srv.url, {
        method: testCase.method,
        path: `/h/${bin.id}${testCase.target}`,
        headers: testCase.headers,
        ...(testCase.body ? { body: testCase.body } : {}),
      });
      expect(sent.status).toBe(200);
      const originalId = sent.headers['x-hookscope-request-id'] as string;

      const { page, errors, context } = await openPage(suite.browser, suite.srv.url);
      await openBin(page, suite.srv.url, bin.id, originalId);
      const detail = page.getByTestId('request-detail');
      await detail.getByRole('button', { name: 'Copy as curl' }).click();
      await detail.getByRole('button', { name: 'Copied ✓' }).waitFor();
      const command = await page.evaluate(() => navigator.clipboard.readText());
      await detail.getByText('As curl').click();
      expect(await detail.getByLabel('curl command', { exact: true }).innerText()).toBe(command);
      expect(errors).toEqual([]);
      await context.close();

      expect(command).toContain(testCase.expect);
      // Loopback only: every URL in the command is the server under test.
      const urls = command.match(/https?:\/\/[^\s'"]+/g) ?? [];
      expect(urls.length).toBeGreaterThan(0);
      for (const url of urls) expect(new URL(url).host).toBe(new URL(suite.srv.url).host);

      await run(command);
      const { body: page1 } = await getJson<{ requests: { id: string }[] }>(`${suite.srv.url}/api/bins/${bin.id}/requests`);
      expect(page1.requests).toHaveLength(2);
      const replayId = page1.requests[0]!.id;
      expect(replayId).not.toBe(originalId);
      const [original, replay] = await Promise.all(
        [originalId, replayId].map(async (id) => (await getJson<CapturedRequest>(`${suite.srv.url}/api/bins/${bin.id}/requests/${id}?bodyLimit=0`)).body),
      );
      expect(replay!.method).toBe(original!.method);
      expect(replay!.path).toBe(original!.path);
      expect(replay!.queryString).toBe(original!.queryString);
      expect(comparableHeaders(replay!)).toEqual(comparableHeaders(original!));
      expect(replay!.size).toBe(original!.size);
      const [originalBody, replayBody] = await Promise.all([bodyOf(bin.id, originalId), bodyOf(bin.id, replayId)]);
      expect(replayBody.equals(originalBody)).toBe(true);
      if (testCase.body) expect(originalBody.equals(testCase.body)).toBe(true);
    });
  }
});
