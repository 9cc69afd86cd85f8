import type { Wire, WireInput } from './wire/json-schema.js';
import type { SEND_KINDS, sendDeliverySchema, sendInputSchema, sendOptionsSchema, sendResultSchema } from './wire/send.js';

/**
 * Wire shapes of the sender simulator (`POST /api/send`, `GET /api/sends`): the types of the
 * JSON Schemas in shared/wire/send.ts. The server's SimulationResult (server/simulator/simulate.ts)
 * is SendResult.
 */

export type SendKind = (typeof SEND_KINDS)[number];

/** The terminal states each generated payload can have (the first is the default). */
export const SEND_STATES: Record<Exclude<SendKind, 'custom'>, readonly string[]> = {
  'krea-job': ['completed', 'failed', 'cancelled'],
  'langgraph-run': ['success', 'error', 'interrupted', 'timeout'],
};

export type SendOptions = WireInput<typeof sendOptionsSchema>;
export type SendInput = WireInput<typeof sendInputSchema>;
export type SendDelivery = Wire<typeof sendDeliverySchema>;
export type SendResult = Wire<typeof sendResultSchema>;
