import { LIVE_FULL_BODY_LIMIT, type LiveMessage } from '../../shared/live-messages.js';
import { toCapturedRequest, toSummary } from '../views/request-view.js';
import type { BinEvent } from './bus.js';

/** The wire text of an event, and the request id it carries (for resync de-duplication). */
export async function toWireMessage(event: BinEvent): Promise<{ text: string; requestId: string | null }> {
  if (event.type === 'request.created') {
    const { record, body } = event;
    const full = record.size <= LIVE_FULL_BODY_LIMIT ? await toCapturedRequest(record, body) : null;
    const message: LiveMessage = { type: 'request.created', request: toSummary(record), full };
    return { text: JSON.stringify(message), requestId: record.id };
  }
  if (event.type === 'request.updated') {
    const message: LiveMessage = { type: 'request.updated', request: toSummary(event.record) };
    return { text: JSON.stringify(message), requestId: null };
  }
  return { text: JSON.stringify(event satisfies LiveMessage), requestId: null };
}
