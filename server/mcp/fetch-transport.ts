import { HookscopeApiError, type ApiTransport } from './api-client.js';

/**
 * The transport of `hookscope mcp`: fetch against a hookscope server anywhere (`baseUrl` is its
 * origin, with a path prefix when it sits under one), with its access token as a Bearer header.
 * A server that cannot be reached is a HookscopeApiError saying so, never a crash.
 */
export function fetchTransport(baseUrl: string, accessToken: string | null): ApiTransport {
  const base = baseUrl.replace(/\/+$/, '');
  return async (call) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (accessToken !== null) headers.authorization = `Bearer ${accessToken}`;
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const res = await fetch(`${base}${call.path}`, {
        method: call.method,
        headers,
        ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
        ...(call.signal ? { signal: call.signal } : {}),
      });
      return { status: res.status, text: await res.text() };
    } catch (error) {
      if (call.signal?.aborted) throw new HookscopeApiError(null, 'cancelled', 'The call was cancelled before hookscope answered.');
      const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
      throw new HookscopeApiError(null, 'unreachable', `Cannot reach hookscope at ${base} (${cause}). Is it running, and is --url right?`);
    }
  };
}
