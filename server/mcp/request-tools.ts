import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ReplayInput } from '../../shared/api-types.js';
import type { HookscopeApi } from './api-client.js';
import { replaySummary, requestDetail, requestSummary } from './format.js';
import { binId, DEFAULT_BODY_BYTES, jsonObject, maxBodyBytes, requestId } from './input-schemas.js';
import { toolResult } from './tool-result.js';

/**
 * The longest wait_for_request may wait (s). MCP clients give up on a call after about a
 * minute by default (the SDK's client: 60 s), so a longer wait would end as a client error.
 */
export const MAX_WAIT_SECONDS = 50;

/** The smallest request id: every request of a bin is newer (ids sort in arrival order). */
const BEFORE_ANY_REQUEST = '0'.repeat(26);

/** list_requests, get_request, wait_for_request, replay_request. */
export function registerRequestTools(server: McpServer, api: HookscopeApi): void {
  server.registerTool(
    'list_requests',
    {
      title: 'List captured requests',
      description:
        "Lists a bin's captured requests, newest first, as summaries with each payload check verdict (valid, errors, warnings). Use get_request for headers and body.",
      inputSchema: {
        binId,
        q: z
          .string()
          .max(1000)
          .optional()
          .describe(
            'A filter: words that must all match, e.g. `method:POST`, `token:invalid`, or any word or "quoted phrase" looked for in path, query, headers and body.',
          ),
        limit: z.number().int().min(1).max(100).optional().describe('At most this many (default 20).'),
        before: requestId.optional().describe('Continue an earlier page: its nextBefore.'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ binId: bin, q, limit = 20, before }) =>
      toolResult(async () => {
        const page = await api.listRequests(bin, { limit, ...(q ? { q } : {}), ...(before ? { before } : {}) });
        return { requests: page.requests.map(requestSummary), nextBefore: page.nextBefore };
      }),
  );

  server.registerTool(
    'get_request',
    {
      title: 'Read one captured request',
      description:
        'One captured request: method, path, query, headers in arrival order, its payload check verdict, and its body (as text, or base64 when not UTF-8) cut at maxBodyBytes, with the full size.',
      inputSchema: { binId, requestId, maxBodyBytes },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ binId: bin, requestId: id, maxBodyBytes: cap = DEFAULT_BODY_BYTES }) => toolResult(async () => requestDetail(await api.getRequest(bin, id, cap), cap)),
  );

  server.registerTool(
    'wait_for_request',
    {
      title: 'Wait for a webhook',
      description: `Waits until a request arrives at the bin and returns it with its payload check verdict (like get_request), or says none arrived yet. \`after\`: "start" for the bin's first request (at once if it already came: use this right after starting a job, so a fast webhook is not missed), a request id for the first one newer than it (the last you have seen), or leave it out for the next to arrive from now. Waits up to timeoutSeconds (default 20, at most ${MAX_WAIT_SECONDS}); call again to keep waiting.`,
      inputSchema: {
        binId,
        after: z
          .string()
          .optional()
          .describe('"start" (the bin\'s first request), or a request id (the first request newer than it); omitted: the next to arrive from now.'),
        timeoutSeconds: z.number().int().min(0).max(MAX_WAIT_SECONDS).optional(),
        maxBodyBytes,
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ binId: bin, after, timeoutSeconds = 20, maxBodyBytes: cap = DEFAULT_BODY_BYTES }, extra) =>
      toolResult(async () => {
        const request = await api.waitForRequest(bin, after === 'start' ? BEFORE_ANY_REQUEST : after, timeoutSeconds, extra.signal);
        if (request) return requestDetail(request, cap);
        const which = after === 'start' ? 'arrived in the bin' : after ? `newer than ${after} arrived` : 'arrived';
        return `none yet: no request ${which} in ${timeoutSeconds} s. Call wait_for_request again (same arguments) to keep waiting.`;
      }),
  );

  server.registerTool(
    'replay_request',
    {
      title: 'Replay a captured request',
      description:
        "Sends a captured request again to a target (e.g. your local receiver), byte for byte so signatures still verify, or with edits (method, headers, body, query). Returns the target's status, time and a short part of its answer; a target that fails is reported in `error`, not as a tool error.",
      inputSchema: {
        binId,
        requestId,
        target: z.string().optional().describe("Absolute http(s) URL, e.g. http://localhost:3000/webhook. Default: the bin's last replay target."),
        method: z.string().max(20).optional(),
        headers: jsonObject('Header changes: {"name": "value"} sets, {"name": null} removes.').optional(),
        body: z.string().optional().describe('A new body instead of the captured one.'),
        bodyEncoding: z.enum(['utf8', 'base64']).optional().describe('How `body` is written (default utf8).'),
        queryString: z.string().optional().describe('A new raw query string, without "?".'),
        appendPath: z.boolean().optional().describe("Append the captured sub-path (after /h/<binId>) to the target's path."),
        timeoutMs: z.number().int().min(1).max(120_000).optional(),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    ({ binId: bin, requestId: id, ...edits }) => toolResult(async () => replaySummary(await api.replay(bin, id, defined(edits) as ReplayInput))),
  );
}

/** The fields that were given (an absent edit leaves the captured request as it was). */
function defined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
