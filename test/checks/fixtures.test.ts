// Every payload fixture through the whole check (real ajv validator, semantic checks), by the
// bin's explicit choice and by 'auto': each must get exactly its expected verdict.
import { describe, expect, it } from 'vitest';
import { checkPayload, type CheckIssue, type SchemaChoice } from '../../shared/checks/index.js';
import { validatePayload } from '../../server/checks/validator.js';
import {
  FIXTURE_GROUPS,
  KREA_VALID,
  LANGGRAPH_VALID,
  LANGGRAPH_WEBHOOK,
  retarget,
  type ExpectedIssue,
  type PayloadFixture,
} from '../fixtures/payloads/index.js';

function check(fixture: PayloadFixture, choice: SchemaChoice, receivedUrl = LANGGRAPH_WEBHOOK) {
  return checkPayload({
    json: JSON.parse(fixture.body),
    headers: { 'content-type': 'application/json' },
    choice,
    validate: validatePayload,
    context: { receivedUrl, ...(fixture.expectedIds ? { expectedIds: fixture.expectedIds } : {}) },
  });
}

const codes = (issues: readonly (CheckIssue | ExpectedIssue)[]) => issues.map((i) => `${i.code} @ ${i.path === '' ? '(root)' : i.path}`).sort();

describe.each(FIXTURE_GROUPS)('%s', (_, fixtures) => {
  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    for (const choice of [fixture.kind, 'auto'] as const) {
      const result = check(fixture, choice);
      if (choice === 'auto' && fixture.autoDetects === false) {
        expect(result).toMatchObject({ schema: null, valid: true, errors: [], warnings: [] });
        continue;
      }
      expect(result.schema, choice).toBe(fixture.kind);
      expect(codes(result.errors), `errors with ${choice}`).toEqual(codes(fixture.errors));
      expect(codes(result.warnings), `warnings with ${choice}`).toEqual(codes(fixture.warnings));
      expect(result.valid).toBe(fixture.errors.length === 0);
      for (const issue of [...result.errors, ...result.warnings]) expect(issue.message.length).toBeGreaterThan(20);
    }
  });
});

describe('fixture coverage', () => {
  it('has a valid fixture for every terminal state of both payloads', () => {
    const statuses = (fixtures: PayloadFixture[]) => new Set(fixtures.map((f) => (JSON.parse(f.body) as { status: string }).status));
    expect([...statuses(KREA_VALID)].sort()).toEqual(['cancelled', 'completed', 'failed']);
    expect([...statuses(LANGGRAPH_VALID)].sort()).toEqual(['error', 'interrupted', 'success', 'timeout']);
  });

  it('keeps a valid Run valid when it is re-aimed at another capture URL', () => {
    const url = 'http://127.0.0.1:41234/h/0b5e7a53-3c2f-4d7e-9a51-6f1c2b3d4e5f/langgraph?token=s3cret';
    for (const fixture of LANGGRAPH_VALID) {
      const result = check(retarget(fixture, url), 'langgraph-run', url);
      expect(codes([...result.errors, ...result.warnings]), fixture.name).toEqual([]);
    }
  });
});
