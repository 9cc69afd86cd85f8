import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Variables } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import type { HookscopeApi } from './api-client.js';
import { requestDetail, requestSummary } from './format.js';

/** Bins listed by resources/list; list_bins pages through more. */
const BINS_LISTED = 50;
/** Latest requests shown with a bin. */
const REQUESTS_WITH_BIN = 10;
/** Body bytes shown with a request resource: more than a tool shows, since a person attached it. */
const RESOURCE_BODY_BYTES = 16 * 1024;

export const BIN_URI = 'hookscope://bins/{binId}';
export const REQUEST_URI = 'hookscope://bins/{binId}/requests/{requestId}';

/**
 * Read-only resources a client can attach as context: a bin (its settings and latest requests)
 * and a captured request (headers, verdict, body cut at 16 KB). Errors are hookscope's messages.
 */
export function registerResources(server: McpServer, api: HookscopeApi): void {
  server.registerResource(
    'bin',
    new ResourceTemplate(BIN_URI, {
      list: async () => ({
        resources: (await api.listBins()).slice(0, BINS_LISTED).map((bin) => ({
          uri: `hookscope://bins/${bin.id}`,
          name: bin.name,
          description: `${bin.requestCount} requests; capture URL ${bin.url}`,
          mimeType: 'application/json',
        })),
      }),
    }),
    { title: 'A hookscope bin', description: "A bin's settings, capture URL and latest requests with their verdicts.", mimeType: 'application/json' },
    async (uri, variables) => {
      const binId = one(variables.binId);
      const [bin, page] = await Promise.all([api.getBin(binId), api.listRequests(binId, { limit: REQUESTS_WITH_BIN })]);
      return json(uri, { bin, latestRequests: page.requests.map(requestSummary) });
    },
  );

  server.registerResource(
    'request',
    new ResourceTemplate(REQUEST_URI, { list: undefined }),
    { title: 'A captured request', description: 'One captured request: headers, payload check verdict and body (cut at 16 KB).', mimeType: 'application/json' },
    async (uri, variables) =>
      json(uri, requestDetail(await api.getRequest(one(variables.binId), one(variables.requestId), RESOURCE_BODY_BYTES), RESOURCE_BODY_BYTES)),
  );
}

function one(value: Variables[string] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function json(uri: URL, value: unknown) {
  return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value) }] };
}
