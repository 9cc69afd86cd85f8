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

export const schemaChoice = z
  .union([z.enum(['auto', 'krea-job', 'langgraph-run', 'none']), z.object({ custom: z.record(z.string(), z.unknown()) })])
  .describe('What payloads are checked against: "auto" (default: recognises a Krea job or a LangGraph Run by its fields), "krea-job", "langgraph-run", "none", or {"custom": <a JSON Schema, draft 2020-12>}.');

export const maxBodyBytes = z
  .number()
  .int()
  .min(0)
  .max(MAX_BODY_BYTES)
  .optional()
  .describe(`Show at most this many bytes of the body (default ${DEFAULT_BODY_BYTES}); the answer gives the full size and whether it was cut.`);
