import { useState } from 'preact/hooks';
import { RESPONSE_LIMITS, type ResponseRule, type RuleMatch, type ScriptedResponse } from '../../../shared/responses/types.js';
import { parseLooseJson, showLooseJson } from '../../lib/json-value.js';
import { Field, Row, Toggle } from '../Field/index.js';
import { ResponseFields } from '../ResponseFields/index.js';
import styles from './style.module.css';

type Kind = 'response' | 'sequence' | 'failRate';

interface Props {
  rule: ResponseRule;
  /** The bin's default answer (in the draft), which the rule's empty fields show. */
  defaults: ScriptedResponse;
  index: number;
  count: number;
  onChange(rule: ResponseRule): void;
  onMove(delta: -1 | 1): void;
  onRemove(): void;
}

const MAX_DELAY = RESPONSE_LIMITS.ruleMaxDelayMs;

/** The rule with exactly one kind of answer, carrying over what the old kind answered. */
function switchKind(rule: ResponseRule, kind: Kind): ResponseRule {
  const { response, sequence, failRate, ...rest } = rule;
  const first: ScriptedResponse = response ?? sequence?.steps[0]?.response ?? failRate?.response ?? { status: 503 };
  if (kind === 'response') return { ...rest, response: first };
  if (kind === 'sequence') return { ...rest, sequence: { steps: [{ response: first, times: 2 }, { response: { status: 200 } }], loop: false } };
  return { ...rest, failRate: { percent: 30, response: first } };
}

/** One scripted-response rule: what it matches, and a fixed answer, a sequence of steps, or a failure rate. */
export function RuleEditor({ rule, defaults, index, count, onChange, onMove, onRemove }: Props) {
  const kind: Kind = rule.sequence ? 'sequence' : rule.failRate ? 'failRate' : 'response';
  const match = rule.match;
  const setMatch = (patch: Partial<RuleMatch>) => {
    const next = { ...match, ...patch };
    for (const key of Object.keys(next) as (keyof RuleMatch)[]) if (next[key] === undefined) delete next[key];
    onChange({ ...rule, match: next });
  };
  // The JSON value is kept as typed; what it means (string or JSON) is decided on every keystroke.
  const [equals, setEquals] = useState(match.json ? showLooseJson(match.json.equals) : '');
  const pointer = match.json?.pointer ?? '';
  const setJson = (nextPointer: string, text: string) =>
    setMatch({ json: nextPointer || text ? { pointer: nextPointer, equals: parseLooseJson(text) } : undefined });

  return (
    <fieldset class={styles.rule} data-testid="rule">
      <legend>Rule {index + 1}</legend>
      <Row>
        <Field label="Name" hint="optional, shown on requests it answered" grow>
          <input type="text" value={rule.name ?? ''} maxLength={200} onInput={(e) => onChange({ ...rule, name: e.currentTarget.value || undefined })} />
        </Field>
        <div class={styles.tools}>
          <button type="button" data-variant="quiet" aria-label={`Move rule ${index + 1} up`} disabled={index === 0} onClick={() => onMove(-1)}>
            ↑
          </button>
          <button type="button" data-variant="quiet" aria-label={`Move rule ${index + 1} down`} disabled={index === count - 1} onClick={() => onMove(1)}>
            ↓
          </button>
          <button type="button" data-variant="quiet" onClick={onRemove}>
            Remove rule
          </button>
        </div>
      </Row>
      <div class={styles.section}>
        <span class={styles.heading}>
          When a request matches <span class={styles.hint}>(every condition given; none: every request)</span>
        </span>
        <Row>
          <Field label="Methods" hint="e.g. POST, PUT">
            <input
              type="text"
              value={(match.methods ?? []).join(', ')}
              spellcheck={false}
              onInput={(e) => {
                const methods = e.currentTarget.value
                  .split(/[\s,]+/)
                  .filter(Boolean)
                  .map((m) => m.toUpperCase());
                setMatch({ methods: methods.length ? methods : undefined });
              }}
            />
          </Field>
          <Field label="Sub-path" hint="glob: * one segment, ** any" grow>
            <input
              type="text"
              value={match.path ?? ''}
              placeholder="/krea/**"
              spellcheck={false}
              onInput={(e) => setMatch({ path: e.currentTarget.value || undefined })}
            />
          </Field>
        </Row>
        <Row>
          <Field label="Header name">
            <input
              type="text"
              value={match.header?.name ?? ''}
              spellcheck={false}
              onInput={(e) => {
                const name = e.currentTarget.value;
                setMatch({ header: name ? { ...match.header, name } : undefined });
              }}
            />
          </Field>
          <Field label="Header value" hint="empty: just present" grow>
            <input
              type="text"
              value={match.header?.value ?? ''}
              disabled={!match.header}
              spellcheck={false}
              onInput={(e) => setMatch({ header: { name: match.header!.name, ...(e.currentTarget.value ? { value: e.currentTarget.value } : {}) } })}
            />
          </Field>
        </Row>
        <Row>
          <Field label="JSON field" hint="a JSON Pointer">
            <input type="text" value={pointer} placeholder="/status" spellcheck={false} onInput={(e) => setJson(e.currentTarget.value, equals)} />
          </Field>
          <Field label="equals" hint="a JSON value; plain text is a string" grow>
            <input
              type="text"
              value={equals}
              placeholder="failed"
              spellcheck={false}
              onInput={(e) => {
                setEquals(e.currentTarget.value);
                setJson(pointer, e.currentTarget.value);
              }}
            />
          </Field>
        </Row>
      </div>
      <div class={styles.section}>
        <Field label="Answer with">
          <select value={kind} onChange={(e) => onChange(switchKind(rule, e.currentTarget.value as Kind))}>
            <option value="response">a fixed response</option>
            <option value="sequence">a sequence of responses</option>
            <option value="failRate">failures at a rate</option>
          </select>
        </Field>
        {rule.response && (
          <ResponseFields value={rule.response} fallback={defaults} maxDelayMs={MAX_DELAY} onChange={(response) => onChange({ ...rule, response })} />
        )}
        {rule.sequence && <Sequence rule={rule} defaults={defaults} onChange={onChange} />}
        {rule.failRate && (
          <>
            <Field label="Failure rate (%)" hint="of matching requests get this answer; the others the default">
              <input
                type="number"
                min={0}
                max={100}
                value={rule.failRate.percent}
                onInput={(e) => onChange({ ...rule, failRate: { ...rule.failRate!, percent: Number(e.currentTarget.value) } })}
              />
            </Field>
            <ResponseFields
              value={rule.failRate.response}
              fallback={defaults}
              maxDelayMs={MAX_DELAY}
              onChange={(response) => onChange({ ...rule, failRate: { ...rule.failRate!, response } })}
            />
          </>
        )}
      </div>
    </fieldset>
  );
}

/** Steps in order, each answering its next `times` matching requests; then the last repeats, or all start over. */
function Sequence({ rule, defaults, onChange }: { rule: ResponseRule; defaults: ScriptedResponse; onChange(rule: ResponseRule): void }) {
  const sequence = rule.sequence!;
  const setSteps = (steps: typeof sequence.steps) => onChange({ ...rule, sequence: { ...sequence, steps } });
  return (
    <div class={styles.steps}>
      <ol class={styles.stepList}>
        {sequence.steps.map((step, i) => (
          <li key={i} class={styles.step}>
            <Row>
              <span class={styles.heading}>Step {i + 1}</span>
              <Field label="for the next … requests">
                <input
                  type="number"
                  min={1}
                  value={step.times ?? 1}
                  onInput={(e) => setSteps(sequence.steps.map((s, j) => (j === i ? { ...s, times: Number(e.currentTarget.value) || 1 } : s)))}
                />
              </Field>
            </Row>
            <ResponseFields
              value={step.response}
              fallback={defaults}
              maxDelayMs={MAX_DELAY}
              onChange={(response) => setSteps(sequence.steps.map((s, j) => (j === i ? { ...s, response } : s)))}
            />
          </li>
        ))}
      </ol>
      <Row>
        <button type="button" onClick={() => setSteps([...sequence.steps, { response: { status: 200 } }])}>
          + Step
        </button>
        <button type="button" disabled={sequence.steps.length <= 1} onClick={() => setSteps(sequence.steps.slice(0, -1))}>
          Remove last step
        </button>
        <Toggle checked={sequence.loop ?? false} onChange={(loop) => onChange({ ...rule, sequence: { ...sequence, loop } })}>
          Start over after the last step (else the last one repeats)
        </Toggle>
      </Row>
    </div>
  );
}
