import { z } from 'zod';

/**
 * Input pieces shared by several tools. Each has a description written for a model; the MCP
 * SDK turns them into the JSON Schema that tools/list shows, and checks arguments against them.
 */

/** The largest body cut a tool returns (bytes): a larger one would flood an agent's context. */
export const MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_BODY_BYTES = 4096;

export const binId = z.string().describe('The bin id (a UUID), as create_bin or list_bins gave it.');

export const requestId = z.string().describe('A request id (26 characters, e.g. 01JABC…), as list_requests or wait_for_request gave it.');

/**
 * A JSON object handed to hookscope's API exactly as the agent sent it: the API checks it and
 * refuses what it must (a `__proto__` key, for one). A zod record would copy its keys into a new
 * object, and a `__proto__` key would then become that object's prototype instead of reaching
 * the API; so this is `unknown` to zod, and an object only in the JSON Schema the agent sees.
 */
export function jsonObject(description: string, nullable = false): z.ZodType<Record<string, unknown>> {
  // Typed as what the API takes, which is where it is checked.
  return z
    .unknown()
    .meta({ type: nullable ? ['object', 'null'] : 'object' })
    .describe(description) as z.ZodType<Record<string, unknown>>;
}

export const schemaChoice = z
  .union([z.enum(['auto', 'krea-job', 'langgraph-run', 'none']), z.object({ custom: jsonObject('A JSON Schema (draft 2020-12).') })])
  .describe(
    'What payloads are checked against: "auto" (default: recognises a Krea job or a LangGraph Run by its fields), "krea-job", "langgraph-run", "none", or {"custom": <a JSON Schema, draft 2020-12>}.',
  );

export const maxBodyBytes = z
  .number()
  .int()
  .min(0)
  .max(MAX_BODY_BYTES)
  .optional()
  .describe(`Show at most this many bytes of the body (default ${DEFAULT_BODY_BYTES}); the answer gives the full size and whether it was cut.`);
