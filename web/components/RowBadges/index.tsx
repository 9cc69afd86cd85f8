import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Badge, type Tone } from '../Badge/index.js';
import styles from './style.module.css';

/** One badge of a list row. */
export interface RowBadge {
  key: string;
  tone: Tone;
  label: string;
  title: string;
  /** data-verdict: set for verdict badges only (tests and styles key on it). */
  verdict?: string;
  /** data-badge: names the other badges. */
  name?: string;
}

/**
 * A row's badges in priority order. When they do not fit, the last ones collapse into "+N"
 * (its tooltip names them), so no badge is ever cut at the row's edge.
 */
export function RowBadges({ badges }: { badges: RowBadge[] }) {
  const box = useRef<HTMLSpanElement>(null);
  const signature = badges.map((b) => b.key + b.label).join('|');
  const [fit, setFit] = useState({ signature, shown: badges.length });
  // New badges (or a wider row after a resize): start from all of them again.
  const shown = fit.signature === signature ? fit.shown : badges.length;
  useLayoutEffect(() => {
    const el = box.current;
    if (el && shown > 0 && el.scrollWidth > el.clientWidth + 1) setFit({ signature, shown: shown - 1 });
    else if (fit.signature !== signature) setFit({ signature, shown });
  });
  if (badges.length === 0) return null;
  const hidden = badges.slice(shown);
  return (
    <span ref={box} class={styles.badges} data-slot="badges">
      {badges.slice(0, shown).map((badge) => (
        <Badge key={badge.key} tone={badge.tone} title={badge.title} data-verdict={badge.verdict} data-badge={badge.name}>
          {badge.label}
        </Badge>
      ))}
      {hidden.length > 0 && (
        <span
          class={styles.more}
          data-testid="more-badges"
          data-hidden={hidden.map((b) => b.verdict ?? b.name ?? b.key).join(' ')}
          title={hidden.map((b) => `${b.label}: ${b.title}`).join('\n')}
        >
          +{hidden.length}
        </span>
      )}
    </span>
  );
}
