import type { Document } from 'bson';
import { valuesAtPath } from './bson-values.js';
import type { Catalog } from './catalog.js';
import { compileFilter } from './matcher.js';

/**
 * One pass of the TTL monitor: removes documents whose indexed date (the earliest, for arrays of dates) plus
 * `expireAfterSeconds` lies in the past. Like the server, documents without a date in that field never expire.
 */
export function expireDocuments(catalog: Catalog, now: Date): number {
  let removed = 0;
  for (const coll of catalog.allCollections()) {
    for (const spec of coll.indexes) {
      const fields = Object.keys(spec.key);
      if (typeof spec.expireAfterSeconds !== 'number' || fields.length !== 1) continue;
      const field = fields[0] as string;
      const partial = spec.partialFilterExpression
        ? compileFilter(spec.partialFilterExpression as Document)
        : undefined;
      const cutoff = now.getTime() - spec.expireAfterSeconds * 1000;
      // Only the indexed date is read unless a partial filter needs the whole document.
      const rows = partial || field.includes('.') ? coll.snapshot() : coll.fieldSnapshot(field);
      for (const [recordId, doc] of rows) {
        const dates = valuesAtPath(doc, field)
          .flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [v]))
          .filter((v): v is Date => v instanceof Date);
        if (dates.length === 0) continue;
        const earliest = Math.min(...dates.map((d) => d.getTime()));
        if (earliest > cutoff || (partial && !partial(doc))) continue;
        if (coll.remove(recordId)) removed++;
      }
    }
  }
  return removed;
}
