import { useMemo, useState } from 'preact/hooks';
import { webhookSnippets, type Snippet } from '../../../shared/snippets.js';
import type { BinInfo } from '../../lib/types.js';
import { CodeBlock } from '../CodeBlock/index.js';
import styles from './style.module.css';

const GROUPS: Snippet['group'][] = ['Try it', 'Krea', 'LangGraph'];
const NOTES: Record<Snippet['group'], string> = {
  'Try it': 'Send a request from your terminal and watch it appear.',
  Krea: 'Krea POSTs the finished job (completed, failed or cancelled) to the URL in the X-Webhook-URL header.',
  LangGraph: 'LangGraph POSTs the finished Run to the webhook URL; the token travels in the query string.',
};

/** Ready-to-paste snippets pointing Krea and LangGraph at this bin. */
export function Snippets({ bin }: { bin: BinInfo }) {
  const snippets = useMemo(() => webhookSnippets(bin.url, bin.token), [bin.url, bin.token]);
  const [group, setGroup] = useState<Snippet['group']>('Try it');
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const inGroup = snippets.filter((s) => s.group === group);
  const current = inGroup.find((s) => s.id === chosen[group]) ?? inGroup[0]!;
  return (
    <div class={styles.snippets}>
      <div role="tablist" aria-label="Sender" class={styles.tabs}>
        {GROUPS.map((g) => (
          <button key={g} type="button" role="tab" aria-selected={g === group} class={styles.tab} onClick={() => setGroup(g)}>
            {g}
          </button>
        ))}
      </div>
      <p class={styles.note}>{NOTES[group]}</p>
      <div role="group" aria-label="Variant" class={styles.pills}>
        {inGroup.map((s) => (
          <button key={s.id} type="button" aria-pressed={s.id === current.id} class={styles.pill} onClick={() => setChosen({ ...chosen, [group]: s.id })}>
            {s.label}
          </button>
        ))}
      </div>
      <CodeBlock code={current.code} label={`${group} ${current.label} snippet`} />
    </div>
  );
}
