import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { EventShape } from './event-view.js';
import type { ToolDeps } from './tool-deps.js';
import { guarded, READ_ONLY, toolResult } from './tool-result.js';
import { UNTRUSTED_NOTICE, untrustedBlock } from './untrusted.js';

/** `get_event`: one event with its raw source record, comments and tags. */
export function registerGetEvent(server: McpServer, { core, log }: ToolDeps): void {
  server.registerTool(
    'get_event',
    {
      title: 'Get one audit event',
      description:
        'One audit event by id (the _id from search_events, or the source record id), with the full raw ' +
        'record as Microsoft sent it, analyst tags and comments.',
      inputSchema: {
        id: z.string().min(1).max(256).describe('The event _id from search_events, or its source record id.'),
      },
      outputSchema: { event: EventShape.extend({ raw: z.unknown() }), notice: z.string() },
      annotations: { title: 'Get one audit event', ...READ_ONLY },
    },
    ({ id }) =>
      guarded(log, 'get_event', async () => {
        const event = await core.events.get(id);
        const text = `Event ${event._id}:\n${untrustedBlock(JSON.stringify(event, null, 2))}`;
        return toolResult({ event, notice: UNTRUSTED_NOTICE }, text);
      }),
  );
}
