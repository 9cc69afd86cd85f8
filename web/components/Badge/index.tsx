import type { ComponentChildren } from 'preact';
import type { TokenStatus } from '../../../shared/api-types.js';
import styles from './style.module.css';

export type Tone = 'neutral' | 'ok' | 'warn' | 'danger' | 'info';

interface BadgeProps {
  tone?: Tone;
  title?: string | undefined;
  /** Names the verdict for tests and styles (data-verdict). */
  'data-verdict'?: string | undefined;
  /** Names a badge that is not a verdict (answered status, job status) for tests and styles. */
  'data-badge'?: string | undefined;
  children: ComponentChildren;
}

export function Badge({ tone = 'neutral', title, children, 'data-verdict': verdict, 'data-badge': badge }: BadgeProps) {
  return (
    <span class={styles.badge} data-tone={tone} title={title} data-verdict={verdict} data-badge={badge}>
      {children}
    </span>
  );
}

const KNOWN_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** The HTTP method, coloured by kind (other methods are grey). */
export function MethodBadge({ method }: { method: string }) {
  const known = KNOWN_METHODS.has(method) ? method.toLowerCase() : 'other';
  return (
    <span class={styles.method} data-method={known}>
      {method}
    </span>
  );
}

const TOKEN_LABELS: Record<TokenStatus, [string, Tone, string] | null> = {
  none: null,
  valid: ['token ✓', 'ok', 'The ?token= matched the bin token'],
  invalid: ['bad token', 'danger', 'The ?token= did not match the bin token'],
  missing: ['no token', 'warn', 'The bin has a token but the request sent no ?token='],
};

const HEADER_LABELS: Record<TokenStatus, [string, Tone, string] | null> = {
  none: null,
  valid: ['header ✓', 'ok', "The secret header matched the bin's"],
  invalid: ['bad header', 'danger', "The secret header did not match the bin's"],
  missing: ['no header', 'warn', 'The bin has a secret header but the request did not send it'],
};

/** How the request's secret header compared with the bin's; nothing when the bin had none. */
export function SecretHeaderBadge({ status }: { status: TokenStatus | undefined }) {
  const label = status ? HEADER_LABELS[status] : null;
  if (!label) return null;
  return (
    <Badge tone={label[1]} title={label[2]} data-verdict={`header-${status}`}>
      {label[0]}
    </Badge>
  );
}

/** How the request's ?token= compared with the bin's; nothing for bins without a token. */
export function TokenBadge({ token }: { token: TokenStatus }) {
  const label = TOKEN_LABELS[token];
  if (!label) return null;
  return (
    <Badge tone={label[1]} title={label[2]}>
      {label[0]}
    </Badge>
  );
}
