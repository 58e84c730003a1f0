import type { Document } from 'bson';
import { isPlainDocument, normalizeFilter } from './bson-values.js';
import { CommandError, toCommandError } from './errors.js';
import { compileSimpleFilter } from './fast-filter.js';
import { createQuery } from './mingo-context.js';

/** A compiled filter: tests one stored document. */
export type Predicate = (doc: Document) => boolean;

function assertNoText(filter: unknown): void {
  if (Array.isArray(filter)) {
    filter.forEach(assertNoText);
    return;
  }
  if (!isPlainDocument(filter)) return;
  for (const key of Object.keys(filter)) {
    // The sim keeps no text indexes, so it answers as a server with none does.
    if (key === '$text') throw new CommandError('IndexNotFound', 'text index required for $text query');
    assertNoText(filter[key]);
  }
}

/** Compiles a query filter once; an unknown operator fails here, naming it, as on the server. */
export function compileFilter(filter: Document | undefined): Predicate {
  if (!filter || Object.keys(filter).length === 0) return () => true;
  assertNoText(filter);
  try {
    const normalized = normalizeFilter(filter);
    const simple = compileSimpleFilter(normalized);
    if (simple) return simple;
    const query = createQuery(normalized);
    return (doc) => query.test(doc);
  } catch (error) {
    throw toCommandError(error);
  }
}
