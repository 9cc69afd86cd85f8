import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../shared/json-depth.js';
import type { SendInput } from '../../shared/send-types.js';
import type { HookscopeApi } from './api-client.js';
import { sendSummary, verdict } from './format.js';
import { jsonObject, schemaChoice } from './input-schemas.js';
import { ToolInputError, toolResult } from './tool-result.js';

/** Issues shown by validate_payload, which is asked for them (list_requests shows fewer). */
const VALIDATE_ISSUES_SHOWN = 20;

/** validate_payload, send_test_webhook. */
export function registerCheckTools(server: McpServer, api: HookscopeApi): void {
  server.registerTool(
    'validate_payload',
    {
      title: 'Check a webhook payload',
      description:
        'Checks a JSON payload against the Krea job or LangGraph Run schema (or "auto", or a custom JSON Schema) and hookscope\'s semantic checks, without capturing it. Returns the verdict: valid, and each error and warning with its JSON Pointer path.',
      inputSchema: {
        schema: schemaChoice.optional(),
        payload: z.unknown().optional().describe('The payload itself, as a JSON value (an object).'),
        payloadJson: z.string().optional().describe('Or the payload as JSON text, e.g. a body from get_request.'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ schema = 'auto', payload, payloadJson }) =>
      toolResult(async () => verdict(await api.validate(schema, payloadOf(payload, payloadJson)), VALIDATE_ISSUES_SHOWN)),
  );

  server.registerTool(
    'send_test_webhook',
    {
      title: 'Send a test webhook',
      description:
        "Sends a realistic Krea job or LangGraph Run webhook (fresh ids, schema-valid unless overridden) to a receiver the way the real sender does: its headers, retries and timeouts. Use a bin's url as target to capture it, or your own receiver to test it. Returns every attempt.",
      inputSchema: {
        target: z.string().describe("The receiver's absolute http(s) URL."),
        kind: z.enum(['krea-job', 'langgraph-run', 'custom']),
        state: z
          .string()
          .optional()
          .describe('krea-job: completed (default), failed, cancelled; langgraph-run: success (default), error, interrupted, timeout.'),
        flavor: z
          .enum(['python', 'js'])
          .optional()
          .describe('langgraph-run: which LangGraph server to imitate (python: 3 tries, JSON; js: 1 try, text/plain).'),
        token: z.string().optional().describe('Added as ?token= (LangGraph echoes it in kwargs.webhook).'),
        signingSecret: z.string().optional().describe('Sign with Standard Webhooks headers using this whsec_… secret.'),
        overrides: jsonObject('JSON Pointer → value, to break the payload on purpose, e.g. {"/status": "processing"}.').optional(),
        body: z.unknown().optional().describe('kind "custom": the JSON to send.'),
        duplicateAfterMs: z.number().int().min(0).max(600_000).optional().describe('Deliver the same webhook again this many ms later.'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    ({ target, kind, state, ...options }) =>
      toolResult(async () => {
        const input: SendInput = {
          target,
          kind,
          ...(state !== undefined ? { state } : {}),
          options: Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
        };
        return sendSummary(await api.sendTestWebhook(input));
      }),
  );
}

function payloadOf(payload: unknown, payloadJson: string | undefined): unknown {
  if ((payload === undefined) === (payloadJson === undefined))
    throw new ToolInputError('Give the payload either as `payload` (a JSON value) or as `payloadJson` (JSON text), not both or neither.');
  if (payloadJson === undefined) return payload;
  if (nestsDeeperThan(payloadJson))
    throw new ToolInputError(`payloadJson nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels; hookscope checks JSON up to that depth.`);
  try {
    return JSON.parse(payloadJson);
  } catch (error) {
    throw new ToolInputError(
      `payloadJson is not valid JSON: ${(error as Error).message}. A body that is not JSON fails the checks as it is: hookscope records it, but there is no payload to validate.`,
    );
  }
}
