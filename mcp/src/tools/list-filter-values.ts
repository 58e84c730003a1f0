import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { FilterOptions } from '@aoc/core';
import type { ToolDeps } from './tool-deps.js';
import { guarded, READ_ONLY, toolResult } from './tool-result.js';
import { UNTRUSTED_NOTICE, untrustedBlock } from './untrusted.js';

const FIELDS = ['services', 'operations', 'results', 'actors', 'sources', 'tags'] as const;
const ValueCounts = z.array(z.object({ value: z.string(), count: z.number() })).optional();

/** `list_filter_values`: the known values of each filterable field, most frequent first. */
export function registerListFilterValues(server: McpServer, { core, log }: ToolDeps): void {
  server.registerTool(
    'list_filter_values',
    {
      title: 'List known filter values',
      description:
        'The values that occur in recent audit events for each filterable field (services, operations, ' +
        'results, actors, sources, tags), most frequent first with their counts, drawn from the newest 20,000 ' +
        'events. Use them for exact service, operation and result filters in search_events and get_summary.',
      inputSchema: {
        field: z.enum(FIELDS).optional().describe('Only this field (default: all of them).'),
        limit: z.number().int().min(1).max(500).optional().describe('Values per field, 1..500 (default 50).'),
      },
      outputSchema: { ...Object.fromEntries(FIELDS.map((f) => [f, ValueCounts])), notice: z.string() },
      annotations: { title: 'List known filter values', ...READ_ONLY },
    },
    ({ field, limit }) =>
      guarded(log, 'list_filter_values', async () => {
        const options: FilterOptions = await core.events.filterOptions();
        const fields = field ? [field] : FIELDS;
        const picked: Record<string, unknown> = {};
        const lines: string[] = [];
        for (const name of fields) {
          const values = options[name].slice(0, limit ?? 50);
          picked[name] = values;
          lines.push(`${name}: ${values.map((v) => `${v.value} (${v.count})`).join('; ') || '(none)'}`);
        }
        return toolResult({ ...picked, notice: UNTRUSTED_NOTICE }, untrustedBlock(lines.join('\n')));
      }),
  );
}
