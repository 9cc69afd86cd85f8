import type { ComponentChildren } from 'preact';
import { STATUS_TONES } from '../../lib/row-badges.js';
import { Badge } from '../Badge/index.js';
import styles from './style.module.css';

/** The first fact of a payload view (Krea job, LangGraph run): its status as a badge, or "missing". */
export function StatusFact({ status }: { status: string | null }) {
  return (
    <>
      <dt>Status</dt>
      <dd>{status !== null ? <Badge tone={STATUS_TONES[status] ?? 'neutral'}>{status}</Badge> : <span class={styles.muted}>missing</span>}</dd>
    </>
  );
}

/** An identifier the payload carries (job, run, thread…), as code; "—" when it has none. `children` follow it. */
export function IdFact({ label, id, children }: { label: string; id: string | null; children?: ComponentChildren }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <code>{id ?? '—'}</code>
        {children}
      </dd>
    </>
  );
}
