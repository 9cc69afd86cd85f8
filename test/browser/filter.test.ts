// The filter grammar in the inspector: operators on stored and live requests, the hint for an
// unknown operator, and the help dialog listing the grammar.
import { describe, expect, it } from 'vitest';
import { openBin, openPage, rowPaths, useServerAndBrowser } from '../helpers/browser.js';
import { AS_JSON, capture } from '../helpers/capture.js';
import { eventually } from '../helpers/eventually.js';
import { createBin } from '../helpers/server.js';
import { kreaJob } from '../helpers/webhook-bodies.js';

const suite = useServerAndBrowser();

describe('filter box', () => {
  it('filters by job status and header on the server and for live arrivals; hints at unknown operators; the help lists the grammar', async () => {
    const bin = await createBin(suite.srv.url);
    await capture(`${bin.url}/webhooks/ok`, kreaJob('550e8400-e29b-41d4-a716-446655440000', 'completed'), AS_JSON);
    await capture(`${bin.url}/webhooks/bad`, kreaJob('7c9e6679-7425-40de-944b-e07fc1f90ae7', 'failed'), AS_JSON);
    const { page, errors, context } = await openPage(suite.browser, suite.srv.url);
    await openBin(page, suite.srv.url, bin.id);
    const filter = page.getByPlaceholder(/Filter/);
    await filter.fill('status:failed');
    await eventually(async () => (await rowPaths(page)).join() === '/webhooks/bad', 'the failed job only');
    // A live arrival is admitted by the same grammar in the page.
    await capture(`${bin.url}/webhooks/bad2`, kreaJob('3c90c3cc-0d44-4b50-8888-8dd25736052a', 'failed'), AS_JSON);
    await capture(`${bin.url}/webhooks/ok2`, kreaJob('3c90c3cc-0d44-4b50-8888-8dd25736052b', 'completed'), AS_JSON);
    await eventually(async () => (await rowPaths(page)).join() === '/webhooks/bad2,/webhooks/bad', 'the live failed job');
    expect(await page.getByTestId('filter-hint').count()).toBe(0);

    await filter.fill('header:x-kind=special');
    await capture(`${bin.url}/special`, '{}', { headers: { 'content-type': 'application/json', 'X-Kind': 'Special' } });
    await eventually(async () => (await rowPaths(page)).join() === '/special', 'the header match');

    // A typo in an operator: said, not silently nothing.
    await filter.fill('stauts:failed');
    const hint = page.getByTestId('filter-hint');
    await hint.waitFor();
    expect(await hint.innerText()).toContain('“stauts:” is not a filter');
    expect(await hint.innerText()).toContain('status:');
    await filter.fill('valid:maybe');
    await eventually(async () => (await hint.innerText()).includes('“valid:maybe” is not a value'), 'the bad value hint');
    await filter.fill('');
    await hint.waitFor({ state: 'detached' });

    await filter.press('Escape'); // leaves the box, where ? is typed rather than a shortcut
    await page.keyboard.press('?');
    const help = page.getByRole('dialog');
    await help.waitFor();
    for (const word of [
      'status:failed',
      'schema:krea-job',
      'valid:false',
      'has:problems',
      'duplicate:yes',
      'answered:5xx',
      'path:/webhooks/*',
      'header:x-github-event=push',
    ]) {
      expect(await help.innerText()).toContain(word);
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});
