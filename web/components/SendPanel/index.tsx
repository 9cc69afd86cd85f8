import { useEffect, useState } from 'preact/hooks';
import { SEND_STATES, type SendInput, type SendKind, type SendOptions, type SendResult } from '../../../shared/send-types.js';
import { api } from '../../lib/api.js';
import { parsePointerLines } from '../../lib/json-value.js';
import type { BinInfo } from '../../lib/types.js';
import { useAction } from '../../lib/use-action.js';
import { plural } from '../../lib/verdicts.js';
import { Badge } from '../Badge/index.js';
import { Choice, Field, FormFooter, Row, CodeInput, TargetUrlInput } from '../Field/index.js';
import { SendResultView } from '../SendResultView/index.js';
import { ActionForm } from '../ActionForm/index.js';
import styles from './style.module.css';

const KINDS: [SendKind, string, string][] = [
  ['krea-job', 'Krea job', 'one POST with the finished job'],
  ['langgraph-run', 'LangGraph Run', 'the finished Run, as the LangGraph server sends it'],
  ['custom', 'Custom JSON', 'your own body, delivered like LangGraph'],
];

/** Form state → the simulator's input; throws with a message for the user when a field does not parse. */
function buildInput(f: {
  target: string;
  kind: SendKind;
  state: string;
  flavor: 'python' | 'js';
  token: string;
  secret: string;
  duplicate: string;
  overrides: string;
  body: string;
  scale: string;
}): SendInput {
  const options: SendOptions = { flavor: f.flavor, timeScale: Number(f.scale) };
  if (f.token.trim()) options.token = f.token.trim();
  if (f.secret.trim()) options.signingSecret = f.secret.trim();
  if (f.duplicate.trim()) options.duplicateAfterMs = Number(f.duplicate);
  if (f.kind === 'custom') {
    try {
      options.body = JSON.parse(f.body);
    } catch (error) {
      throw new Error(`The custom body is not JSON: ${(error as Error).message}`);
    }
  } else {
    const overrides = parsePointerLines(f.overrides);
    if (Object.keys(overrides).length) options.overrides = overrides;
  }
  return { target: f.target.trim(), kind: f.kind, ...(f.kind === 'custom' ? {} : { state: f.state }), options };
}

/**
 * "Send a test webhook": a realistic Krea job or LangGraph Run (or custom JSON) delivered the way
 * the real sender does, to this bin or to the user's own receiver; every attempt is shown, and
 * the recent sends are listed.
 */
export function SendPanel({ bin }: { bin: BinInfo }) {
  const [target, setTarget] = useState(bin.url);
  const [kind, setKind] = useState<SendKind>('krea-job');
  const [state, setState] = useState('completed');
  const [flavor, setFlavor] = useState<'python' | 'js'>('python');
  const [token, setToken] = useState(bin.token ?? '');
  const [secret, setSecret] = useState(bin.signingSecret ?? '');
  const [duplicate, setDuplicate] = useState('');
  const [overrides, setOverrides] = useState('');
  const [body, setBody] = useState('{\n  "id": "evt_1",\n  "status": "done"\n}');
  const [scale, setScale] = useState('1');
  const [shown, setShown] = useState<SendResult | null>(null);
  const [recent, loadRecent] = useAction(() => api.listSends());
  useEffect(() => void loadRecent(), []);
  const [send, runSend] = useAction(async () => {
    const result = await api.send(buildInput({ target, kind, state, flavor, token, secret, duplicate, overrides, body, scale }));
    setShown(result);
    void loadRecent();
    return result;
  });
  const pickKind = (next: SendKind) => {
    setKind(next);
    if (next !== 'custom') setState(SEND_STATES[next][0]!);
  };

  return (
    <div class={styles.panel}>
      <ActionForm class={styles.form} label="Send a test webhook" onRun={runSend}>
        <Row>
          <Field label="Target URL" hint="this bin, or your own receiver" grow>
            <TargetUrlInput value={target} onValue={setTarget} />
          </Field>
          <button type="button" onClick={() => setTarget(bin.url)} disabled={target === bin.url}>
            This bin
          </button>
        </Row>
        <div class={styles.group} role="radiogroup" aria-label="Kind">
          {KINDS.map(([value, label, hint]) => (
            <Choice key={value} name="send-kind" checked={kind === value} onSelect={() => pickKind(value)} label={label} hint={hint} />
          ))}
        </div>
        <Row>
          {kind !== 'custom' && (
            <Field label="State">
              <select value={state} onChange={(e) => setState(e.currentTarget.value)}>
                {SEND_STATES[kind].map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </Field>
          )}
          {kind !== 'krea-job' && (
            <Field label="Sender">
              <select value={flavor} onChange={(e) => setFlavor(e.currentTarget.value as 'python' | 'js')}>
                <option value="python">Python server: 3 tries, JSON</option>
                <option value="js">JS dev server: 1 try, text/plain</option>
              </select>
            </Field>
          )}
          <Field label="Waits" hint="back-off and timeouts">
            <select value={scale} onChange={(e) => setScale(e.currentTarget.value)}>
              <option value="1">real time</option>
              <option value="0.1">10× shorter</option>
              <option value="0.01">100× shorter</option>
            </select>
          </Field>
        </Row>
        <Row>
          <Field label="Token" hint="?token=" grow>
            <CodeInput value={token} onValue={setToken} />
          </Field>
          <Field label="Signing secret" hint="whsec_…, signs the delivery" grow>
            <CodeInput value={secret} onValue={setSecret} placeholder="none" />
          </Field>
          <Field label="Duplicate after (ms)" hint="empty: none">
            <input type="number" min={0} max={600000} value={duplicate} onInput={(e) => setDuplicate(e.currentTarget.value)} />
          </Field>
        </Row>
        {kind === 'custom' ? (
          <Field label="Body" hint="JSON">
            <textarea rows={6} value={body} spellcheck={false} onInput={(e) => setBody(e.currentTarget.value)} />
          </Field>
        ) : (
          <Field label="Overrides" hint={'one per line: JSON Pointer = value, e.g. /status = "processing"'}>
            <textarea
              rows={2}
              value={overrides}
              spellcheck={false}
              placeholder={'/status = "processing"'}
              onInput={(e) => setOverrides(e.currentTarget.value)}
            />
          </Field>
        )}
        <FormFooter busy={send.busy} error={send.error} label="Send" busyLabel="Sending… (retries can take a while)" />
      </ActionForm>
      {shown && <SendResultView key={shown.id} result={shown} />}
      <section aria-label="Recent sends" class={styles.recent}>
        <h3 class={styles.heading}>Recent sends</h3>
        {recent.error && <p class={styles.error}>{recent.error}</p>}
        {recent.result?.length === 0 && <p class={styles.muted}>None yet.</p>}
        <ul class={styles.list}>
          {recent.result?.slice(0, 20).map((r) => (
            <li key={r.id}>
              <button type="button" class={styles.row} aria-pressed={shown?.id === r.id} onClick={() => setShown(r)}>
                <Badge tone={r.delivered ? 'ok' : 'danger'}>{r.delivered ? 'delivered' : 'failed'}</Badge>
                <span>
                  {r.kind} {r.state}
                </span>
                <span class={styles.muted}>
                  {plural(
                    r.deliveries.reduce((n, d) => n + d.attempts.length, 0),
                    'attempt',
                  )}
                </span>
                <time class={styles.muted} dateTime={r.at}>
                  {new Date(r.at).toLocaleTimeString()}
                </time>
                <code class={styles.target}>{r.target}</code>
              </button>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
