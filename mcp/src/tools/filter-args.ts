import { z } from 'zod';
import { resolveTime } from './time-range.js';

const SOURCES = ['directory', 'intune', 'unified'] as const;

const oneOrMany = (description: string) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe(description);

/**
 * The event filters as tool arguments, described for a model. Validation proper is core's (`EventFilters`);
 * these shapes only say what to pass. Values of one field match any of them; different fields must all match.
 */
export const filterArgs = {
  entity: z
    .string()
    .max(256)
    .optional()
    .describe(
      'A user, app, device or object name (or its beginning), matched case-insensitively against the actor ' +
        'and every target, e.g. "alice@contoso.com" or "Global Administrator".',
    ),
  service: oneOrMany(
    'Service name(s) exactly as list_filter_values reports them, e.g. "Exchange" or ["Core Directory", "Intune"].',
  ),
  operation: oneOrMany(
    'Operation name(s) exactly as list_filter_values reports them, e.g. "Add member to role".',
  ),
  result: oneOrMany('Outcome(s), e.g. "success" or "failure".'),
  source: z
    .union([z.enum(SOURCES), z.array(z.enum(SOURCES))])
    .optional()
    .describe(
      'Log source(s): "directory" (Entra audit logs), "intune" (Intune audit events), "unified" (Office 365 ' +
        'Management Activity: Exchange, SharePoint, Teams, Entra).',
    ),
  tags: oneOrMany('Analyst tags; events carrying any of them match.'),
  search: z
    .string()
    .max(500)
    .optional()
    .describe('Free text: every word must occur in the event; "quoted phrases" must occur verbatim.'),
  start: z
    .string()
    .optional()
    .describe(
      'Earliest event time: ISO 8601 (e.g. 2024-05-01T12:00:00Z) or a span before now such as "24h", ' +
        '"last 7 days", "90m".',
    ),
  end: z.string().optional().describe('Latest event time, in the same forms as start; default now.'),
};

type FilterArgs = { [K in keyof typeof filterArgs]?: z.output<(typeof filterArgs)[K]> };

/** Tool filter arguments as core's `EventFilters` input, with relative times resolved against `now`. */
export function toCoreFilters(args: FilterArgs, now: Date): Record<string, unknown> {
  const filters: Record<string, unknown> = {};
  for (const key of ['entity', 'service', 'operation', 'result', 'source', 'tags', 'search'] as const) {
    if (args[key] !== undefined) filters[key] = args[key];
  }
  const start = resolveTime(args.start, now);
  const end = resolveTime(args.end, now);
  if (start !== undefined) filters.start = start;
  if (end !== undefined) filters.end = end;
  return filters;
}
