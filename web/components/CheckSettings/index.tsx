import { useState } from 'preact/hooks';
import type { SchemaChoice } from '../../../shared/checks/types.js';
import { api } from '../../lib/api.js';
import type { BinInfo } from '../../lib/types.js';
import { useAction } from '../../lib/use-action.js';
import { Choice, Field, FormFooter, Row, CodeInput } from '../Field/index.js';
import type { SaveBin } from '../GeneralSettings/index.js';
import { RecheckOffer } from '../RecheckOffer/index.js';
import styles from './style.module.css';
import { ActionForm } from '../ActionForm/index.js';

type Kind = 'auto' | 'krea-job' | 'langgraph-run' | 'none' | 'custom';

const CHOICES: [Kind, string, string][] = [
  ['auto', 'Auto', 'recognise Krea jobs and LangGraph Runs by their fields and check those (recommended)'],
  ['krea-job', 'Krea job', 'every request must be a Krea job'],
  ['langgraph-run', 'LangGraph Run', 'every request must be a LangGraph Run'],
  ['none', 'None', 'no payload checks; token, signature and duplicates are still checked'],
  ['custom', 'Custom JSON Schema', 'draft 2020-12, pasted or loaded from a file'],
];

const STARTER = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["id"],
  "properties": { "id": { "type": "string" } }
}`;

/** The JSON Schema in the text box, or an error saying why it is not one (the server checks the rest). */
function parseCustom(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`The custom schema is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('The custom schema must be a JSON object, e.g. { "type": "object", … }.');
  return value as Record<string, unknown>;
}

/** What payloads are checked against, and the Standard Webhooks secret that verifies signatures. */
export function CheckSettings({ bin, save }: { bin: BinInfo; save: SaveBin }) {
  const [kind, setKind] = useState<Kind>(typeof bin.schema === 'object' ? 'custom' : bin.schema);
  const [custom, setCustom] = useState(typeof bin.schema === 'object' ? JSON.stringify(bin.schema.custom, null, 2) : STARTER);
  const [secret, setSecret] = useState(bin.signingSecret ?? '');
  const [state, run] = useAction(async () => {
    const schema: SchemaChoice = kind === 'custom' ? { custom: parseCustom(custom) } : kind;
    await save({ schema, signingSecret: secret.trim() || null });
    return true;
  });
  const [builtin, loadBuiltin] = useAction(async (id: string) => {
    const found = (await api.listSchemas()).find((s) => s.id === id);
    if (found) setCustom(JSON.stringify(found.schema, null, 2));
    return true;
  });
  const loadFile = async (file: File | undefined) => file && setCustom(await file.text());

  return (
    <ActionForm class={styles.form} onRun={run}>
      <fieldset>
        <legend>Schema</legend>
        {CHOICES.map(([value, label, hint]) => (
          <Choice key={value} name="schema" checked={kind === value} onSelect={() => setKind(value)} label={label} hint={hint} />
        ))}
        {kind === 'custom' && (
          <div class={styles.custom}>
            <Field label="Custom schema" hint="JSON Schema, draft 2020-12">
              <textarea rows={12} value={custom} spellcheck={false} onInput={(e) => setCustom(e.currentTarget.value)} />
            </Field>
            <Row>
              <Field label="Load from a file">
                <input type="file" accept=".json,application/json,application/schema+json" onChange={(e) => void loadFile(e.currentTarget.files?.[0])} />
              </Field>
              <span class={styles.hint}>or start from</span>
              <button type="button" onClick={() => void loadBuiltin('krea-job')} disabled={builtin.busy}>
                Krea job
              </button>
              <button type="button" onClick={() => void loadBuiltin('langgraph-run')} disabled={builtin.busy}>
                LangGraph Run
              </button>
            </Row>
            {builtin.error && <p class={styles.error}>{builtin.error}</p>}
          </div>
        )}
      </fieldset>
      <Row>
        <Field label="Signing secret" hint="Standard Webhooks whsec_…, as your sender shows it; empty for none" grow>
          <CodeInput value={secret} onValue={setSecret} placeholder="whsec_…" />
        </Field>
        <button type="button" onClick={() => setSecret('')} disabled={secret === ''}>
          Remove secret
        </button>
      </Row>
      <FormFooter busy={state.busy} error={state.error} done={state.result ? 'Saved.' : null} label="Save checks" busyLabel="Saving…" />
      {state.result && <RecheckOffer bin={bin} />}
    </ActionForm>
  );
}
