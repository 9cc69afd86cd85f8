import { webhookUrl } from '../../../shared/snippets.js';
import { relativeTime } from '../../lib/format.js';
import type { BinInfo } from '../../lib/types.js';
import { useNow } from '../../lib/use-now.js';
import { binHref } from '../../lib/use-route.js';
import { Badge } from '../Badge/index.js';
import { ConfirmButton } from '../ConfirmButton/index.js';
import { CopyButton } from '../CopyButton/index.js';
import { Link } from '../Link/index.js';
import styles from './style.module.css';

interface Props {
  bins: BinInfo[] | null;
  error: string | null;
  onDelete(binId: string): Promise<void>;
}

export function BinList({ bins, error, onDelete }: Props) {
  const now = useNow(30_000);
  return (
    <section aria-labelledby="bins-title">
      <h2 id="bins-title" class={styles.title}>
        Bins
      </h2>
      {error && (
        <p role="alert" class={styles.error}>
          Could not load the bins: {error}
        </p>
      )}
      {!bins && !error && <p class={styles.muted}>Loading…</p>}
      {bins?.length === 0 && <p class={styles.muted}>No bins yet: create one above.</p>}
      {bins && bins.length > 0 && (
        <ul class={styles.list}>
          {bins.map((bin) => {
            const url = webhookUrl(bin.url, bin.token);
            return (
              <li key={bin.id} class={styles.item} data-bin-id={bin.id}>
                <div class={styles.head}>
                  <Link href={binHref(bin.id)} class={styles.name}>
                    {bin.name}
                  </Link>
                  {bin.requireToken && <Badge tone="warn">token required</Badge>}
                </div>
                <code class={styles.url}>{url}</code>
                <div class={styles.meta}>
                  <span>
                    {bin.requestCount} request{bin.requestCount === 1 ? '' : 's'}
                  </span>
                  <span aria-hidden="true">·</span>
                  <time dateTime={bin.createdAt} title={bin.createdAt}>
                    created {relativeTime(bin.createdMs, now)}
                  </time>
                  <span class={styles.actions}>
                    <CopyButton text={url} label="Copy URL" />
                    <ConfirmButton
                      label="Delete"
                      question={`Delete “${bin.name}” and its requests?`}
                      confirmLabel="Delete bin"
                      onConfirm={() => onDelete(bin.id)}
                    />
                  </span>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
