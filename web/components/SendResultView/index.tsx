import { useState } from 'preact/hooks';
import type { SendResult } from '../../../shared/send-types.js';
import { plural } from '../../lib/verdicts.js';
import { Badge } from '../Badge/index.js';
import { DeliveryList } from '../DeliveryList/index.js';
import { DeliveryView } from '../DeliveryView/index.js';
import styles from './style.module.css';

/** One simulated send: delivered or not, every attempt of every delivery, the chosen attempt's answer and the payload. */
export function SendResultView({ result }: { result: SendResult }) {
  const attempts = result.deliveries.flatMap((d) => d.attempts);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = attempts.find((a) => a.id === selectedId) ?? attempts.at(-1) ?? null;
  return (
    <div class={styles.result} data-testid="send-result" data-delivered={String(result.delivered)}>
      <p class={styles.verdict}>
        <Badge tone={result.delivered ? 'ok' : 'danger'}>{result.delivered ? 'delivered' : 'not delivered'}</Badge>{' '}
        {result.delivered ? 'The receiver answered 2xx.' : 'The receiver never answered 2xx.'}{' '}
        <span class={styles.muted}>
          {result.sender} · {result.kind} {result.state} → <code>{result.target}</code>
        </span>
      </p>
      {result.deliveries.map((delivery) => (
        <section key={delivery.label} aria-label={`${delivery.label} delivery`}>
          <h4 class={styles.heading}>
            {delivery.label === 'first' ? 'Delivery' : 'Duplicate delivery'}: {plural(delivery.attempts.length, 'attempt')}
          </h4>
          <DeliveryList
            deliveries={delivery.attempts}
            label={`Attempts of the ${delivery.label} delivery`}
            selectedId={selected?.id ?? null}
            onSelect={setSelectedId}
          />
        </section>
      ))}
      {selected && (
        <details class={styles.more}>
          <summary>Answer to the selected attempt</summary>
          <DeliveryView delivery={selected} />
        </details>
      )}
      <details class={styles.more}>
        <summary>Payload sent</summary>
        <pre class={styles.payload}>{result.payload}</pre>
      </details>
    </div>
  );
}
