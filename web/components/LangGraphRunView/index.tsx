import { IdFact, StatusFact } from '../PayloadFacts/index.js';
import type { RunTiming } from '../../../shared/checks/types.js';
import { errorText, field, isObject, text } from '../../lib/payload-fields.js';
import { RunTimeline } from '../RunTimeline/index.js';
import frame from '../PayloadFacts/style.module.css';
import styles from './style.module.css';

const MAX_MESSAGES = 200;

/**
 * A LangGraph Run as its sender means it: status and ids, a timeline created → started → ended
 * → sent → received with the time between steps (`timing`: the checks' spans, undefined when
 * they did not time it), the error, interrupts, and `values.messages` as a transcript. Everything
 * is shown as text.
 */
export function LangGraphRunView({ run, receivedAt, timing }: { run: unknown; receivedAt: string; timing: RunTiming | undefined }) {
  const status = text(field(run, 'status'));
  const values = field(run, 'values');
  const messages = field(values, 'messages');
  const interrupts = field(values, '__interrupt__');
  const error = field(run, 'error');
  return (
    <div class={frame.view} data-testid="langgraph-view">
      <dl class={frame.facts}>
        <StatusFact status={status} />
        <IdFact label="Run" id={text(field(run, 'run_id'))} />
        <IdFact label="Thread" id={text(field(run, 'thread_id'))}>
          {field(field(run, 'kwargs'), 'temporary') === true && <span class={frame.muted}> (temporary: a stateless run)</span>}
        </IdFact>
        <IdFact label="Assistant" id={text(field(run, 'assistant_id'))} />
      </dl>
      {isObject(run) && <RunTimeline run={run} receivedAt={receivedAt} timing={timing} />}
      {error !== undefined && error !== null && (
        <div role="group" aria-label="Error">
          <h4 class={frame.heading}>Error</h4>
          <pre class={frame.error} data-testid="run-error">
            {errorText(error) || '(empty: a timeout sends an empty error)'}
          </pre>
        </div>
      )}
      {Array.isArray(interrupts) && interrupts.length > 0 && (
        <div role="group" aria-label="Interrupts">
          <h4 class={frame.heading}>Interrupts ({interrupts.length})</h4>
          <ul class={styles.list} data-testid="run-interrupts">
            {interrupts.slice(0, 50).map((interrupt, i) => (
              <li key={i}>
                <pre class={styles.pre}>{display(field(interrupt, 'value') ?? interrupt)}</pre>
              </li>
            ))}
          </ul>
        </div>
      )}
      {Array.isArray(messages) && (
        <div role="group" aria-label="Transcript">
          <h4 class={frame.heading}>
            Transcript ({messages.length} message{messages.length === 1 ? '' : 's'})
          </h4>
          <ol class={styles.transcript} data-testid="transcript">
            {messages.slice(0, MAX_MESSAGES).map((message, i) => (
              <Message key={i} message={message} />
            ))}
          </ol>
          {messages.length > MAX_MESSAGES && <p class={frame.muted}>The first {MAX_MESSAGES} are shown; the JSON tree has them all.</p>}
        </div>
      )}
    </div>
  );
}

/** One message, in LangChain's form ({type: human|ai|tool, content, tool_calls}) or OpenAI's ({role, content, tool_calls[].function}). */
function Message({ message }: { message: unknown }) {
  const role = text(field(message, 'role')) ?? text(field(message, 'type')) ?? 'message';
  const name = text(field(message, 'name'));
  const calls = field(message, 'tool_calls');
  return (
    <li class={styles.message} data-role={role}>
      <div class={styles.role}>
        {role}
        {name !== null && <span class={frame.muted}> · {name}</span>}
      </div>
      <div class={styles.content}>{contentText(field(message, 'content'))}</div>
      {Array.isArray(calls) &&
        calls.slice(0, 20).map((call, i) => {
          const fn = field(call, 'function');
          const callName = text(field(call, 'name')) ?? text(field(fn, 'name')) ?? 'tool';
          const args = field(call, 'args') ?? field(fn, 'arguments');
          return (
            <div key={i} class={styles.call} data-testid="tool-call">
              → <code>{callName}</code>({args === undefined ? '' : display(args)})
            </div>
          );
        })}
    </li>
  );
}

/** Message content: a string, or a list of parts ({type: 'text', text} and others). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content.map((part) => text(field(part, 'text')) ?? (isObject(part) ? `[${text(part.type) ?? 'part'}]` : display(part))).join('\n');
  return content === undefined ? '' : display(content);
}

function display(value: unknown): string {
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value, null, 1);
  return json === undefined ? String(value) : json.length > 4000 ? `${json.slice(0, 4000)}…` : json;
}
