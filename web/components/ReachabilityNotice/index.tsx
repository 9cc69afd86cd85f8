import { useMemo } from 'preact/hooks';
import { waysOut, type Reachability } from '../../../shared/reachability.js';
import { CopyButton } from '../CopyButton/index.js';
import styles from './style.module.css';

/**
 * Beside the capture URL when other machines cannot reach it: why (in the server's words), and
 * the ways out with commands for this port and this bin. Nothing when reachable or not yet known.
 */
export function ReachabilityNotice({ reachability, binId }: { reachability: Reachability | null; binId: string }) {
  const ways = useMemo(() => (reachability ? waysOut(reachability.localOrigin, reachability.port, binId) : []), [reachability, binId]);
  if (!reachability || reachability.reachable) return null;
  return (
    <details class={styles.notice} data-testid="reachability-notice" data-reason={reachability.reason}>
      <summary>
        <strong>Senders outside this {reachability.reason === 'private-address' ? 'network' : 'machine'} cannot reach this URL.</strong> {reachability.message}{' '}
        <span class={styles.more}>Ways to a public URL</span>
      </summary>
      <ol class={styles.ways}>
        {ways.map((way) => (
          <li key={way.kind} data-way={way.kind}>
            <strong>{way.title}.</strong> {way.detail}
            {way.commands.length > 0 && (
              <ul class={styles.commands}>
                {way.commands.map((c) => (
                  <li key={c.command}>
                    <span class={styles.label}>{c.label}</span>
                    <code class={styles.command}>{c.command}</code>
                    <CopyButton text={c.command} title={`Copy the ${c.label} command`} variant="quiet" />
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
      {ways[0] && <p class={styles.readme}>Details in hookscope's README, section “{readmeTitle(ways[0].readme)}”.</p>}
    </details>
  );
}

/** "README.md#capture-urls-that-senders-can-reach" → "Capture URLs that senders can reach". */
function readmeTitle(ref: string): string {
  const anchor = ref.split('#')[1] ?? ref;
  const words = anchor.replace(/-/g, ' ').replace(/\burls\b/, 'URLs');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
