import { forbiddenSegment, pointerSegments } from '../../shared/checks/pointer.js';
import { MAX_JSON_DEPTH } from '../../shared/json-depth.js';
import { HttpError } from '../http-error.js';
import { parseSigningSecret } from '../checks/signature.js';
import { BODY } from '../api/body-validation.js';
import { parseTargetUrl } from '../forward/settings.js';
import { KREA_STATES, LANGGRAPH_STATES } from './payloads.js';
import type { SimulationInput } from './simulate.js';

/**
 * Validates `{ target, kind, state, options }` from the API (and the CLI's flags, turned into the
 * same shape): the contract's schema (shared/wire/send.ts), then what it cannot say (which
 * states a kind has, a secret's encoding, the override pointers). Errors say which field and
 * what it accepts.
 */
export function parseSimulationInput(body: Record<string, unknown>): SimulationInput {
  const { target, kind, state: given, options = {} } = BODY['POST /api/send'](body);
  const states: readonly string[] = kind === 'krea-job' ? KREA_STATES : kind === 'langgraph-run' ? LANGGRAPH_STATES : ['custom'];
  const state = given ?? states[0]!;
  if (!states.includes(state)) fail(`"state" for ${kind} must be one of ${states.join(', ')}.`);
  if (kind === 'custom' && !('body' in options)) fail('kind "custom" needs "options.body": the JSON to send.');
  const input: SimulationInput = { target: parseTargetUrl(target), kind, state, flavor: options.flavor ?? 'python', timeScale: options.timeScale ?? 1 };
  if (options.token !== undefined) input.token = options.token;
  if (options.signingSecret !== undefined) {
    if (!parseSigningSecret(options.signingSecret)) fail('options.signingSecret must be a Standard Webhooks secret: whsec_ followed by base64.');
    input.signingSecret = options.signingSecret;
  }
  if (options.errorForm !== undefined) {
    if (kind !== 'langgraph-run') fail('"options.errorForm" is for langgraph-run: "string" or "object" ({ error, message }).');
    input.errorForm = options.errorForm;
  }
  if (options.allowedFields !== undefined) {
    if (kind !== 'langgraph-run')
      fail('"options.allowedFields" is for langgraph-run: the top-level Run fields to send, e.g. ["run_id", "status", "values"] (webhooks.allowed_fields).');
    input.allowedFields = [...options.allowedFields];
  }
  if (options.duplicateAfterMs !== undefined) input.duplicateAfterMs = options.duplicateAfterMs;
  if (options.overrides !== undefined) {
    for (const pointer of Object.keys(options.overrides)) checkOverridePointer(pointer);
    input.overrides = options.overrides;
  }
  if (kind === 'custom') input.body = options.body;
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
  if (refused !== null)
    fail(
      `options.overrides key "${shown}" has the segment "${refused}": hookscope refuses __proto__, constructor and prototype in JSON Pointers, since they could reach an object prototype.`,
    );
  if (pointerSegments(pointer).length > MAX_JSON_DEPTH) fail(`options.overrides key "${shown}" has more than ${MAX_JSON_DEPTH} segments.`);
}

function fail(message: string): never {
  throw new HttpError(400, 'invalid_simulation', message);
}
