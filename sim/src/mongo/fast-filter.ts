import type { Document } from 'bson';
import { isPlainDocument } from './bson-values.js';
import { comparisonOperators } from './comparison-operators.js';

type Predicate = (doc: Document) => boolean;

/**
 * Compiles filters made only of field comparisons ($eq, $ne, $gt(e), $lt(e), $in, $nin) joined by
 * $and/$or/$nor straight to predicates, skipping mingo, whose per-query setup (copying its whole operator
 * table) costs more than a single-document upsert. Returns undefined for anything else, which mingo handles.
 */
export function compileSimpleFilter(filter: Document): Predicate | undefined {
  const parts: Predicate[] = [];
  for (const [field, cond] of Object.entries(filter)) {
    if (field === '$and' || field === '$or' || field === '$nor') {
      if (!Array.isArray(cond) || cond.length === 0) return undefined;
      const subs: Predicate[] = [];
      for (const sub of cond) {
        const compiled = isPlainDocument(sub) ? compileSimpleFilter(sub) : undefined;
        if (!compiled) return undefined;
        subs.push(compiled);
      }
      if (field === '$and') parts.push((doc) => subs.every((p) => p(doc)));
      else if (field === '$or') parts.push((doc) => subs.some((p) => p(doc)));
      else parts.push((doc) => !subs.some((p) => p(doc)));
      continue;
    }
    if (field.startsWith('$') || cond instanceof RegExp) return undefined;
    if (isPlainDocument(cond) && Object.keys(cond).some((k) => k.startsWith('$'))) {
      for (const [op, value] of Object.entries(cond)) {
        const make = Object.hasOwn(comparisonOperators, op) ? comparisonOperators[op] : undefined;
        if (!make || value instanceof RegExp) return undefined;
        parts.push(make(field, value, undefined));
      }
      continue;
    }
    const eq = comparisonOperators.$eq;
    if (!eq) return undefined;
    parts.push(eq(field, cond, undefined));
  }
  if (parts.length === 1) return parts[0];
  return (doc) => parts.every((p) => p(doc));
}
