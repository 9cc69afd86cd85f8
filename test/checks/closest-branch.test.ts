// Schema errors that point: a failed oneOf / anyOf is reported as its closest branch's errors, at
// their real JSON Pointers, against synthetic schemas and GitHub's published schemas.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { compileCustomSchema, type CompiledSchema } from '../../server/checks/validator.js';
import { pickedPointer } from '../../shared/checks/index.js';

const require = createRequire(import.meta.url);

function compile(schema: unknown): Extract<CompiledSchema, { ok: true }> {
  const compiled = compileCustomSchema(schema);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled;
}

const ISSUE_EVENT = {
  definitions: {
    user: { type: 'object', required: ['login'], properties: { login: { type: 'string' } } },
    opened: {
      type: 'object',
      required: ['action', 'issue'],
      properties: {
        action: { type: 'string', enum: ['opened'] },
        issue: { type: 'object', required: ['number', 'user'], properties: { number: { type: 'integer' }, user: { $ref: '#/definitions/user' } } },
      },
    },
    closed: {
      type: 'object',
      required: ['action', 'issue', 'closed_by'],
      properties: {
        action: { const: 'closed' },
        issue: { type: 'object', properties: { number: { type: 'integer' } } },
        closed_by: { $ref: '#/definitions/user' },
      },
    },
  },
  oneOf: [{ $ref: '#/definitions/opened' }, { $ref: '#/definitions/closed' }],
};

describe('closest branch of a oneOf', () => {
  const schema = compile(ISSUE_EVENT);

  it('reports the branch whose discriminator matches (action), at the mutated fields', () => {
    expect(schema.validate({ action: 'opened', issue: { number: 'seven', user: { login: 5 } } })).toEqual([
      { path: '/issue/number', code: 'schema.type', message: '"issue.number" must be an integer (got "seven").' },
      { path: '/issue/user/login', code: 'schema.type', message: '"issue.user.login" must be a string (got 5).' },
    ]);
    expect(schema.validate({ action: 'closed', issue: { number: 1 } })).toEqual([
      { path: '', code: 'schema.required', message: 'Missing required field "closed_by".' },
    ]);
  });

  it('takes the branch with the fewest errors when no discriminator matches', () => {
    const issues = schema.validate({ action: 'reopened', issue: { number: 1, user: { login: 'a' } } });
    expect(issues).toEqual([{ path: '/action', code: 'schema.enum', message: '"action" must be one of opened (got "reopened").' }]);
  });

  it('points inside an anyOf below the root the same way', () => {
    const inner = compile({
      type: 'object',
      properties: { event: { anyOf: [{ type: 'string' }, { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } }] } },
    });
    expect(inner.validate({ event: { id: 'x' } })).toEqual([{ path: '/event/id', code: 'schema.type', message: '"event.id" must be an integer (got "x").' }]);
  });

  it('still says when a value matches more than one branch of a oneOf', () => {
    const both = compile({ oneOf: [{ type: 'integer' }, { type: 'number' }] });
    expect(both.validate(1)).toEqual([
      { path: '', code: 'schema.oneOf', message: 'The payload matches more than one of the allowed forms; exactly one is required.' },
    ]);
  });

  it('validates against the subschema a header picks, and says when there is none', () => {
    const byHeader = { header: 'X-Issue-Action', pointer: '#/definitions/{value}' };
    expect(pickedPointer(byHeader, { 'x-issue-action': 'closed' })).toBe('/definitions/closed');
    expect(pickedPointer(byHeader, { 'x-issue-action': '../x' })).toBeUndefined();
    expect(pickedPointer(byHeader, {})).toBeUndefined();
    expect(schema.validateAt({ action: 'opened', issue: { number: 1 } }, '/definitions/closed')).toEqual([
      { path: '', code: 'schema.required', message: 'Missing required field "closed_by".' },
      { path: '/action', code: 'schema.const', message: '"action" must be "closed" (got "opened").' },
    ]);
    expect(schema.validateAt({}, '/definitions/nothing')).toBeUndefined();
  });
});

describe("GitHub's published schemas (@octokit/webhooks-schemas, examples from @octokit/webhooks-examples)", () => {
  const raw = structuredClone(require('@octokit/webhooks-schemas')) as Record<string, unknown>;
  delete raw.$schema; // draft-07 by declaration; its keywords read the same in 2020-12
  const examples = require('@octokit/webhooks-examples') as { name: string; examples: Record<string, any>[] }[];
  // Some published examples are older than the schema: take the first of the action that it accepts.
  const example = (event: string, action: string) =>
    structuredClone(
      examples.find((e) => e.name === event)!.examples.find((x) => x.action === action && github.validateAt(x, `/definitions/${event}_event`)?.length === 0)!,
    );

  // 13 mutated fields in 7 events: [event, action, pointer of the field, mutation]
  const CASES: [string, string, string, (payload: any) => void][] = [
    ['issues', 'opened', '/issue/number', (p) => (p.issue.number = 'seven')],
    ['issues', 'opened', '/issue/user/login', (p) => (p.issue.user.login = 42)],
    ['issues', 'labeled', '/label/color', (p) => (p.label.color = null)],
    ['issues', 'edited', '/issue/title', (p) => (p.issue.title = 3)],
    ['issues', 'opened', '/repository/private', (p) => (p.repository.private = 'no')],
    ['pull_request', 'opened', '/pull_request/number', (p) => (p.pull_request.number = '1')],
    ['pull_request', 'opened', '/pull_request/head/sha', (p) => (p.pull_request.head.sha = 1)],
    ['pull_request', 'closed', '/pull_request/merged', (p) => (p.pull_request.merged = 'yes')],
    ['issue_comment', 'created', '/comment/body', (p) => (p.comment.body = 12)],
    ['release', 'published', '/release/tag_name', (p) => (p.release.tag_name = false)],
    ['star', 'created', '/starred_at', (p) => (p.starred_at = 5)],
    ['label', 'created', '/label/name', (p) => (p.label.name = [])],
    ['watch', 'started', '/sender/id', (p) => (p.sender.id = 'me')],
  ];
  let github: Extract<CompiledSchema, { ok: true }>;

  it('accepts the whole schema (~400 KB) as a custom schema', () => {
    expect(JSON.stringify(raw).length).toBeGreaterThan(256 * 1024);
    github = compile(raw);
  }, 180_000);

  it.each(CASES)(
    '%s %s: a mutated %s is reported at its pointer, by header and from the root',
    (event, action, pointer, mutate) => {
      const payload = example(event, action);
      expect(github.validateAt(payload, `/definitions/${event}_event`)).toEqual([]);
      mutate(payload);
      const byHeader = github.validateAt(payload, `/definitions/${event}_event`)!;
      // Every issue is at the mutated field (an allOf can say it twice: "a boolean or null", "a boolean").
      expect(byHeader.length).toBeGreaterThan(0);
      expect(new Set(byHeader.map((i) => i.path))).toEqual(new Set([pointer]));
      expect(byHeader[0]!.code).not.toMatch(/oneOf|anyOf/);
      // Without the header, from the root oneOf of every event: the same place.
      expect(github.validate(payload).map((i) => i.path)).toContain(pointer);
    },
    60_000,
  );
});
