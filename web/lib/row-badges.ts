import type { RowBadge } from '../components/RowBadges/index.js';
import type { Tone } from '../components/Badge/index.js';
import type { RequestItem, Verdict } from './types.js';

export const VERDICT_TONES: Record<Verdict['kind'], Tone> = {
  valid: 'ok',
  invalid: 'danger',
  warnings: 'warn',
  skipped: 'warn',
  duplicate: 'info',
  unsigned: 'warn',
  'bad-signature': 'danger',
  'expired-signature': 'danger',
  signed: 'ok',
  'signed-unverified': 'neutral',
};

const TOKEN_BADGES: Partial<Record<RequestItem['token'], [string, Tone, string]>> = {
  valid: ['token ✓', 'ok', 'The ?token= matched the bin token'],
  invalid: ['bad token', 'danger', 'The ?token= did not match the bin token'],
  missing: ['no token', 'warn', 'The bin has a token but the request sent no ?token='],
};

const SECRET_HEADER_BADGES: Partial<Record<NonNullable<RequestItem['secretHeader']>, [string, Tone, string]>> = {
  valid: ['header ✓', 'ok', "The secret header matched the bin's"],
  invalid: ['bad header', 'danger', "The secret header did not match the bin's"],
  missing: ['no header', 'warn', 'The bin has a secret header but the request did not send it'],
};

/** Tones of a Krea job's or LangGraph Run's own status. */
export const STATUS_TONES: Record<string, Tone> = {
  completed: 'ok',
  success: 'ok',
  failed: 'danger',
  error: 'danger',
  timeout: 'danger',
  cancelled: 'warn',
  interrupted: 'warn',
  rollback: 'warn',
};

const TRIGGER: Record<NonNullable<RequestItem['lastDelivery']>['trigger'], string> = {
  replay: 'replay',
  forward: 'forward',
  'pass-through': 'pass-through',
  simulated: 'sent',
};

/**
 * What a list row says about a request, most important first: the verdict (shared/verdict.ts),
 * the status the sender was answered when not a plain 200, the job / run status, the token, the secret header,
 * duplicate and signature, the latest delivery. The row collapses what does not fit into "+N".
 */
export function rowBadges(item: RequestItem): RowBadge[] {
  const badges: RowBadge[] = [];
  const verdicts = item.verdicts.filter((v) => v.kind !== 'signed' && v.kind !== 'signed-unverified');
  const [main, ...others] = verdicts[0] && ['valid', 'invalid', 'warnings', 'skipped'].includes(verdicts[0].kind) ? verdicts : [undefined, ...verdicts];
  if (main) badges.push(verdictBadge(main));
  const answered = item.rejection?.status ?? item.response?.status;
  if (answered !== undefined && answered !== 200) {
    const why = item.rejection
      ? `Answered ${answered}: ${item.rejection.message}`
      : `The sender was answered ${answered}${item.response?.ruleName ? ` (rule “${item.response.ruleName}”)` : ''}`;
    badges.push({ key: 'answered', tone: answered >= 400 ? 'danger' : 'neutral', label: `→ ${answered}`, title: why, name: 'answered' });
  }
  const status = item.checks?.payloadStatus;
  if (status)
    badges.push({
      key: 'status',
      tone: STATUS_TONES[status] ?? 'neutral',
      label: status,
      title: `The ${item.checks?.schema === 'langgraph-run' ? 'run' : 'job'}'s status`,
      name: 'payload-status',
    });
  const token = TOKEN_BADGES[item.token];
  if (token) badges.push({ key: 'token', tone: token[1], label: token[0], title: token[2], name: 'token' });
  const header = item.secretHeader ? SECRET_HEADER_BADGES[item.secretHeader] : undefined;
  if (header) badges.push({ key: 'secret-header', tone: header[1], label: header[0], title: header[2], verdict: `header-${item.secretHeader}` });
  for (const verdict of others) if (verdict) badges.push(verdictBadge(verdict));
  const delivery = item.lastDelivery;
  if (delivery) {
    badges.push({
      key: 'delivery',
      tone: delivery.status !== null && delivery.status < 400 ? 'ok' : 'danger',
      label: `${TRIGGER[delivery.trigger]} ${delivery.status ?? 'failed'}`,
      title: `${TRIGGER[delivery.trigger]} to ${delivery.target} at ${delivery.at}${delivery.error ? `: ${delivery.error}` : ''}`,
      name: 'delivery',
    });
  }
  return badges;
}

function verdictBadge(verdict: Verdict): RowBadge {
  return { key: verdict.kind, tone: VERDICT_TONES[verdict.kind], label: verdict.label, title: verdict.detail ?? verdict.label, verdict: verdict.kind };
}
