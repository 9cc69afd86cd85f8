import type { Delivery, DeliverySummary, RequestDetail } from './types.js';

/**
 * The detail with `delivery` added. The same attempt can arrive twice (the replay's own answer,
 * with up to 1 MB of response body, and the live push of the stored copy, cut to 16 KB): it is
 * kept once, with the longer body.
 */
export function withDelivery(detail: RequestDetail, delivery: Delivery): RequestDetail {
  const known = detail.deliveries.find((d) => d.id === delivery.id);
  const longer = (d: Delivery) => d.body?.data.length ?? 0;
  const deliveries = !known
    ? [...detail.deliveries, delivery]
    : detail.deliveries.map((d) => (d.id === delivery.id && longer(delivery) > longer(known) ? delivery : d));
  return { ...detail, deliveries, lastDelivery: deliveries.at(-1) ?? null };
}

/** True when `candidate` is newer than what a row shows (null: none yet). */
export function isNewer(candidate: DeliverySummary, shown: DeliverySummary | null): boolean {
  return !shown || shown.at <= candidate.at;
}
