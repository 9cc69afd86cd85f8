import { webhookUrl } from '../../../shared/snippets.js';
import type { LiveStatus } from '../../lib/live-connection.js';
import type { BinInfo } from '../../lib/types.js';
import { Badge } from '../Badge/index.js';
import { ConfirmButton } from '../ConfirmButton/index.js';
import { ConnectionStatus } from '../ConnectionStatus/index.js';
import { CopyButton } from '../CopyButton/index.js';
import { Link } from '../Link/index.js';
import styles from './style.module.css';

interface Props {
  bin: BinInfo;
  status: LiveStatus;
  count: number;
  setupOpen: boolean;
  /** A request is open: on narrow screens the URL row gives its room to the request. */
  compact: boolean;
  onToggleSetup(): void;
  onRetry(): void;
  onClear(): void;
  onHelp(): void;
}

/** The bin's name, capture URL (copyable), live status and bin-wide actions. */
export function BinHeader({ bin, status, count, setupOpen, compact, onToggleSetup, onRetry, onClear, onHelp }: Props) {
  const url = webhookUrl(bin.url, bin.token);
  return (
    <header class={styles.header} data-compact={compact ? '' : undefined}>
      <div class={styles.top}>
        <Link href="/" class={styles.back} aria-label="All bins">
          ←
        </Link>
        <h1 class={styles.name}>{bin.name}</h1>
        {bin.requireToken && (
          <Badge tone="warn" title="Requests without the right ?token= are answered 401 (and still recorded)">
            token required
          </Badge>
        )}
        <div class={styles.status}>
          <ConnectionStatus status={status} onRetry={onRetry} />
        </div>
      </div>
      <div class={styles.urlRow}>
        <label class={styles.urlLabel} for="capture-url">
          Capture URL
        </label>
        <input id="capture-url" class={styles.url} type="text" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={url} label="Copy" title="Copy capture URL" variant="primary" />
        <div class={styles.actions}>
          <button type="button" aria-expanded={setupOpen} onClick={onToggleSetup}>
            Snippets
          </button>
          <ConfirmButton label="Clear…" question={`Delete all ${count > 0 ? count : ''} requests?`} confirmLabel="Clear all" disabled={count === 0} onConfirm={onClear} />
          <button type="button" onClick={onHelp} aria-label="Keyboard shortcuts and filter help" title="Keyboard shortcuts (?)">
            ?
          </button>
        </div>
      </div>
    </header>
  );
}
