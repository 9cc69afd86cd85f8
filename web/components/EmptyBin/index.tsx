import type { Reachability } from '../../../shared/reachability.js';
import { webhookUrl } from '../../../shared/snippets.js';
import type { BinInfo } from '../../lib/types.js';
import { Snippets } from '../Snippets/index.js';
import styles from './style.module.css';

/** What an empty bin says: it is listening, how to send something, and how to point senders here. */
export function EmptyBin({ bin, reachability }: { bin: BinInfo; reachability: Reachability | null }) {
  const url = webhookUrl(bin.url, bin.token);
  return (
    <section class={styles.empty} aria-labelledby="empty-title">
      <div class={styles.pulse} aria-hidden="true" />
      <h2 id="empty-title">Waiting for the first request</h2>
      <p>
        Anything sent to <code class={styles.url}>{url}</code> shows up here at once, no reload needed: any method, and any sub-path after it (for example{' '}
        <code>/krea</code> or <code>/langgraph</code> to tell senders apart).
        {bin.requireToken &&
          ` This bin requires ${bin.secretHeader ? (bin.token ? `the token and the ${bin.secretHeader.name} header` : `the ${bin.secretHeader.name} header`) : 'the token'}: requests without it are answered 401 but still recorded here.`}
      </p>
      <Snippets bin={bin} reachability={reachability} />
    </section>
  );
}
