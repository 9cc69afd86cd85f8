import { randomUUID } from 'node:crypto';
import { SEND_STATES } from '../../shared/send-types.js';

/**
 * Realistic webhook payloads, as Krea and the LangGraph servers send them, with fresh ids and
 * timestamps (see ../shared/reference/payloads.md). Every one passes the built-in schemas.
 */
export type KreaState = 'completed' | 'failed' | 'cancelled';
export type LangGraphState = 'success' | 'error' | 'interrupted' | 'timeout';
/** Which LangGraph server's format: Python (`+00:00`, microseconds) or the JS dev server (`Z`, ms). */
export type LangGraphFlavor = 'python' | 'js';

export const KREA_STATES = SEND_STATES['krea-job'] as readonly KreaState[];
export const LANGGRAPH_STATES = SEND_STATES['langgraph-run'] as readonly LangGraphState[];

export function kreaJob(state: KreaState, now = Date.now()): Record<string, unknown> {
  const jobId = randomUUID();
  const created = new Date(now - 5200).toISOString();
  const completed = new Date(now - 150).toISOString();
  const result =
    state === 'completed' ? { urls: [`https://gen.krea.ai/images/${jobId}.png`] } : state === 'failed' ? { error: 'Content moderation: NSFW detected' } : null;
  return { job_id: jobId, status: state, created_at: created, completed_at: completed, result };
}

/** Variants of today's LangGraph servers (see ../shared/reference/payloads.md §4). */
export interface RunVariant {
  /** `error` as a plain string (older Python servers, the JS server) or `{error, message}` (newer Python servers). */
  errorForm?: 'string' | 'object';
  /** Only these top-level fields are sent (webhooks.allowed_fields). */
  allowedFields?: readonly string[];
}

/**
 * A finished Run. `webhook` is the URL the run was created with (LangGraph echoes it, token
 * included, in kwargs.webhook).
 */
export function langGraphRun(
  state: LangGraphState,
  flavor: LangGraphFlavor,
  webhook: string,
  now = Date.now(),
  variant: RunVariant = {},
): Record<string, unknown> {
  const stamp = flavor === 'python' ? pythonTimestamp : (ms: number) => new Date(ms).toISOString();
  const input = { messages: [{ role: 'user', content: 'Summarise the attached report.' }] };
  const run: Record<string, unknown> = {
    run_id: randomUUID(),
    thread_id: randomUUID(),
    assistant_id: flavor === 'python' ? randomUUID() : 'agent',
    status: state,
    created_at: stamp(now - 4000),
    updated_at: stamp(now - 100),
    run_started_at: stamp(now - 3900),
    run_ended_at: stamp(now - 120),
    webhook_sent_at: stamp(now - 50),
    metadata: { graph_id: 'agent' },
    multitask_strategy: state === 'interrupted' ? 'interrupt' : 'reject',
    kwargs: { input, config: { configurable: {} }, stream_mode: ['values'], webhook },
  };
  const values = { messages: [...input.messages, { role: 'assistant', content: 'Here is the summary…' }] };
  if (state === 'success') run.values = values;
  if (state === 'interrupted' && flavor === 'python') run.values = { messages: input.messages };
  const form = variant.errorForm ?? (flavor === 'python' ? 'string' : 'object');
  if (state === 'error') run.error = form === 'string' ? 'ValueError: bad tool args' : { error: 'ValueError', message: 'bad tool args' };
  if (state === 'timeout') run.error = form === 'string' ? '' : { error: 'TimeoutError', message: 'The run timed out.' };
  if (flavor === 'python' && state !== 'success' && state !== 'interrupted') run.values = null;
  if (!variant.allowedFields) return run;
  const allowed = new Set(variant.allowedFields);
  return Object.fromEntries(Object.entries(run).filter(([key]) => allowed.has(key)));
}

/** Python's isoformat with +00:00 and microseconds (dropped when zero, as Python does). */
function pythonTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // …T23:07:38.242Z
  const micros = `${iso.slice(20, 23)}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
  return `${iso.slice(0, 19)}${micros === '000000' ? '' : `.${micros}`}+00:00`;
}
