import { useMemo, useState } from 'preact/hooks';
import { LANGGRAPH_422, langGraphSetupSnippets } from '../../../shared/langgraph-setup.js';
import type { Reachability } from '../../../shared/reachability.js';
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

/** What the note says instead when other machines cannot reach the capture URL. */
const UNREACHABLE_NOTES: Partial<Record<Snippet['group'], string>> = {
  Krea: "Krea's cloud cannot reach this capture URL, so these snippets would not deliver yet: get a public URL first (the notice under the capture URL says how).",
  LangGraph: 'A local LangGraph dev server (langgraph dev) runs on this machine and reaches this URL as it is; a deployed one needs a public URL.',
};

/** Ready-to-paste snippets pointing Krea and LangGraph at this bin; `reachability` null while unknown. */
export function Snippets({ bin, reachability }: { bin: BinInfo; reachability: Reachability | null }) {
  const reachable = reachability?.reachable ?? true;
  const snippets = useMemo(
    () => [...webhookSnippets(bin.url, bin.token, reachable), ...langGraphSetupSnippets({ captureUrl: bin.url, secretHeader: bin.secretHeader })],
    [bin.url, bin.token, bin.secretHeader, reachable],
  );
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
      <p class={styles.note} data-testid="snippet-note" data-unreachable={reachable ? undefined : ''}>
        {(!reachable && UNREACHABLE_NOTES[group]) || NOTES[group]}
      </p>
      {group === 'LangGraph' && (
        <p class={styles.note} data-testid="langgraph-422">
          {LANGGRAPH_422}
        </p>
      )}
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
