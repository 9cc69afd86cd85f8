import { LIVE_FULL_BODY_LIMIT, type LiveMessage } from '../../shared/live-messages.js';
import { toCapturedRequest, toSummary } from '../views/request-view.js';
import type { BinEvent } from './bus.js';

/** The wire text of an event (shared/live-messages.ts). */
export async function toWireText(event: BinEvent): Promise<string> {
  if (event.type === 'request.created') {
    const { record, body } = event;
    const full = record.size <= LIVE_FULL_BODY_LIMIT ? await toCapturedRequest(record, body) : null;
    return JSON.stringify({ type: 'request.created', request: toSummary(record), full } satisfies LiveMessage);
  }
  if (event.type === 'request.updated') return JSON.stringify({ type: 'request.updated', request: toSummary(event.record) } satisfies LiveMessage);
  return JSON.stringify(event satisfies LiveMessage);
}

const shared = new WeakMap<BinEvent, Promise<string>>();

/**
 * toWireText for an event the bus hands to every subscriber of a bin (the same object to each):
 * it is serialised once, however many sockets follow the bin.
 */
export function sharedWireText(event: BinEvent): Promise<string> {
  let text = shared.get(event);
  if (!text) {
    text = toWireText(event);
    shared.set(event, text);
  }
  return text;
}
