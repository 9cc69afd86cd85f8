// Today's LangGraph Run and Krea job variants (../shared/reference/payloads.md §1, §2, §4):
// valid and broken forms through checkPayload with the real schemas, and the simulator sending
// them to a real bin.
import { describe, expect, it } from 'vitest';
import { checkPayload } from '../../shared/checks/index.js';
import { KREA_STATUSES, LANGGRAPH_STATUSES } from '../../shared/schemas/index.js';
import { validatePayload } from '../../server/checks/validator.js';
import { langGraphRun } from '../../server/simulator/payloads.js';
import { KREA_EXAMPLE } from '../fixtures/payloads/krea-example.mjs';

const RUN = {
  run_id: '1ef6a5b8-4457-6db0-8b15-cffd3797fa04',
  thread_id: '9dde5490-2b67-47c8-aa14-4bfec88af217',
  assistant_id: 'agent',
  status: 'success',
  created_at: '2024-08-30T23:07:38.000000+00:00',
  updated_at: '2024-08-30T23:07:40.120000+00:00',
  run_started_at: '2024-08-30T23:07:38.300000+00:00',
  run_ended_at: '2024-08-30T23:07:40.100000+00:00',
  webhook_sent_at: '2024-08-30T23:07:40.150000+00:00',
  metadata: {},
  kwargs: {},
  values: { messages: [] },
};

const check = (json: unknown, choice: 'auto' | 'langgraph-run' | 'krea-job' = 'auto', receivedAt?: number) =>
  checkPayload({ json, headers: {}, choice, validate: validatePayload, context: receivedAt === undefined ? {} : { receivedAt } });
const codes = (issues: { code: string; path: string }[]) => issues.map((i) => `${i.code} ${i.path}`);

describe('LangGraph Run today', () => {
  it('accepts every status the servers produce, flagging the non-terminal ones', () => {
    for (const status of LANGGRAPH_STATUSES) {
      const result = check({ ...RUN, status, ...(status === 'error' || status === 'timeout' ? { error: 'x' } : {}) });
      expect(codes(result.errors)).toEqual(['pending', 'running', 'rollback'].includes(status) ? ['status.not_terminal /status'] : []);
    }
    expect(codes(check({ ...RUN, status: 'cancelled' }).errors)).toEqual(['schema.enum /status']);
  });

  it('takes error as a string (empty on timeout) or as { error, message }', () => {
    expect(check({ ...RUN, status: 'error', error: 'bad tool args' })).toMatchObject({ valid: true, warnings: [] });
    expect(check({ ...RUN, status: 'error', error: { error: 'ValueError', message: 'bad tool args' } })).toMatchObject({ valid: true, warnings: [] });
    expect(check({ ...RUN, status: 'timeout', error: '' })).toMatchObject({ valid: true, warnings: [] });
    expect(codes(check({ ...RUN, status: 'error', error: 42 }).errors)).toEqual(['schema.type /error']);
    expect(codes(check({ ...RUN, status: 'error', error: null }).warnings)).toEqual(['langgraph.no_error ']);
  });

  it('warns, without an error, about "error": null on a success', () => {
    const result = check({ ...RUN, error: null });
    expect(result.valid).toBe(true);
    expect(result.warnings).toEqual([{ path: '/error', code: 'langgraph.error_null', message: expect.stringContaining('"error": null') }]);
    expect(codes(check({ ...RUN, error: 'boom' }).errors)).toEqual(['langgraph.error_on_success /error']);
  });

  it('accepts a payload trimmed by webhooks.allowed_fields, noting what was left out', () => {
    const trimmed = { run_id: RUN.run_id, thread_id: RUN.thread_id, status: 'success', values: RUN.values };
    const result = check(trimmed);
    expect(result).toMatchObject({ schema: 'langgraph-run', valid: true, errors: [] });
    expect(result.warnings).toEqual([
      { path: '', code: 'langgraph.trimmed', message: expect.stringContaining('assistant_id, created_at, updated_at, metadata, kwargs left out') },
    ]);
    // What is present is still checked.
    expect(codes(check({ ...trimmed, status: 'done' }).errors)).toEqual(['schema.enum /status']);
    // One required field missing is a broken Run, not a trimmed one.
    const { kwargs: _, ...noKwargs } = RUN;
    expect(codes(check(noKwargs).errors)).toEqual(['schema.required ']);
  });

  it('exposes the timing: queued, ran, send delay and delivery', () => {
    const received = Date.parse('2024-08-30T23:07:40.400Z');
    expect(check(RUN, 'auto', received).timing).toEqual({ queuedMs: 300, ranMs: 1800, sendDelayMs: 50, deliveryMs: 250 });
    const { run_started_at: _, ...notStarted } = RUN;
    expect(check(notStarted, 'auto', received).timing).toEqual({ sendDelayMs: 50, deliveryMs: 250 });
    expect(check(KREA_EXAMPLE, 'auto', received).timing).toBeUndefined();
  });

  it('simulator payloads: both error forms and a trimmed payload pass', () => {
    for (const errorForm of ['string', 'object'] as const) {
      for (const state of ['error', 'timeout'] as const) {
        const run = langGraphRun(state, 'python', 'https://my-server.app/hook', Date.now(), { errorForm });
        expect(typeof run.error === 'string').toBe(errorForm === 'string');
        expect(check(run)).toMatchObject({ schema: 'langgraph-run', valid: true, warnings: [] });
      }
    }
    const trimmed = langGraphRun('success', 'js', 'https://my-server.app/hook', Date.now(), { allowedFields: ['run_id', 'thread_id', 'status', 'values'] });
    expect(Object.keys(trimmed).sort()).toEqual(['run_id', 'status', 'thread_id', 'values']);
    expect(check(trimmed)).toMatchObject({ valid: true, warnings: [{ code: 'langgraph.trimmed' }] });
  });
});

describe('Krea job today', () => {
  it('accepts every job state, flagging the non-terminal ones in a webhook', () => {
    for (const status of KREA_STATUSES) {
      const result = check({ ...KREA_EXAMPLE, status, ...(status === 'failed' ? { result: { error: 'x' } } : {}) });
      const terminal = ['completed', 'failed', 'cancelled'].includes(status);
      expect(codes(result.errors)).toEqual(terminal ? [] : ['status.not_terminal /status']);
    }
    expect(codes(check({ ...KREA_EXAMPLE, status: 'done' }).errors)).toEqual(['schema.enum /status']);
  });

  it('accepts result.style_id of a training job as its output', () => {
    expect(check({ ...KREA_EXAMPLE, result: { style_id: 'style_123' } })).toMatchObject({ valid: true, warnings: [] });
    expect(codes(check({ ...KREA_EXAMPLE, result: { style_id: 5 } }).errors)).toEqual(['schema.type /result/style_id']);
  });
});
