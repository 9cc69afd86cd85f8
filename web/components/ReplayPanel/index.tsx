import { useState } from 'preact/hooks';
import type { ReplayInput } from '../../../shared/api-types.js';
import type { BinSession } from '../../lib/bin-session.js';
import type { BinInfo, RequestDetail } from '../../lib/types.js';
import { useAction } from '../../lib/use-action.js';
import { DeliveryList } from '../DeliveryList/index.js';
import { DeliveryView } from '../DeliveryView/index.js';
import { Field, FormFooter, Toggle, TargetUrlInput } from '../Field/index.js';
import { PairsEditor } from '../PairsEditor/index.js';
import { ActionForm } from '../ActionForm/index.js';
import styles from './style.module.css';

interface Props {
  detail: RequestDetail;
  bin: BinInfo;
  session: BinSession;
}

const samePairs = (a: [string, string][], b: [string, string][]) => a.length === b.length && a.every(([n, v], i) => n === b[i]![0] && v === b[i]![1]);

/**
 * Sends this request to a target (the bin remembers the last one), exactly as captured or with
 * edits; beside it, the target's answer; below, every delivery of the request, newest first.
 */
export function ReplayPanel({ detail, bin, session }: Props) {
  const [target, setTarget] = useState(bin.replayTarget ?? '');
  const [appendPath, setAppendPath] = useState(false);
  const [method, setMethod] = useState(detail.method);
  const [query, setQuery] = useState(detail.queryString);
  const [headers, setHeaders] = useState<[string, string][]>(detail.rawHeaders);
  const bodyEditable = detail.body.encoding === 'utf8' && !detail.body.truncated;
  const [body, setBody] = useState(bodyEditable ? detail.body.data : '');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const history = [...detail.deliveries].reverse();
  const selected = history.find((d) => d.id === selectedId) ?? history[0] ?? null;

  const [replay, runReplay] = useAction(async () => {
    const input: ReplayInput = { target: target.trim(), appendPath };
    if (method.trim() !== detail.method) input.method = method.trim();
    if (query !== detail.queryString) input.queryString = query;
    if (!samePairs(headers, detail.rawHeaders)) input.headers = headers.filter(([name]) => name.trim() !== '');
    if (bodyEditable && body !== detail.body.data) input.body = body;
    const delivery = await session.replay(detail.id, input);
    setSelectedId(delivery.id);
    return delivery;
  });
  const reset = () => {
    setMethod(detail.method);
    setQuery(detail.queryString);
    setHeaders(detail.rawHeaders);
    setBody(bodyEditable ? detail.body.data : '');
  };
  const edited =
    method !== detail.method || query !== detail.queryString || !samePairs(headers, detail.rawHeaders) || (bodyEditable && body !== detail.body.data);

  return (
    <div class={styles.panel} data-testid="replay-panel">
      <div class={styles.columns}>
        <ActionForm class={styles.form} label="Replay" onRun={runReplay}>
          <Field label="Target URL" hint="where to send it, e.g. your local receiver">
            <TargetUrlInput value={target} onValue={setTarget} id="replay-target" />
          </Field>
          <Toggle checked={appendPath} onChange={setAppendPath} disabled={detail.path === ''}>
            Append the sub-path {detail.path ? <code>{detail.path}</code> : '(this request has none)'} to the target
          </Toggle>
          <details class={styles.edit}>
            <summary>Modify before sending{edited && ' (modified)'}</summary>
            <div class={styles.editBody}>
              <div class={styles.pair}>
                <Field label="Method">
                  <input type="text" value={method} class={styles.method} spellcheck={false} onInput={(e) => setMethod(e.currentTarget.value.toUpperCase())} />
                </Field>
                <Field label="Query string" grow>
                  <input type="text" value={query} spellcheck={false} onInput={(e) => setQuery(e.currentTarget.value)} />
                </Field>
              </div>
              <span class={styles.label}>
                Headers <span class={styles.hint}>Host and Content-Length are set for the target.</span>
              </span>
              <PairsEditor label="Header" pairs={headers} onChange={setHeaders} />
              {bodyEditable ? (
                <Field label="Body">
                  <textarea rows={6} value={body} spellcheck={false} onInput={(e) => setBody(e.currentTarget.value)} />
                </Field>
              ) : (
                <p class={styles.hint}>The body is binary or too large to edit here; it is sent exactly as captured.</p>
              )}
              <div>
                <button type="button" onClick={reset} disabled={!edited}>
                  Undo changes
                </button>
              </div>
            </div>
          </details>
          <FormFooter busy={replay.busy} error={replay.error} label={edited ? 'Replay with changes' : 'Replay'} busyLabel="Sending…" />
        </ActionForm>
        <section class={styles.response} aria-label="Target response">
          <h4 class={styles.heading}>Target response</h4>
          {selected ? <DeliveryView delivery={selected} /> : <p class={styles.hint}>Replay to see what the target answers.</p>}
        </section>
      </div>
      {history.length > 0 && (
        <section aria-label="Delivery history">
          <h4 class={styles.heading}>History ({history.length}, newest first)</h4>
          <DeliveryList deliveries={history} label="Deliveries" selectedId={selected?.id ?? null} onSelect={setSelectedId} />
        </section>
      )}
    </div>
  );
}
