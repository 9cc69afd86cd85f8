import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { HookscopeApiError } from './api-client.js';

/**
 * Runs a tool's work and turns its outcome into a tool result: the value as compact JSON (or a
 * sentence), or a tool error (`isError: true`) with hookscope's own message. Never throws, so a
 * failing tool never ends the agent's session.
 */
export async function toolResult(work: () => Promise<unknown>): Promise<CallToolResult> {
  try {
    const value = await work();
    return { content: [{ type: 'text', text: typeof value === 'string' ? value : JSON.stringify(value) }] };
  } catch (error) {
    return { content: [{ type: 'text', text: errorText(error) }], isError: true };
  }
}

/** A tool's own refusal of its input, with what to do instead (reported like hookscope's errors). */
export class ToolInputError extends Error {}

function errorText(error: unknown): string {
  if (error instanceof HookscopeApiError) return `${error.message} (${error.code}${error.status === null ? '' : `, HTTP ${error.status}`})`;
  if (error instanceof ToolInputError) return error.message;
  return `hookscope could not run this tool: ${(error as Error)?.message ?? String(error)}`;
}
