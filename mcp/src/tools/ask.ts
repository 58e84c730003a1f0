import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { MAX_QUESTION_LENGTH } from '@aoc/core';
import { EventShape, toListItem } from './event-view.js';
import { filterArgs, toCoreFilters } from './filter-args.js';
import type { ToolDeps } from './tool-deps.js';
import { guarded, READ_ONLY, toolResult } from './tool-result.js';
import { UNTRUSTED_NOTICE, untrustedBlock } from './untrusted.js';

/** `ask`: core's natural-language question over the audit events (registered only when AI is enabled). */
export function registerAsk(server: McpServer, { core, log, beforeAsk }: ToolDeps): void {
  server.registerTool(
    'ask',
    {
      title: 'Ask about audit activity',
      description:
        'Answer a question about the audit events in plain language (e.g. "who changed conditional access ' +
        'policies last week?"). AOC reads the time range and names from the question, retrieves the matching ' +
        'events and answers citing them as [event:<id>]. Optional filters override what the question says.',
      inputSchema: {
        question: z.string().min(1).max(MAX_QUESTION_LENGTH).describe('The question, in plain language.'),
        filters: z.object(filterArgs).optional().describe('Filters that win over what the question implies.'),
      },
      outputSchema: {
        answer: z.string(),
        events: z.array(EventShape),
        query: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
        total_matched: z.number(),
        truncated: z.boolean(),
        citations: z.array(z.string()),
        dropped_citations: z.number(),
        interpretation: z
          .unknown()
          .describe('What was read from the question and what came from the filters.'),
        model: z.string().nullable(),
        warning: z.string().optional(),
        notice: z.string(),
      },
      annotations: { title: 'Ask about audit activity', ...READ_ONLY, openWorldHint: true },
    },
    ({ question, filters }) =>
      guarded(log, 'ask', async () => {
        beforeAsk();
        const result = await core.ai.ask({
          question,
          ...(filters ? { filters: toCoreFilters(filters, core.clock()) } : {}),
        });
        const structured = { ...result, events: result.events.map(toListItem), notice: UNTRUSTED_NOTICE };
        const head =
          `${result.total_matched} event(s) matched${result.truncated ? ` (the ${result.events.length} newest were read)` : ''}. ` +
          `Filters used: ${JSON.stringify(result.query)}.` +
          (result.warning ? ` Note: ${result.warning}` : '');
        return toolResult(
          structured,
          `${head}\nThe answer is derived from event content.\n${untrustedBlock(result.answer)}`,
        );
      }),
  );
}
