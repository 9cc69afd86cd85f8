import type { IncomingMessage } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Context, Next } from 'koa';
import { HttpError } from '../http-error.js';
import { HookscopeApi } from './api-client.js';
import { loopbackTransport } from './loopback-transport.js';
import { createMcpServer } from './mcp-server.js';

export const MCP_PATH = '/mcp';

/** A JSON-RPC message to /mcp: tool arguments are small; a replay's new body is the largest. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * MCP over streamable HTTP at /mcp, mounted after the Host and Origin rules and the access check,
 * so it is guarded exactly like /api. Stateless: each POST gets its own MCP server and transport,
 * answered as JSON, and nothing is kept between requests (no session table to bound or to share
 * between instances on Redis). GET (a server-to-client stream) and DELETE (ending a session) have
 * nothing to serve, so they get 405, which MCP clients expect from a stateless server.
 */
export function mcpEndpoint() {
  return async (ctx: Context, next: Next): Promise<void> => {
    if (ctx.path !== MCP_PATH) return next();
    if (ctx.method !== 'POST') {
      throw new HttpError(
        405,
        'method_not_allowed',
        `${MCP_PATH} takes MCP messages as POST (streamable HTTP, stateless): there is no stream to GET and no session to DELETE.`,
        { allow: 'POST' },
      );
    }
    const server = createMcpServer(new HookscopeApi(loopbackTransport(ctx.req.socket, ctx.req.headers)));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true, maxRequestBodySize: MAX_MESSAGE_BYTES });
    ctx.respond = false; // the transport writes the answer
    ctx.res.on('close', () => void server.close()); // also ends tool calls still running (their API calls are aborted)
    try {
      await server.connect(transport);
      await transport.handleRequest(ctx.req, ctx.res);
    } catch (error) {
      console.error('hookscope: internal error on POST /mcp', error);
      if (!ctx.res.headersSent) ctx.res.writeHead(500, { 'content-type': 'application/json' });
      ctx.res.end(
        JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Something went wrong inside hookscope; the error was logged.' }, id: null }),
      );
    }
  };
}

/** Whether a bare node:http request is for /mcp (before Koa has parsed it). */
export function isMcpRequest(req: IncomingMessage): boolean {
  return (req.url ?? '').split('?')[0] === MCP_PATH;
}
