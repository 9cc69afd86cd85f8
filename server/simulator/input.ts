import { forbiddenSegment, pointerSegments } from '../../shared/checks/pointer.js';
import { MAX_JSON_DEPTH } from '../../shared/json-depth.js';
import { HttpError } from '../http-error.js';
import { parseSigningSecret } from '../checks/signature.js';
import { parseTargetUrl } from '../forward/settings.js';
import { KREA_STATES, LANGGRAPH_STATES } from './payloads.js';
import type { SimulationInput } from './simulate.js';

const KINDS = ['krea-job', 'langgraph-run', 'custom'] as const;
const MAX_DUPLICATE_DELAY_MS = 600_000;

/**
 * Validates `{ target, kind, state, options }` from the API (and the CLI's flags, turned into the
 * same shape). Errors say which field and what it accepts.
 */
export function parseSimulationInput(body: Record<string, unknown>): SimulationInput {
  const options = (body.options ?? {}) as Record<string, unknown>;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) fail('"options" must be an object.');
  const kind = body.kind;
  if (!KINDS.includes(kind as (typeof KINDS)[number])) fail(`"kind" must be one of ${KINDS.join(', ')}.`);
  const states: readonly string[] = kind === 'krea-job' ? KREA_STATES : kind === 'langgraph-run' ? LANGGRAPH_STATES : ['custom'];
  const state = body.state ?? states[0];
  if (typeof state !== 'string' || !states.includes(state)) fail(`"state" for ${kind} must be one of ${states.join(', ')}.`);
  const flavor = options.flavor ?? 'python';
  if (flavor !== 'python' && flavor !== 'js') fail('"options.flavor" must be "python" or "js" (which LangGraph server to imitate).');
  if (kind === 'custom' && !('body' in options)) fail('kind "custom" needs "options.body": the JSON to send.');
  const input: SimulationInput = { target: parseTargetUrl(body.target), kind: kind as SimulationInput['kind'], state: state as string, flavor, timeScale: 1 };
  if (options.token !== undefined) {
    if (typeof options.token !== 'string' || options.token === '' || options.token.length > 256) fail('"options.token" must be a string of 1 to 256 characters.');
    input.token = options.token;
  }
  if (options.signingSecret !== undefined) {
    if (typeof options.signingSecret !== 'string' || !options.signingSecret.startsWith('whsec_') || !parseSigningSecret(options.signingSecret)) fail('"options.signingSecret" must be a Standard Webhooks secret: whsec_ followed by base64.');
    input.signingSecret = options.signingSecret;
  }
  if (options.errorForm !== undefined) {
    if (kind !== 'langgraph-run' || (options.errorForm !== 'string' && options.errorForm !== 'object')) fail('"options.errorForm" is for langgraph-run: "string" or "object" ({ error, message }).');
    input.errorForm = options.errorForm;
  }
  if (options.allowedFields !== undefined) {
    const fields = options.allowedFields;
    if (kind !== 'langgraph-run' || !Array.isArray(fields) || fields.length === 0 || fields.length > 50 || fields.some((f) => typeof f !== 'string' || f === '' || f.length > 100)) {
      fail('"options.allowedFields" is for langgraph-run: the top-level Run fields to send, e.g. ["run_id", "status", "values"] (webhooks.allowed_fields).');
    }
    input.allowedFields = fields as string[];
  }
  if (options.duplicateAfterMs !== undefined) input.duplicateAfterMs = whole(options.duplicateAfterMs, 'options.duplicateAfterMs', 0, MAX_DUPLICATE_DELAY_MS);
  if (options.overrides !== undefined) {
    const overrides = options.overrides as Record<string, unknown>;
    if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) fail('"options.overrides" must map JSON Pointers (like "/status") to values.');
    for (const pointer of Object.keys(overrides)) checkOverridePointer(pointer);
    input.overrides = overrides;
  }
  if (kind === 'custom') input.body = options.body;
  if (options.timeScale !== undefined) {
    const scale = options.timeScale;
    if (typeof scale !== 'number' || !(scale >= 0.0001 && scale <= 1)) fail('"options.timeScale" must be a number from 0.0001 to 1 (it shortens every wait and timeout).');
    input.timeScale = scale;
  }
  return input;
}

/**
 * An override's key must be a JSON Pointer whose segments cannot reach a prototype (see
 * shared/safe-keys.ts) and whose nesting a reader can follow.
 */
function checkOverridePointer(pointer: string): void {
  const shown = pointer.length > 200 ? `${pointer.slice(0, 200)}…` : pointer;
  if (pointer !== '' && !pointer.startsWith('/')) fail(`"options.overrides" key "${shown}" is not a JSON Pointer; write "/${shown}".`);
  const refused = forbiddenSegment(pointer);
  if (refused !== null) fail(`"options.overrides" key "${shown}" has the segment "${refused}": hookscope refuses __proto__, constructor and prototype in JSON Pointers, since they could reach an object prototype.`);
  if (pointerSegments(pointer).length > MAX_JSON_DEPTH) fail(`"options.overrides" key "${shown}" has more than ${MAX_JSON_DEPTH} segments.`);
}

function whole(value: unknown, field: string, min: number, max: number): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) fail(`"${field}" must be a whole number from ${min} to ${max}.`);
  return value as number;
}

function fail(message: string): never {
  throw new HttpError(400, 'invalid_simulation', message);
}
