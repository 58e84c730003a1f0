import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { eventLine, EventShape, toListItem } from './event-view.js';
import { filterArgs, toCoreFilters } from './filter-args.js';
import type { ToolDeps } from './tool-deps.js';
import { guarded, READ_ONLY, toolResult } from './tool-result.js';
import { UNTRUSTED_NOTICE, untrustedBlock } from './untrusted.js';

export const MAX_SEARCH_LIMIT = 100;

/** `search_events`: one page of matching events, newest first, with a cursor for the next page. */
export function registerSearchEvents(server: McpServer, { core, log }: ToolDeps): void {
  server.registerTool(
    'search_events',
    {
      title: 'Search audit events',
      description:
        'Find Microsoft 365 admin audit events (Entra, Intune, Exchange, SharePoint, Teams), newest first. ' +
        'Combine filters to narrow the search; call list_filter_values for the exact service and operation ' +
        'names. Results omit the raw vendor record: call get_event with an id for it. When next_cursor is ' +
        'not null, pass it as cursor (with the same filters) for the next page.',
      inputSchema: {
        ...filterArgs,
        limit: z
          .number()
          .int()
          .min(1)
          .max(MAX_SEARCH_LIMIT)
          .optional()
          .describe(`Events per page, 1..${MAX_SEARCH_LIMIT} (default 20).`),
        cursor: z.string().max(1024).optional().describe('next_cursor of the previous page, to continue.'),
      },
      outputSchema: {
        items: z.array(EventShape),
        next_cursor: z
          .string()
          .nullable()
          .describe('Pass as cursor for the next page; null on the last one.'),
        notice: z.string(),
      },
      annotations: { title: 'Search audit events', ...READ_ONLY },
    },
    ({ limit, cursor, ...filters }) =>
      guarded(log, 'search_events', async () => {
        const page = await core.events.search({
          ...toCoreFilters(filters, core.clock()),
          page_size: limit ?? 20,
          ...(cursor === undefined ? {} : { cursor }),
        });
        const items = page.items.map(toListItem);
        const more = page.next_cursor
          ? `More events match: call search_events again with cursor "${page.next_cursor}".`
          : 'This is the last page.';
        const text =
          items.length === 0
            ? 'No events match these filters.'
            : `${items.length} event(s), newest first. ${more}\n${untrustedBlock(items.map(eventLine).join('\n'))}`;
        return toolResult({ items, next_cursor: page.next_cursor, notice: UNTRUSTED_NOTICE }, text);
      }),
  );
}
