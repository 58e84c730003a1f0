import { createHash } from 'node:crypto';
import type { Source } from '../events/model.js';
import type { ParsedRecord } from './parsed-record.js';

/**
 * The unique key of an event. With a source id: `<source>:<id>` (Management Activity adds the operation,
 * since DLP.All reuses one Id for a rule match and its undo), so the same record from two pages, blobs or
 * runs collapses while equal ids of different sources never do. Without one: `<source>:sha256:<hex>` over
 * timestamp, category, operation and targets, or over the whole record when its shape was not recognized
 * (those fields may all be empty, and unrelated records must not merge).
 */
export function dedupeKey(source: Source, parsed: ParsedRecord, rawText: string): string {
  if (parsed.id !== undefined) {
    return parsed.dedupeQualifier === undefined
      ? `${source}:${parsed.id}`
      : `${source}:${parsed.id}:${parsed.dedupeQualifier}`;
  }
  const material = parsed.known
    ? JSON.stringify([
        parsed.timestampText ?? '',
        parsed.serviceKey ?? '',
        parsed.operation ?? '',
        parsed.targets.map((t) => t.id ?? t.display ?? ''),
      ])
    : rawText;
  return `${source}:sha256:${createHash('sha256').update(material).digest('hex')}`;
}
