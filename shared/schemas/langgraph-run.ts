/**
 * JSON Schema (draft 2020-12) of the LangGraph Run object that a LangGraph / LangSmith deployment
 * POSTs to the `webhook` URL of a run or cron when the run ends. Written from
 * ../shared/reference/payloads.md §2.
 *
 * The Python and JS servers and the docs disagree in places, so this accepts each of their forms:
 * dates with microseconds and `+00:00` or milliseconds and `Z`; `error` as a string (empty on
 * timeout) or a `{error, message}` object; `assistant_id` as a graph name or a UUID; `values`
 * null or absent. `kwargs` holds the run's creation parameters as the server stored them, which
 * the Python server fills with nulls for everything not given, so each of its fields is nullable.
 */

/** Every run status the servers can produce; only some are terminal (see semantic.ts). */
export const LANGGRAPH_STATUSES = ['pending', 'running', 'error', 'success', 'timeout', 'interrupted', 'rollback'] as const;

export type LangGraphStatus = (typeof LANGGRAPH_STATUSES)[number];

const uuid = (description: string) => ({ type: 'string', format: 'uuid', description }) as const;
const dateTime = (description: string) => ({ type: 'string', format: 'date-time', description }) as const;
const stringList = (description: string) => ({ type: ['string', 'array', 'null'], items: { type: 'string' }, description }) as const;
const flag = (description: string) => ({ type: ['boolean', 'null'], description }) as const;

const kwargs = {
  type: 'object',
  description: 'The parameters the run was created with. Open: newer servers add keys.',
  properties: {
    input: { description: 'The run input, any JSON.' },
    config: { type: ['object', 'null'], description: 'Run config (configurable, tags, recursion_limit, …).' },
    context: { type: ['object', 'null'], description: 'Static run context.' },
    command: { type: ['object', 'null'], description: 'A resume / goto command.' },
    stream_mode: stringList('Stream mode or modes.'),
    interrupt_before: stringList('"*" or the nodes to interrupt before.'),
    interrupt_after: stringList('"*" or the nodes to interrupt after.'),
    webhook: {
      type: ['string', 'null'],
      format: 'uri',
      description: 'The webhook URL the run was given, token included: it should be the URL that received this request.',
    },
    feedback_keys: { type: ['array', 'null'], items: { type: 'string' }, description: 'Feedback keys for LangSmith.' },
    temporary: flag('True for a stateless run on a temporary thread.'),
    subgraphs: flag('Whether subgraph events were streamed.'),
    resumable: flag('Whether the stream can be resumed.'),
    checkpoint_during: flag('Whether checkpoints were written during the run.'),
    durability: { type: ['string', 'null'], description: 'Checkpoint durability mode.' },
  },
} as const;

export const langGraphRunSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:hookscope:schema:langgraph-run',
  title: 'LangGraph Run',
  description: 'The Run object a LangGraph deployment POSTs to the webhook URL of a run or cron when the run ends.',
  type: 'object',
  required: ['run_id', 'thread_id', 'assistant_id', 'created_at', 'updated_at', 'status', 'metadata', 'kwargs'],
  properties: {
    run_id: uuid('The run id.'),
    thread_id: uuid('The thread the run ran on; stateless runs get a temporary thread.'),
    assistant_id: { type: 'string', description: 'A UUID per the OpenAPI, or a graph name such as "agent" as in the docs.' },
    created_at: dateTime('When the run was created (e.g. 2024-08-30T23:07:38.242730+00:00 or …38.242Z).'),
    updated_at: dateTime('When the run last changed.'),
    status: {
      type: 'string',
      enum: LANGGRAPH_STATUSES,
      description: 'Run status; webhooks carry the terminal ones: success, error, timeout, interrupted.',
    },
    metadata: { type: 'object', description: 'Run metadata. Open.' },
    multitask_strategy: {
      type: ['string', 'null'],
      enum: ['reject', 'rollback', 'interrupt', 'enqueue', null],
      description: 'What happens to a new run on a busy thread.',
    },
    kwargs,
    run_started_at: dateTime('When the run started executing (webhook only).'),
    run_ended_at: dateTime('When the run ended (webhook only; omitted if it did not end).'),
    webhook_sent_at: dateTime('When the webhook was sent (webhook only).'),
    values: { type: ['object', 'null'], description: 'Final state of a stateful run; null or absent when there is none.' },
    error: {
      type: ['string', 'object', 'null'],
      description: 'Why the run failed: a string (empty on timeout) or {error, message}. Absent on success (null from some serialisers: a warning).',
    },
  },
} as const;
