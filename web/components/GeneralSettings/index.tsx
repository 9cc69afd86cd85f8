import { useState } from 'preact/hooks';
import type { UpdateBinInput } from '../../../shared/api-types.js';
import { generateToken } from '../../lib/token.js';
import type { BinInfo } from '../../lib/types.js';
import { useAction } from '../../lib/use-action.js';
import { Field, FormFooter, Row, Toggle, CodeInput } from '../Field/index.js';
import styles from './style.module.css';
import { ActionForm } from '../ActionForm/index.js';

export type SaveBin = (patch: UpdateBinInput) => Promise<BinInfo>;

/** Name, token, secret header and whether captures must carry them. */
export function GeneralSettings({ bin, save }: { bin: BinInfo; save: SaveBin }) {
  const [name, setName] = useState(bin.name);
  const [token, setToken] = useState(bin.token ?? '');
  const [headerName, setHeaderName] = useState(bin.secretHeader?.name ?? '');
  const [headerValue, setHeaderValue] = useState(bin.secretHeader?.value ?? '');
  const [requireToken, setRequireToken] = useState(bin.requireToken);
  const hasHeader = headerName.trim() !== '' || headerValue.trim() !== '';
  const hasSecret = token.trim() !== '' || hasHeader;
  const [state, run] = useAction(() =>
    save({
      name: name.trim(),
      token: token.trim() !== '' ? token.trim() : null,
      // Both parts or neither: a half-filled pair reaches the server, which says what is missing.
      secretHeader: hasHeader ? { name: headerName.trim(), value: headerValue.trim() } : null,
      requireToken: requireToken && hasSecret,
    }),
  );
  return (
    <ActionForm class={styles.form} onRun={run}>
      <Field label="Name">
        <input type="text" value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />
      </Field>
      <Row>
        <Field label="Token" hint="senders add it as ?token=…; empty for none" grow>
          <CodeInput value={token} onValue={setToken} maxLength={256} />
        </Field>
        <button type="button" onClick={() => setToken(generateToken())}>
          New token
        </button>
      </Row>
      <Row>
        <Field label="Secret header" hint="e.g. X-Webhook-Token; empty for none">
          <CodeInput value={headerName} onValue={setHeaderName} maxLength={100} />
        </Field>
        <Field label="Header value" hint="e.g. Bearer …" grow>
          <CodeInput value={headerValue} onValue={setHeaderValue} maxLength={1024} />
        </Field>
        <button type="button" onClick={() => setHeaderValue(generateToken())}>
          New value
        </button>
      </Row>
      <Toggle checked={requireToken && hasSecret} disabled={!hasSecret} onChange={setRequireToken}>
        Require the token and secret header: requests without them are answered 401 (and still recorded, marked)
      </Toggle>
      <FormFooter busy={state.busy} error={state.error} done={state.result && 'Saved.'} label="Save" busyLabel="Saving…" />
    </ActionForm>
  );
}
