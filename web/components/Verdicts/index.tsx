import type { ReplayResult, Verdict } from '../../lib/types.js';
import { Badge, type Tone } from '../Badge/index.js';

const TONES: Record<Verdict['kind'], Tone> = { valid: 'ok', invalid: 'danger', warnings: 'warn', duplicate: 'info', 'bad-signature': 'danger' };

/**
 * The slot where payload checks (valid / invalid / warnings / duplicate / bad signature) and
 * replay outcomes show, in list rows and the detail header. Nothing fills them yet.
 */
export function Verdicts({ verdicts, replays = [] }: { verdicts: Verdict[]; replays?: ReplayResult[] }) {
  if (verdicts.length === 0 && replays.length === 0) return null;
  return (
    <span data-slot="verdicts">
      {verdicts.map((verdict) => (
        <Badge key={verdict.kind} tone={TONES[verdict.kind]} title={verdict.detail}>
          {verdict.label}
        </Badge>
      ))}
      {replays.map((replay) => (
        <Badge key={replay.at} tone={replay.status !== null && replay.status < 400 ? 'ok' : 'danger'} title={`Replayed to ${replay.target} at ${replay.at}`}>
          replay {replay.status ?? 'failed'}
        </Badge>
      ))}
    </span>
  );
}
