import { useState } from 'preact/hooks';
import type { UpdateBinInput } from '../../../shared/api-types.js';
import { generateToken } from '../../lib/token.js';
import type { BinInfo } from '../../lib/types.js';
import { useAction } from '../../lib/use-action.js';
import { Field, FormFooter, Row, Toggle } from '../Field/index.js';
import styles from './style.module.css';
import { ActionForm } from '../ActionForm/index.js';

export type SaveBin = (patch: UpdateBinInput) => Promise<BinInfo>;

/** Name, token and whether captures must carry it. */
export function GeneralSettings({ bin, save }: { bin: BinInfo; save: SaveBin }) {
  const [name, setName] = useState(bin.name);
  const [token, setToken] = useState(bin.token ?? '');
  const [requireToken, setRequireToken] = useState(bin.requireToken);
  const hasToken = token.trim() !== '';
  const [state, run] = useAction(() => save({ name: name.trim(), token: hasToken ? token.trim() : null, requireToken: requireToken && hasToken }));
  return (
    <ActionForm class={styles.form} onRun={run}>
      <Field label="Name">
        <input type="text" value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <Row>
        <Field label="Token" hint="senders add it as ?token=…; empty for none" grow>
          <input type="text" class={styles.mono} value={token} maxLength={256} spellcheck={false} autocomplete="off" onInput={(e) => setToken(e.currentTarget.value)} />
        </Field>
        <button type="button" onClick={() => setToken(generateToken())}>
          New token
        </button>
      </Row>
      <Toggle checked={requireToken && hasToken} disabled={!hasToken} onChange={setRequireToken}>
        Require the token: requests without it are answered 401 (and still recorded, marked)
      </Toggle>
      <FormFooter busy={state.busy} error={state.error} done={state.result && 'Saved.'} label="Save" busyLabel="Saving…" />
    </ActionForm>
  );
}
