import type { Identity } from './auth/identity.js';

/**
 * The seam where the `mcp` package plugs its HTTP transports into the app. It receives every request under
 * `/mcp` (Streamable HTTP at `/mcp`, legacy HTTP+SSE at `/mcp/sse` and `/mcp/messages`) after auth has run,
 * as web-standard `Request`s, and answers with `Response`s, so the app stays runtime-neutral.
 */
export interface McpHttpMount {
  fetch(request: Request, caller: { identity: Identity | undefined }): Promise<Response>;
  /** End open sessions and streams (graceful shutdown). */
  close(): Promise<void>;
}
