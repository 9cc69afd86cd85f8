// The request bodies the benchmarks send.

/** `value` as JSON of exactly `size` bytes (for ASCII values), filled up by a `pad` field of x's. */
export function padded(value, size) {
  const withPad = { ...value, pad: '' };
  withPad.pad = 'x'.repeat(size - JSON.stringify(withPad).length);
  return JSON.stringify(withPad);
}

/** A `size`-byte (default ~1 KB) JSON event, different for each `n` (a unique event id). */
export function eventBody(n, size = 1024) {
  const event = { event: 'order.paid', id: `evt_${n}`, data: { order: `ord_${n}`, amount: 4200 + (n % 100), currency: 'eur', items: [{ sku: 'A1', qty: 2 }] } };
  return padded(event, size);
}
