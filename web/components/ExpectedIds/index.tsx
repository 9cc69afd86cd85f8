import { useState } from 'preact/hooks';
import { api } from '../../lib/api.js';
import type { BinInfo } from '../../lib/types.js';
import { useAction } from '../../lib/use-action.js';
import { plural } from '../../lib/verdicts.js';
import { ConfirmButton } from '../ConfirmButton/index.js';
import { Field } from '../Field/index.js';
import { RecheckOffer } from '../RecheckOffer/index.js';
import styles from './style.module.css';

/** Ids pasted one per line (commas and spaces separate too), each once. */
function parseIds(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter(Boolean))];
}

/** The job / run ids the user started: a payload with another id is flagged. */
export function ExpectedIds({ bin }: { bin: BinInfo }) {
  const [text, setText] = useState('');
  const [within, setWithin] = useState('');
  const ids = parseIds(text);
  const [change, runChange] = useAction(async (kind: 'add' | 'replace' | 'clear') => {
    if (kind === 'clear') await api.clearExpectedIds(bin.id);
    const count = kind === 'clear' ? 0 : await api.addExpectedIds(bin.id, ids, kind === 'replace', within.trim());
    if (kind !== 'clear') setText('');
    return count;
  });
  const [list, runList] = useAction(() => api.expectedIds(bin.id));
  return (
    <fieldset data-testid="expected-ids">
      <legend>Expected ids</legend>
      <p class={styles.note}>
        <strong data-testid="expected-count">{plural(bin.expectedIdCount, 'id')}</strong> registered. A Krea job or LangGraph Run whose id is not among them is
        flagged (“verify the job_id matches a job you initiated”).
      </p>
      <Field label="Ids to register" hint="one per line; commas and spaces separate too">
        <textarea
          rows={4}
          value={text}
          spellcheck={false}
          placeholder={'550e8400-e29b-41d4-a716-446655440000\n1ef6a5b8-4457-6db0-8b15-cffd3797fa04'}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </Field>
      <Field label="Deadline" hint="optional: 90s, 10m, 2h or 1d; an id whose webhook has not come by then is overdue, in the bin's Expected ids">
        <input type="text" value={within} placeholder="10m" spellcheck={false} onInput={(e) => setWithin(e.currentTarget.value)} />
      </Field>
      <div class={styles.actions}>
        <span class={styles.count}>{plural(ids.length, 'id')} in the box</span>
        <button type="button" disabled={ids.length === 0 || change.busy} onClick={() => void runChange('add')}>
          Add {ids.length || ''}
        </button>
        <button type="button" disabled={ids.length === 0 || change.busy} onClick={() => void runChange('replace')}>
          Replace the list
        </button>
        <ConfirmButton
          label="Forget all…"
          question={bin.expectedIdCount === 1 ? 'Forget the 1 id?' : `Forget all ${bin.expectedIdCount} ids?`}
          confirmLabel="Forget all"
          disabled={bin.expectedIdCount === 0}
          onConfirm={() => runChange('clear')}
        />
        <button type="button" data-variant="quiet" disabled={bin.expectedIdCount === 0} onClick={() => void runList()}>
          Show registered
        </button>
      </div>
      {change.error && (
        <p role="alert" class={styles.error}>
          {change.error}
        </p>
      )}
      {change.result !== null && !change.error && <p role="status">Now {plural(change.result, 'id')} registered.</p>}
      {list.result && <pre class={styles.list}>{list.result.join('\n') || '(none)'}</pre>}
      {change.result !== null && <RecheckOffer bin={bin} />}
    </fieldset>
  );
}
