import { useState } from 'preact/hooks';
import { RESPONSE_LIMITS, type ResponseRule, type ResponseSettings } from '../../../shared/responses/types.js';
import { generateToken } from '../../lib/token.js';
import type { BinInfo } from '../../lib/types.js';
import { useAction } from '../../lib/use-action.js';
import { FormFooter, Toggle } from '../Field/index.js';
import type { SaveBin } from '../GeneralSettings/index.js';
import { ResponseFields } from '../ResponseFields/index.js';
import { RuleEditor } from '../RuleEditor/index.js';
import styles from './style.module.css';
import { ActionForm } from '../ActionForm/index.js';

/** Rules get their id here, so each keeps its editor while rules are added, moved and removed. */
const newRule = (): ResponseRule => ({ id: `rule-${generateToken().slice(0, 10)}`, match: { methods: ['POST'] }, response: { status: 503 } });

/**
 * How the capture URL answers: the default response, CORS and status-from-path, and the rules
 * (first match wins). A structured editor, with the whole setting as JSON for power users; the
 * server validates either and its message names the field.
 */
export function ResponseSettingsForm({ bin, save }: { bin: BinInfo; save: SaveBin }) {
  const [draft, setDraft] = useState<ResponseSettings>(bin.responses);
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [json, setJson] = useState('');
  const [modeError, setModeError] = useState<string | null>(null);
  // Bumped when the draft is replaced as a whole, so editors holding typed text start over from it.
  const [version, setVersion] = useState(0);
  const parseJson = (): ResponseSettings => {
    try {
      return JSON.parse(json) as ResponseSettings;
    } catch (error) {
      throw new Error(`The JSON does not parse: ${(error as Error).message}`);
    }
  };
  const [state, run] = useAction(async () => {
    const saved = await save({ responses: mode === 'json' ? parseJson() : draft });
    setDraft(saved.responses);
    setVersion((v) => v + 1);
    if (mode === 'json') setJson(JSON.stringify(saved.responses, null, 2));
    return saved;
  });
  const switchMode = (next: 'form' | 'json') => {
    setModeError(null);
    if (next === 'json') setJson(JSON.stringify(draft, null, 2));
    else {
      try {
        setDraft(parseJson());
        setVersion((v) => v + 1);
      } catch (error) {
        return setModeError((error as Error).message);
      }
    }
    setMode(next);
  };
  const setRules = (rules: ResponseRule[]) => setDraft({ ...draft, rules });
  const move = (i: number, delta: number) => {
    const rules = draft.rules.slice();
    [rules[i], rules[i + delta]] = [rules[i + delta]!, rules[i]!];
    setRules(rules);
  };

  return (
    <ActionForm class={styles.form} onRun={run}>
      <div class={styles.modes} role="group" aria-label="Editor">
        <button type="button" aria-pressed={mode === 'form'} onClick={() => switchMode('form')}>
          Form
        </button>
        <button type="button" aria-pressed={mode === 'json'} onClick={() => switchMode('json')}>
          JSON
        </button>
        {modeError && (
          <span role="alert" class={styles.error}>
            {modeError}
          </span>
        )}
      </div>
      {mode === 'json' ? (
        <textarea aria-label="Responses as JSON" rows={18} value={json} spellcheck={false} onInput={(e) => setJson(e.currentTarget.value)} />
      ) : (
        <div class={styles.form} key={version}>
          <fieldset data-testid="default-response">
            <legend>Default response</legend>
            <p class={styles.hint}>When no rule matches. Left empty: 200 with hookscope’s own {'{ "ok": true, "id": … }'}.</p>
            <ResponseFields value={draft.default} maxDelayMs={RESPONSE_LIMITS.defaultMaxDelayMs} onChange={(value) => setDraft({ ...draft, default: value })} />
            <Toggle checked={draft.cors} onChange={(cors) => setDraft({ ...draft, cors })}>
              CORS: answer preflight OPTIONS and add Access-Control-Allow-* headers (for senders in a browser)
            </Toggle>
            <Toggle checked={draft.statusFromPath} onChange={(statusFromPath) => setDraft({ ...draft, statusFromPath })}>
              Status from the path: <code>…/h/&lt;bin&gt;/503</code> answers 503 when no rule matched
            </Toggle>
          </fieldset>
          <section class={styles.rules} aria-label="Rules">
            <h3 class={styles.heading}>
              Rules <span class={styles.hint}>first match wins: fail, throttle or delay chosen requests</span>
            </h3>
            {draft.rules.map((rule, i) => (
              <RuleEditor
                key={rule.id}
                rule={rule}
                defaults={draft.default}
                index={i}
                count={draft.rules.length}
                onChange={(changed) => setRules(draft.rules.map((r, j) => (j === i ? changed : r)))}
                onMove={(delta) => move(i, delta)}
                onRemove={() => setRules(draft.rules.filter((_, j) => j !== i))}
              />
            ))}
            <div>
              <button type="button" onClick={() => setRules([...draft.rules, newRule()])}>
                + Rule
              </button>
            </div>
          </section>
        </div>
      )}
      <FormFooter
        busy={state.busy}
        error={state.error}
        done={state.result && 'Saved: the next requests get these answers.'}
        label="Save responses"
        busyLabel="Saving…"
      />
    </ActionForm>
  );
}
