import { useState } from 'preact/hooks';
import type { CreateBinInput } from '../../../shared/api-types.js';
import { generateToken } from '../../lib/token.js';
import { CodeInput } from '../Field/index.js';
import styles from './style.module.css';

/** Name, an optional token (a fresh random one by default) and whether captures must carry it. */
export function CreateBinForm({ onCreate }: { onCreate(input: CreateBinInput): Promise<void> }) {
  const [name, setName] = useState('');
  const [token, setToken] = useState(generateToken);
  const [requireToken, setRequireToken] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const trimmedToken = token.trim();

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onCreate({ name: name.trim(), token: trimmedToken || null, requireToken: requireToken && trimmedToken !== '' });
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  return (
    <form class={styles.form} onSubmit={submit} aria-labelledby="create-bin-title">
      <h2 id="create-bin-title">New bin</h2>
      <div class={styles.field}>
        <label for="bin-name">Name</label>
        <input id="bin-name" type="text" value={name} maxLength={200} placeholder="e.g. Krea staging" onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <div class={styles.field}>
        <label for="bin-token">
          Token{' '}
          <span class={styles.hint}>
            optional; senders add it as <code>?token=…</code>. Clear it for none.
          </span>
        </label>
        <div class={styles.row}>
          <CodeInput id="bin-token" value={token} onValue={setToken} maxLength={256} />
          <button type="button" onClick={() => setToken(generateToken())}>
            New token
          </button>
        </div>
      </div>
      <label class={styles.check}>
        <input
          type="checkbox"
          checked={requireToken && trimmedToken !== ''}
          disabled={trimmedToken === ''}
          onChange={(e) => setRequireToken(e.currentTarget.checked)}
        />
        Require the token: requests without it get 401 (and are still recorded, marked)
      </label>
      {error && (
        <p role="alert" class={styles.error}>
          {error}
        </p>
      )}
      <div>
        <button type="submit" data-variant="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create bin'}
        </button>
      </div>
    </form>
  );
}
