import { parseTimestamp } from '../../../shared/checks/timestamp.js';
import type { RunTiming } from '../../../shared/checks/types.js';
import { formatDuration, text } from '../../lib/payload-fields.js';
import styles from './style.module.css';

/** The steps of a Run's life, each with its field and the checks' span that ends at it. */
const STEPS: { label: string; key: string | null; span: keyof RunTiming | null }[] = [
  { label: 'created', key: 'created_at', span: null },
  { label: 'started', key: 'run_started_at', span: 'queuedMs' },
  { label: 'ended', key: 'run_ended_at', span: 'ranMs' },
  { label: 'sent', key: 'webhook_sent_at', span: 'sendDelayMs' },
  { label: 'received', key: null, span: 'deliveryMs' },
];

/** What is wrong with a step: its field absent, not a date-time, or earlier than a step before it. */
type Mark = 'missing' | 'invalid' | 'out-of-order';

interface Step {
  label: string;
  at: string | null;
  mark: Mark | null;
  /** The checks' duration from the step before (ms); undefined when they computed none. */
  gap: number | undefined;
}

/**
 * The steps as the timeline shows them. Durations are the checks' (`timing`, computed once on the
 * server from the same timestamps), never computed again here; order is judged with the checks'
 * own timestamp parser, so a step is "out of order" exactly when the checks would say so.
 */
export function timelineSteps(run: Record<string, unknown>, receivedAt: string, timing: RunTiming | undefined): Step[] {
  let latest: number | null = null;
  return STEPS.map(({ label, key, span }) => {
    const raw = key === null ? receivedAt : Object.hasOwn(run, key) ? run[key] : undefined;
    const at = text(raw);
    const micros = parseTimestamp(raw);
    let mark: Mark | null = raw === undefined || raw === null ? 'missing' : micros === null ? 'invalid' : null;
    if (micros !== null) {
      if (latest !== null && micros < latest) mark = 'out-of-order';
      latest = Math.max(latest ?? micros, micros);
    }
    return { label, at, mark, gap: span === null ? undefined : timing?.[span] };
  });
}

const MARK_TEXT: Record<Mark, string> = { missing: 'missing', invalid: 'not a date-time', 'out-of-order': 'out of order' };

/**
 * A LangGraph Run's timeline created → started → ended → sent → received, with the time between
 * steps from the checks (`timing`; undefined when the checks did not time this Run) and a mark on a
 * step that is missing, not a date, or before an earlier one (a clock is off).
 */
export function RunTimeline({ run, receivedAt, timing }: { run: Record<string, unknown>; receivedAt: string; timing: RunTiming | undefined }) {
  const steps = timelineSteps(run, receivedAt, timing);
  return (
    <div role="group" aria-label="Timeline">
      <h4 class={styles.heading}>Timeline</h4>
      <ol class={styles.timeline} data-testid="run-timeline">
        {steps.map((step, i) => (
          <li key={step.label} data-step={step.label} data-mark={step.mark ?? undefined}>
            <span class={styles.step}>{step.label}</span> {step.at !== null ? <time>{step.at}</time> : <span class={styles.muted}>—</span>}
            {step.mark && <span class={styles.mark}> {MARK_TEXT[step.mark]}</span>}
            {i > 0 && <Gap ms={step.gap} />}
          </li>
        ))}
      </ol>
      {!timing && (
        <p class={styles.muted} data-testid="timeline-untimed">
          No durations: the checks did not time this run (the bin checks it against another schema, or not at all).
        </p>
      )}
    </div>
  );
}

function Gap({ ms }: { ms: number | undefined }) {
  if (ms === undefined) return null;
  return (
    <span class={ms < 0 ? styles.negative : styles.muted} data-duration={ms}>
      {' '}
      {ms < 0 ? `${formatDuration(ms)} (a clock is off)` : `+${formatDuration(ms)}`}
    </span>
  );
}
