import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { UpdateBinInput } from '../../shared/api-types.js';
import type { HookscopeApi } from './api-client.js';
import { binSummary } from './format.js';
import { binId, jsonObject, schemaChoice } from './input-schemas.js';
import { ToolInputError, toolResult } from './tool-result.js';

const token = z
  .string()
  .describe('A secret the sender must add as ?token=… to the capture URL (LangGraph webhooks carry one); requests without it are flagged.');
const signingSecret = z.string().describe('A Standard Webhooks secret (whsec_…) to verify signed deliveries with.');

/** create_bin, list_bins, update_bin. */
export function registerBinTools(server: McpServer, api: HookscopeApi): void {
  server.registerTool(
    'create_bin',
    {
      title: 'Create a capture URL',
      description:
        "Creates a bin: a capture URL that records every request sent to it (any method, any sub-path), byte for byte, and checks each payload. Give its `url` as the webhook URL (Krea: the X-Webhook-URL header; LangGraph: the run's `webhook`), then call wait_for_request.",
      inputSchema: {
        name: z.string().max(200).optional().describe('A name to recognise the bin by.'),
        token: token.optional(),
        requireToken: z.boolean().optional().describe('Answer 401 to requests without the right token (they are still recorded). Default false.'),
        schema: schemaChoice.optional(),
        signingSecret: signingSecret.optional(),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    (args) => toolResult(async () => binSummary(await api.createBin(args))),
  );

  server.registerTool(
    'list_bins',
    {
      title: 'List bins',
      description: 'Lists the bins, newest first: id, name, capture URL and how many requests each holds.',
      inputSchema: { limit: z.number().int().min(1).max(200).optional().describe('At most this many bins (default 50).') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ limit = 50 }) =>
      toolResult(async () => {
        const bins = await api.listBins();
        const shown = bins
          .slice(0, limit)
          .map((bin) => ({ id: bin.id, name: bin.name, url: bin.url, requestCount: bin.requestCount, createdAt: bin.createdAt }));
        return { total: bins.length, bins: shown };
      }),
  );

  server.registerTool(
    'update_bin',
    {
      title: "Change a bin's settings",
      description:
        'Changes a bin: only the fields given. `schema` and `signingSecret` decide the payload checks, `responses` how the capture URL answers (scripted statuses, delays, sequences), `forward` an auto-forward of every capture to a target, `expectedIds` the Krea job / LangGraph run ids you started (a payload with another id is flagged).',
      inputSchema: {
        binId,
        name: z.string().max(200).optional(),
        token: token.nullable().optional().describe('The ?token= secret; null removes it.'),
        requireToken: z.boolean().optional(),
        schema: schemaChoice.optional(),
        signingSecret: signingSecret.nullable().optional().describe('A whsec_… secret; null removes it.'),
        responses: jsonObject(
          'Scripted responses, e.g. {"default":{"status":503}} or {"rules":[{"match":{"path":"/webhooks/**"},"sequence":{"steps":[{"response":{"status":503},"times":2},{"response":{"status":200}}]}}]}.',
        ).optional(),
        forward: jsonObject(
          'Auto-forward: {"target":"http://localhost:3000/webhook","retry":"langgraph","respond":"hookscope"|"forward","appendPath":false}; null turns it off.',
          true,
        ).optional(),
        expectedIds: z
          .array(z.string().min(1).max(200))
          .max(10_000)
          .optional()
          .describe('Job or run ids you started; added to the list (or replacing it with replaceExpectedIds).'),
        replaceExpectedIds: z.boolean().optional().describe('Replace the expected ids instead of adding to them.'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    ({ binId: id, expectedIds, replaceExpectedIds, ...settings }) =>
      toolResult(async () => {
        const patch = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as UpdateBinInput;
        const hasPatch = Object.keys(patch).length > 0;
        if (!hasPatch && expectedIds === undefined)
          throw new ToolInputError('Give at least one setting to change (name, token, requireToken, schema, signingSecret, responses, forward, expectedIds).');
        let bin = hasPatch ? await api.updateBin(id, patch) : null;
        if (expectedIds !== undefined) {
          await api.setExpectedIds(id, expectedIds, replaceExpectedIds === true);
          bin = await api.getBin(id);
        }
        return binSummary(bin!);
      }),
  );
}
