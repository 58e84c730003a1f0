import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isAppError } from '@aoc/core';
import type { Logger } from '@aoc/core';

/** Every AOC tool only reads: clients may call them without asking the user for confirmation. */
export const READ_ONLY = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
} as const;

/** A successful result: the structured answer, and a readable text part for clients that show text only. */
export function toolResult(structured: Record<string, unknown>, text: string): CallToolResult {
  return { structuredContent: structured, content: [{ type: 'text', text }] };
}

function errorResult(text: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text }] };
}

/**
 * The MCP tool-error mapper: core's errors become `isError` results that tell the model what to change, so a
 * bad argument or an unknown id never ends the session. Unexpected errors are logged and answered without
 * their internals.
 */
export function toolError(error: unknown, log: Logger, tool: string): CallToolResult {
  if (isAppError(error)) {
    switch (error.code) {
      case 'VALIDATION':
        return errorResult(`${error.message}. Correct the arguments and call ${tool} again.`);
      case 'NOT_FOUND':
        return errorResult(`${error.message}.`);
      case 'RATE_LIMITED':
      case 'UNAVAILABLE':
      case 'UPSTREAM':
        return errorResult(`${error.message}. Try again in a minute.`);
      case 'UNAUTHORIZED':
      case 'FORBIDDEN':
      case 'CONFLICT':
      case 'PAYLOAD_TOO_LARGE':
        return errorResult(error.message);
      case 'CONFIG':
      case 'INTERNAL':
        break;
    }
  }
  log.error({ err: error, tool }, 'MCP tool failed');
  return errorResult(`${tool} failed because of an internal error; try again later.`);
}

/** Run a tool body, mapping whatever it throws with `toolError`. */
export async function guarded(
  log: Logger,
  tool: string,
  body: () => Promise<CallToolResult>,
): Promise<CallToolResult> {
  try {
    return await body();
  } catch (error) {
    return toolError(error, log, tool);
  }
}
