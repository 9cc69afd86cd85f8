import type { Reachability } from '../../../shared/reachability.js';
import { webhookUrl } from '../../../shared/snippets.js';
import type { LiveStatus } from '../../lib/live-connection.js';
import type { BinInfo } from '../../lib/types.js';
import { Badge } from '../Badge/index.js';
import type { SettingsTab } from '../BinSettings/index.js';
import { ConfirmButton } from '../ConfirmButton/index.js';
import { ConnectionStatus } from '../ConnectionStatus/index.js';
import { CopyButton } from '../CopyButton/index.js';
import { Link } from '../Link/index.js';
import { ReachabilityNotice } from '../ReachabilityNotice/index.js';
import styles from './style.module.css';

interface Props {
  bin: BinInfo;
  /** Whether other machines can reach the capture URL (GET /api/status); null while unknown. */
  reachability: Reachability | null;
  status: LiveStatus;
  count: number;
  setupOpen: boolean;
  /** A request is open: on narrow screens the URL row gives its room to the request. */
  compact: boolean;
  onToggleSetup(): void;
  onRetry(): void;
  onClear(): void;
  onHelp(): void;
  onSettings(tab?: SettingsTab): void;
  onSend(): void;
}

const SCHEMA_LABELS: Record<string, string> = { 'krea-job': 'Krea job', 'langgraph-run': 'LangGraph Run', none: 'no payload checks' };

/** The settings that change what the bin does, as chips that open their settings tab. */
function SettingChips({ bin, onSettings }: { bin: BinInfo; onSettings(tab: SettingsTab): void }) {
  const chips: [SettingsTab, string, string][] = [];
  if (bin.schema !== 'auto')
    chips.push(['checks', `schema: ${typeof bin.schema === 'object' ? 'custom' : SCHEMA_LABELS[bin.schema]}`, 'What payloads are checked against']);
  if (bin.signingSecret || bin.signingSecrets.length > 0) chips.push(['checks', 'signed', 'Signatures are verified with the bin secrets']);
  if (bin.expectedIdCount > 0) chips.push(['checks', `${bin.expectedIdCount} expected ids`, 'Payloads with other ids are flagged']);
  if (bin.forward)
    chips.push(['forward', `${bin.forward.respond === 'forward' ? 'pass-through' : 'forward'} → ${bin.forward.target}`, 'Each capture is forwarded']);
  const r = bin.responses;
  if (r.default.status || r.default.delayMs || r.rules.length || r.cors || r.statusFromPath) {
    const parts = [
      r.default.status && `answers ${r.default.status}`,
      r.default.delayMs && `after ${r.default.delayMs} ms`,
      r.rules.length && `${r.rules.length} rule${r.rules.length > 1 ? 's' : ''}`,
      r.cors && 'CORS',
    ];
    chips.push(['responses', parts.filter(Boolean).join(', ') || 'scripted responses', 'How the capture URL answers']);
  }
  if (chips.length === 0) return null;
  return (
    <div class={styles.chips}>
      {chips.map(([tab, label, title], i) => (
        <button key={i} type="button" class={styles.chip} title={title} onClick={() => onSettings(tab)}>
          {label}
        </button>
      ))}
    </div>
  );
}

/** The bin's name, capture URL (copyable), live status and bin-wide actions. */
export function BinHeader({ bin, reachability, status, count, setupOpen, compact, onToggleSetup, onRetry, onClear, onHelp, onSettings, onSend }: Props) {
  const url = webhookUrl(bin.url, bin.token);
  return (
    <header
      class={styles.header}
      data-compact={compact ? '' : undefined}
      data-testid="bin-header"
      data-reachable={reachability ? String(reachability.reachable) : undefined}
    >
      <div class={styles.top}>
        <Link href="/" class={styles.back} aria-label="All bins">
          ←
        </Link>
        <h1 class={styles.name}>{bin.name}</h1>
        {bin.requireToken && (
          <Badge
            tone="warn"
            title={`Requests without the right ${[bin.token && '?token=', bin.secretHeader && `${bin.secretHeader.name} header`].filter(Boolean).join(' and ')} are answered 401 (and still recorded)`}
          >
            token required
          </Badge>
        )}
        <SettingChips bin={bin} onSettings={onSettings} />
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
          <button type="button" onClick={onSend} title="Send a realistic Krea or LangGraph webhook to this bin or your receiver">
            Send test…
          </button>
          <button type="button" onClick={() => onSettings()} title="Schema, signing secret, forwarding, scripted responses">
            Settings
          </button>
          <ConfirmButton
            label="Clear…"
            question={count === 1 ? 'Delete the 1 request?' : `Delete all ${count} requests?`}
            confirmLabel="Clear all"
            disabled={count === 0}
            onConfirm={onClear}
          />
          <button type="button" onClick={onHelp} aria-label="Keyboard shortcuts and filter help" title="Keyboard shortcuts (?)">
            ?
          </button>
        </div>
      </div>
      <div class={styles.reach}>
        <ReachabilityNotice reachability={reachability} binId={bin.id} />
      </div>
    </header>
  );
}
