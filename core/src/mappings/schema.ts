import { z } from 'zod';
import type { Source } from '../events/model.js';
import type { CompiledTemplate } from './template.js';

const Label = z.string().trim().min(1, 'must not be empty');
const Labels = z.record(z.string().min(1), Label);
const Templates = z.record(z.string().min(1), z.string());

const PerSource = <T extends z.ZodType>(value: T) =>
  z.strictObject({ directory: value.optional(), intune: value.optional(), unified: value.optional() });

/**
 * The shape of `mappings.yml`. Every part is optional: whatever the file leaves out comes from the built-in
 * defaults, key by key.
 */
export const MappingsFile = z.strictObject({
  version: z.literal(1).optional().describe('Format version of this file.'),
  services: PerSource(Labels)
    .optional()
    .describe(
      'Service labels per source, by raw category (Graph) or workload (Management Activity); "*" is the fallback, {value} the raw key.',
    ),
  results: z
    .strictObject({
      missing: Label.optional().describe(
        'Result of records that carry none (SharePoint, Teams and DLP records).',
      ),
      labels: Labels.optional().describe('Result labels by raw result value, matched ignoring case.'),
    })
    .optional(),
  summaries: PerSource(Templates)
    .optional()
    .describe(
      'Summary templates per source, by operation (exact, ignoring case) or glob ("Add *"); "*" is the fallback.',
    ),
});
export type MappingsFile = z.infer<typeof MappingsFile>;

/** Labels and summary templates, compiled and ready for `normalizeEvent`. Immutable once built. */
export interface Mappings {
  /** The file these came from, or `built-in defaults`. */
  readonly origin: string;
  /** The service label for a raw category / workload key of a source. */
  serviceLabel(source: Source, key: string | undefined): string;
  /** The result label for a raw result value (undefined when the record has none). */
  resultLabel(raw: string | undefined): string;
  /** The summary template for an operation of a source (exact match, then the most specific glob, then "*"). */
  summaryTemplate(source: Source, operation: string): CompiledTemplate;
}
