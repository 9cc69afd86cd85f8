// One bin checks a whole provider: GitHub's published schema (~400 KB) as the bin's custom
// schema, each delivery checked against the event its X-GitHub-Event header names.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../shared/checks/types.js';
import { getJson, startServer, type TestServer } from './helpers/server.js';

const require = createRequire(import.meta.url);
let srv: TestServer;
beforeAll(async () => {
  // The whole schema's root oneOf (344 events) is slow to fail on a loaded machine: a budget for that, not a timing goal.
  srv = await startServer({}, { checks: { budgetMs: 30_000 } });
});
afterAll(() => srv.close());

const schema = structuredClone(require('@octokit/webhooks-schemas')) as Record<string, unknown>;
delete schema.$schema;
const examples = require('@octokit/webhooks-examples') as { name: string; examples: Record<string, any>[] }[];

async function send(binId: string, body: unknown, event?: string): Promise<CheckResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(event ? { 'x-github-event': event } : {}) };
  const res = await fetch(`${srv.url}/h/${binId}`, { method: 'POST', body: JSON.stringify(body), headers });
  const { id } = (await res.json()) as { id: string };
  return (await getJson(`${srv.url}/api/bins/${binId}/requests/${id}`)).body.checks as CheckResult;
}

describe('schema by header', () => {
  it('checks each GitHub delivery against its event, with errors at the mutated field', async () => {
    const res = await fetch(`${srv.url}/api/bins`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ schema: { custom: schema, byHeader: { header: 'X-GitHub-Event', pointer: '#/definitions/{value}_event' } } }),
    });
    expect(res.status).toBe(201);
    const bin = (await res.json()) as { id: string; schema: { byHeader: unknown } };
    expect(bin.schema.byHeader).toEqual({ header: 'X-GitHub-Event', pointer: '#/definitions/{value}_event' });

    // Some published examples are older than the schema: the first 'created' one it accepts.
    let star: Record<string, any> | undefined;
    for (const candidate of examples.find((e) => e.name === 'star')!.examples.filter((x) => x.action === 'created')) {
      if ((await send(bin.id, candidate, 'star')).valid) star = structuredClone(candidate);
    }
    expect(star).toBeDefined();
    expect(await send(bin.id, star, 'star')).toMatchObject({ schema: 'custom', valid: true, errors: [] });
    star!.starred_at = 5;
    const broken = await send(bin.id, star, 'star');
    expect(broken.valid).toBe(false);
    expect(broken.errors.map((e) => e.path)).toEqual(['/starred_at']);
  }, 240_000);

  it('checks against the whole schema, with a warning, when the header names nothing in it', async () => {
    // A small schema: GitHub's whole root (344 events) takes seconds to fail on a loaded machine.
    const custom = {
      definitions: { ping_event: { type: 'object', required: ['zen'], properties: { zen: { type: 'string' } } } },
      type: 'object',
      required: ['hook_id'],
    };
    const res = await fetch(`${srv.url}/api/bins`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ schema: { custom, byHeader: { header: 'x-github-event', pointer: '#/definitions/{value}_event' } } }),
    });
    const bin = (await res.json()) as { id: string };
    expect(await send(bin.id, { zen: 'Keep it logically awesome.' }, 'ping')).toMatchObject({ valid: true, errors: [], warnings: [] });
    expect((await send(bin.id, { zen: 5 }, 'ping')).errors.map((e) => e.path)).toEqual(['/zen']);
    const unknown = await send(bin.id, { zen: 'Keep it logically awesome.' }, 'no_such');
    expect(unknown.warnings[0]).toMatchObject({ code: 'schema.no_subschema', message: expect.stringContaining('#/definitions/no_such_event') });
    expect(unknown.errors).toEqual([{ path: '', code: 'schema.required', message: 'Missing required field "hook_id".' }]);
    // Without the header: the whole schema.
    expect((await send(bin.id, { hook_id: 1 })).valid).toBe(true);
  });

  it('refuses a schema over 1 MiB and a malformed byHeader with 400', async () => {
    const huge = { type: 'object', description: 'x'.repeat(1024 * 1024 + 10) };
    const tooLarge = await fetch(`${srv.url}/api/bins`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ schema: { custom: huge } }),
    });
    expect(tooLarge.status).toBe(400);
    expect((await tooLarge.json()).error.message).toContain('over 1024 KiB');
    const bad = await fetch(`${srv.url}/api/bins`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ schema: { custom: {}, byHeader: { header: 'x-e', pointer: '#/definitions/x' } } }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain('"byHeader"');
  });
});
