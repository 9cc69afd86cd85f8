import type { DeliverySummary, Verdict } from '../../lib/types.js';
import { VERDICT_TONES } from '../../lib/row-badges.js';
import { Badge } from '../Badge/index.js';
import styles from './style.module.css';

const TRIGGER: Record<DeliverySummary['trigger'], string> = { replay: 'replay', forward: 'forward', 'pass-through': 'pass-through', simulated: 'sent' };

/**
 * A request's verdict badges (payload checks, duplicate, signature) and the outcome of its latest
 * delivery. `compact` (list rows) leaves out the good-news signature badge to save room.
 */
export function Verdicts({ verdicts, delivery, compact = false }: { verdicts: Verdict[]; delivery?: DeliverySummary | null; compact?: boolean }) {
  const shown = compact ? verdicts.filter((v) => v.kind !== 'signed' && v.kind !== 'signed-unverified') : verdicts;
  if (shown.length === 0 && !delivery) return null;
  return (
    <span data-slot="verdicts" class={styles.verdicts} data-compact={compact ? '' : undefined}>
      {shown.map((verdict) => (
        <Badge key={verdict.kind} tone={VERDICT_TONES[verdict.kind]} title={verdict.detail} data-verdict={verdict.kind}>
          {verdict.label}
        </Badge>
      ))}
      {delivery && (
        <Badge
          tone={delivery.status !== null && delivery.status < 400 ? 'ok' : 'danger'}
          title={`${TRIGGER[delivery.trigger]} to ${delivery.target} at ${delivery.at}${delivery.error ? `: ${delivery.error}` : ''}`}
        >
          {TRIGGER[delivery.trigger]} {delivery.status ?? 'failed'}
        </Badge>
      )}
    </span>
  );
}
