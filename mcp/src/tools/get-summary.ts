import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { ValueCount } from '@aoc/core';
import { filterArgs, toCoreFilters } from './filter-args.js';
import { resolveTime } from './time-range.js';
import type { ToolDeps } from './tool-deps.js';
import { guarded, READ_ONLY, toolResult } from './tool-result.js';
import { UNTRUSTED_NOTICE, untrustedBlock } from './untrusted.js';

export const MAX_SUMMARY_DAYS = 365;

const ValueCountShape = z.object({ value: z.string(), count: z.number() });

function breakdown(title: string, rows: readonly ValueCount[]): string {
  return `${title}:\n${rows.length === 0 ? '  (none)' : rows.map((r) => `  ${r.count}\t${r.value}`).join('\n')}`;
}

/** `get_summary`: counts by service, operation, result, actor, source and tag, and a histogram over time. */
export function registerGetSummary(server: McpServer, { core, log }: ToolDeps): void {
  const { start, end, ...eventFilters } = filterArgs;
  server.registerTool(
    'get_summary',
    {
      title: 'Summarize audit activity',
      description:
        'Counts of audit events for a time range: the total, the most frequent services, operations, results, ' +
        'actors, sources and tags, and a histogram over time (hourly up to 3 days, daily up to 120 days, weekly beyond). ' +
        'The range is start..end when given, else the last `days` days. Filters narrow the counted events.',
      inputSchema: {
        days: z
          .number()
          .int()
          .min(1)
          .max(MAX_SUMMARY_DAYS)
          .optional()
          .describe(`Summarize the last N days (1..${MAX_SUMMARY_DAYS}, default 7) when start is not given.`),
        start,
        end,
        top: z
          .number()
          .int()
          .min(1)
          .max(50)
          .optional()
          .describe('Values listed per breakdown (1..50, default 10).'),
        ...eventFilters,
      },
      outputSchema: {
        start: z.string(),
        end: z.string(),
        total: z.number(),
        by_service: z.array(ValueCountShape),
        by_operation: z.array(ValueCountShape),
        by_result: z.array(ValueCountShape),
        by_actor: z.array(ValueCountShape),
        by_source: z.array(ValueCountShape),
        by_tag: z.array(ValueCountShape),
        histogram: z.object({
          bucket: z.enum(['hour', 'day', 'week']),
          buckets: z.array(z.object({ start: z.string(), count: z.number() })),
        }),
        notice: z.string(),
      },
      annotations: { title: 'Summarize audit activity', ...READ_ONLY },
    },
    ({ days, start: from, end: to, top, ...filters }) =>
      guarded(log, 'get_summary', async () => {
        const now = core.clock();
        const summary = await core.events.summary({
          days: days ?? 7,
          top: top ?? 10,
          start: resolveTime(from, now),
          end: resolveTime(to, now),
          filters: toCoreFilters(filters, now),
        });
        const busiest = summary.histogram.buckets.reduce<{ start: string; count: number } | undefined>(
          (best, b) => (best === undefined || b.count > best.count ? b : best),
          undefined,
        );
        const head =
          `${summary.total} event(s) from ${summary.start} to ${summary.end}` +
          (busiest && busiest.count > 0
            ? `; busiest ${summary.histogram.bucket} began ${busiest.start} (${busiest.count}).`
            : '.');
        const body = [
          breakdown('By service', summary.by_service),
          breakdown('By operation', summary.by_operation),
          breakdown('By result', summary.by_result),
          breakdown('By actor', summary.by_actor),
          breakdown('By source', summary.by_source),
          breakdown('By tag', summary.by_tag),
        ].join('\n');
        return toolResult({ ...summary, notice: UNTRUSTED_NOTICE }, `${head}\n${untrustedBlock(body)}`);
      }),
  );
}
