import { useState } from 'preact/hooks';
import type { ForwardSetting } from '../../../shared/api-types.js';
import type { BinInfo } from '../../lib/types.js';
import { useAction } from '../../lib/use-action.js';
import { Choice, Field, FormFooter, Row, Toggle, TargetUrlInput } from '../Field/index.js';
import type { SaveBin } from '../GeneralSettings/index.js';
import styles from './style.module.css';
import { ActionForm } from '../ActionForm/index.js';

type RetryKind = 'none' | 'langgraph' | 'custom';

/** Auto-forward: every capture is sent on to a target, with a sender-like retry policy or as a transparent pass-through. */
export function ForwardSettings({ bin, save }: { bin: BinInfo; save: SaveBin }) {
  const current = bin.forward;
  const custom = typeof current?.retry === 'object' ? current.retry : { attempts: 3, baseDelayMs: 1000, maxDelayMs: 10_000 };
  const [enabled, setEnabled] = useState(current !== null);
  const [target, setTarget] = useState(current?.target ?? '');
  const [retry, setRetry] = useState<RetryKind>(current?.retry === 'langgraph' ? 'langgraph' : current?.retry ? 'custom' : 'none');
  const [attempts, setAttempts] = useState(String(custom.attempts));
  const [baseDelay, setBaseDelay] = useState(String(custom.baseDelayMs));
  const [maxDelay, setMaxDelay] = useState(String(custom.maxDelayMs));
  const [respond, setRespond] = useState(current?.respond ?? 'hookscope');
  const [appendPath, setAppendPath] = useState(current?.appendPath ?? false);
  const [timeoutMs, setTimeoutMs] = useState(String(current?.timeoutMs ?? 30_000));
  const passThrough = respond === 'forward';

  const [state, run] = useAction(() => {
    if (!enabled) return save({ forward: null });
    const forward: ForwardSetting = { target: target.trim(), respond, appendPath, timeoutMs: Number(timeoutMs) };
    if (!passThrough && retry === 'langgraph') forward.retry = 'langgraph';
    if (!passThrough && retry === 'custom') forward.retry = { attempts: Number(attempts), baseDelayMs: Number(baseDelay), maxDelayMs: Number(maxDelay) };
    return save({ forward });
  });
  return (
    <ActionForm class={styles.form} onRun={run}>
      <Toggle checked={enabled} onChange={setEnabled}>
        Forward every captured request to a target, byte for byte, as it arrives
      </Toggle>
      <fieldset disabled={!enabled}>
        <legend>Auto-forward</legend>
        <Field label="Target URL" hint="e.g. your local receiver">
          <TargetUrlInput value={target} onValue={setTarget} required={enabled} />
        </Field>
        <div class={styles.group} role="radiogroup" aria-label="Who answers the sender">
          <span class={styles.label}>The sender is answered</span>
          <Choice
            name="respond"
            checked={!passThrough}
            onSelect={() => setRespond('hookscope')}
            label="by hookscope, at once"
            hint="(its scripted responses apply)"
          />
          <Choice
            name="respond"
            checked={passThrough}
            onSelect={() => setRespond('forward')}
            label="with the target’s own answer (pass-through)"
            hint="status, headers and body; 502 when the target fails"
          />
        </div>
        <div class={styles.group} role="radiogroup" aria-label="Retries">
          <span class={styles.label}>Retries {passThrough && <span class={styles.hint}>(none in pass-through: the sender retries by itself)</span>}</span>
          <Choice name="retry" checked={retry === 'none'} onSelect={() => setRetry('none')} label="None" hint="one try" />
          <Choice
            name="retry"
            checked={retry === 'langgraph'}
            onSelect={() => setRetry('langgraph')}
            label="Like LangGraph"
            hint="3 tries, jittered back-off from 1 s to 10 s, on network errors, 5xx and 429"
          />
          <Choice name="retry" checked={retry === 'custom'} onSelect={() => setRetry('custom')} label="Custom" />
          {retry === 'custom' && (
            <Row>
              <Field label="Tries in all">
                <input type="number" min={1} max={10} value={attempts} onInput={(e) => setAttempts(e.currentTarget.value)} />
              </Field>
              <Field label="First delay (ms)">
                <input type="number" min={0} value={baseDelay} onInput={(e) => setBaseDelay(e.currentTarget.value)} />
              </Field>
              <Field label="Longest delay (ms)">
                <input type="number" min={0} value={maxDelay} onInput={(e) => setMaxDelay(e.currentTarget.value)} />
              </Field>
            </Row>
          )}
        </div>
        <Row>
          <Field label="Timeout per try (ms)">
            <input type="number" min={1} max={120000} value={timeoutMs} onInput={(e) => setTimeoutMs(e.currentTarget.value)} />
          </Field>
        </Row>
        <Toggle checked={appendPath} onChange={setAppendPath}>
          Append the captured sub-path (after <code>/h/{bin.id.slice(0, 8)}…</code>) to the target’s path
        </Toggle>
      </fieldset>
      <FormFooter
        busy={state.busy}
        error={state.error}
        done={state.result && (enabled ? 'Saved: new captures are forwarded.' : 'Saved: forwarding is off.')}
        label="Save forwarding"
        busyLabel="Saving…"
      />
    </ActionForm>
  );
}
