import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { SourceHealth } from '@aoc/core';
import type { ToolDeps } from './tool-deps.js';
import { guarded, READ_ONLY, toolResult } from './tool-result.js';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function plainHealth(health: SourceHealth) {
  return {
    ...health,
    last_attempt_at: iso(health.last_attempt_at),
    last_success_at: iso(health.last_success_at),
    next_run_at: iso(health.next_run_at),
    ...(health.siem
      ? { siem: { ...health.siem, oldest_pending_at: iso(health.siem.oldest_pending_at) } }
      : {}),
    gaps: health.gaps.map((gap) => ({
      ...gap,
      from: gap.from.toISOString(),
      to: gap.to.toISOString(),
      recorded_at: gap.recorded_at.toISOString(),
    })),
  };
}

function line(health: ReturnType<typeof plainHealth>): string {
  const parts = [`${health.source}: ${health.status}`];
  if (health.reason) parts.push(health.reason);
  parts.push(`last success ${health.last_success_at ?? 'never'}`);
  if (health.lag_seconds !== null) parts.push(`${Math.round(health.lag_seconds / 60)} min behind`);
  if (health.last_error) parts.push(`last error: ${health.last_error}`);
  if (health.gaps.length > 0) parts.push(`${health.gaps.length} gap(s) of unrecoverable events`);
  if (health.siem) parts.push(`${health.siem.backlog} item(s) waiting for the SIEM`);
  return parts.join('; ');
}

/**
 * `get_source_health`: whether collection from each source works, so an assistant can tell "nothing happened"
 * from "nothing was collected".
 */
export function registerGetSourceHealth(server: McpServer, { core, log }: ToolDeps): void {
  server.registerTool(
    'get_source_health',
    {
      title: 'Check log collection health',
      description:
        'Whether collection from each audit log source (directory, intune, unified) is working: status, last ' +
        'success, how far behind it is, the last error, and gaps of events that could not be collected. Check ' +
        'it before concluding that something did not happen. When SIEM forwarding is on, a "siem" entry says ' +
        'whether delivery to the SIEM works, with its backlog (lag = age of the oldest pending item).',
      inputSchema: {},
      outputSchema: {
        sources: z.array(
          z.looseObject({
            source: z.string(),
            status: z.enum(['ok', 'degraded', 'failing', 'unknown']),
            reason: z.string().nullable(),
            last_success_at: z.string().nullable(),
            lag_seconds: z.number().nullable(),
            last_error: z.string().nullable(),
          }),
        ),
      },
      annotations: { title: 'Check log collection health', ...READ_ONLY },
    },
    () =>
      guarded(log, 'get_source_health', async () => {
        const sources = (await core.ingest.sourceHealth()).map(plainHealth);
        return toolResult({ sources }, sources.map(line).join('\n'));
      }),
  );
}
