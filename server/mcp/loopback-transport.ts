import { request, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { HookscopeApiError, type ApiTransport } from './api-client.js';

/** Headers of the MCP request that the API calls carry on: who is asking, and under which name. */
const CARRIED_HEADERS = ['host', 'authorization', 'cookie', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-for'] as const;

/**
 * The transport of `/mcp`: each tool is an API call to the server the MCP request reached, over
 * loopback to the socket's own local address, so the tools run exactly the API's code. The call
 * carries the MCP request's Host, credentials and (behind --trust-proxy) forwarded headers, so
 * it passes the same Host rules and access check as that request did, as that caller, and capture
 * URLs name the host the agent used.
 */
export function loopbackTransport(socket: Socket, incoming: IncomingHttpHeaders): ApiTransport {
  const carried: Record<string, string> = {};
  for (const name of CARRIED_HEADERS) {
    const value = incoming[name];
    if (typeof value === 'string') carried[name] = value;
  }
  const host = socket.localAddress ?? '127.0.0.1';
  const port = socket.localPort;
  return (call) =>
    new Promise((resolve, reject) => {
      const body = call.body === undefined ? undefined : JSON.stringify(call.body);
      const headers = {
        ...carried,
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}),
      };
      const req = request({ host, port, method: call.method, path: call.path, headers, ...(call.signal ? { signal: call.signal } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 500, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (error) => reject(unreachable(call.signal, error)));
      });
      req.on('error', (error) => reject(unreachable(call.signal, error)));
      req.end(body);
    });
}

function unreachable(signal: AbortSignal | undefined, error: Error): HookscopeApiError {
  if (signal?.aborted) return new HookscopeApiError(null, 'cancelled', 'The call was cancelled before hookscope answered.');
  return new HookscopeApiError(null, 'unreachable', `hookscope could not complete the call (${error.message}); it may be stopping. Retry in a few seconds.`);
}
