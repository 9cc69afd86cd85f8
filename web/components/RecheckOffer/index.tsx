import { api } from '../../lib/api.js';
import type { BinInfo } from '../../lib/types.js';
import { useAction } from '../../lib/use-action.js';
import { plural } from '../../lib/verdicts.js';
import styles from './style.module.css';

/** After a change that affects the checks: offer to run them again on everything already captured. */
export function RecheckOffer({ bin }: { bin: BinInfo }) {
  const [state, run] = useAction(() => api.recheckBin(bin.id));
  if (bin.requestCount === 0) return null;
  return (
    <div class={styles.offer} data-testid="recheck-offer">
      {state.result === null ? (
        <>
          <span>
            {bin.requestCount === 1 ? 'The request already captured was' : `The ${bin.requestCount} requests already captured were`} checked with the old
            settings.
          </span>
          <button type="button" data-variant="primary" disabled={state.busy} onClick={() => void run()}>
            {state.busy ? 'Rechecking…' : 'Recheck all requests'}
          </button>
        </>
      ) : (
        <span role="status">Rechecked {plural(state.result, 'request')}: their badges are up to date.</span>
      )}
      {state.error && (
        <span role="alert" class={styles.error}>
          {state.error}
        </span>
      )}
    </div>
  );
}
