/**
 * Recognises which known payload a JSON body is, for bins whose schema choice is 'auto'.
 */
import type { BuiltinSchemaId } from '../schemas/index.js';

/** A JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The built-in schema a parsed body looks like, or null when it looks like neither:
 * - a LangGraph Run has `run_id`, `status` and one of `thread_id`, `assistant_id`, `kwargs` (a Run
 *   trimmed by webhooks.allowed_fields may lack some);
 * - a Krea job has `job_id` and `status`.
 * Recognition goes by the presence of the keys only, whatever their values: a Run with a numeric
 * `run_id` is still a Run, and checking it against the Run schema is what tells the user so. The
 * Run test comes first because it asks for more keys, so a body with all four keys (which no
 * documented sender produces) is taken for the more specific match.
 */
export function detectPayloadKind(json: unknown): BuiltinSchemaId | null {
  if (!isJsonObject(json) || !Object.hasOwn(json, 'status')) return null;
  // A Run trimmed by webhooks.allowed_fields may lack thread_id: run_id with another Run-only field will do.
  if (Object.hasOwn(json, 'run_id') && (Object.hasOwn(json, 'thread_id') || Object.hasOwn(json, 'assistant_id') || Object.hasOwn(json, 'kwargs')))
    return 'langgraph-run';
  if (Object.hasOwn(json, 'job_id')) return 'krea-job';
  return null;
}
