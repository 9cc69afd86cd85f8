import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { VERSION } from '../api/status.js';
import type { HookscopeApi } from './api-client.js';
import { registerBinTools } from './bin-tools.js';
import { registerCheckTools } from './check-tools.js';
import { registerRequestTools } from './request-tools.js';
import { registerResources } from './resources.js';

const INSTRUCTIONS = [
  'hookscope captures webhooks and checks them. A typical loop:',
  "create_bin → give its url as the webhook URL (Krea: X-Webhook-URL header; LangGraph: the run's webhook) →",
  'start the job or run → wait_for_request (returns the request and its verdict) → get_request for more of the body →',
  'replay_request to a local receiver. validate_payload checks a payload without capturing it; send_test_webhook imitates a sender.',
].join(' ');

/**
 * hookscope as an MCP server: its tools and resources over `api`, one implementation for both
 * transports (stdio in `hookscope mcp`, streamable HTTP at /mcp). Connect it to one transport.
 */
export function createMcpServer(api: HookscopeApi): McpServer {
  const server = new McpServer({ name: 'hookscope', version: VERSION }, { instructions: INSTRUCTIONS });
  registerBinTools(server, api);
  registerRequestTools(server, api);
  registerCheckTools(server, api);
  registerResources(server, api);
  return server;
}
