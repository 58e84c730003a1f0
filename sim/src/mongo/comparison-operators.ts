import type { Document } from 'bson';
import { compareValues, pathReader, typeRank, valueKey, type Value } from './bson-values.js';

type QueryOperator = (selector: string, value: Value, options: unknown) => (doc: Document) => boolean;

/** The values a path offers to a comparison: each value found, and for arrays also each element. */
function candidates(found: Value[]): Value[] {
  if (found.length === 1 && !Array.isArray(found[0])) return found;
  const out: Value[] = [];
  for (const v of found) {
    out.push(v);
    if (Array.isArray(v)) out.push(...(v as Value[]));
  }
  return out;
}

const isNullish = (v: Value): boolean => v === null || v === undefined;

function equalsPredicate(target: Value): (found: Value[]) => boolean {
  if (target instanceof RegExp) return (found) => found.some((v) => typeof v === 'string' && target.test(v));
  // Null matches null, and a missing field.
  if (isNullish(target)) return (found) => found.length === 0 || found.some(isNullish);
  // Strings and booleans equal only themselves: compare directly instead of building keys per document.
  if (typeof target === 'string' || typeof target === 'boolean') return (found) => found.includes(target);
  const key = valueKey(target);
  return (found) => found.some((v) => !isNullish(v) && typeof v !== 'string' && valueKey(v) === key);
}

function rangePredicate(target: Value, accept: (c: number) => boolean): (found: Value[]) => boolean {
  const rank = typeRank(target);
  // Comparisons stay within a type bracket (numbers of any BSON type together), as on the server.
  if (isNullish(target)) return (found) => accept(0) && (found.length === 0 || found.some(isNullish));
  return (found) => found.some((v) => typeRank(v) === rank && accept(compareValues(v, target)));
}

const at =
  (test: (found: Value[]) => boolean): ((selector: string) => (doc: Document) => boolean) =>
  (selector) => {
    const read = pathReader(selector);
    return (doc) => test(candidates(read(doc)));
  };

function inPredicate(values: Value): (found: Value[]) => boolean {
  if (!Array.isArray(values)) throw new Error('$in needs an array');
  const tests = (values as Value[]).map(equalsPredicate);
  return (found) => tests.some((t) => t(found));
}

/**
 * Comparison query operators with the server's value semantics (numbers of every BSON type compare by value,
 * type brackets, null matching missing), replacing mingo's, which compare Long/Decimal128 by type name.
 */
export const comparisonOperators: Record<string, QueryOperator> = {
  $eq: (selector, value) => at(equalsPredicate(value))(selector),
  $ne: (selector, value) => {
    const test = at(equalsPredicate(value))(selector);
    return (doc) => !test(doc);
  },
  $gt: (selector, value) => at(rangePredicate(value, (c) => c > 0))(selector),
  $gte: (selector, value) => at(rangePredicate(value, (c) => c >= 0))(selector),
  $lt: (selector, value) => at(rangePredicate(value, (c) => c < 0))(selector),
  $lte: (selector, value) => at(rangePredicate(value, (c) => c <= 0))(selector),
  $in: (selector, value) => at(inPredicate(value))(selector),
  $nin: (selector, value) => {
    const test = at(inPredicate(value))(selector);
    return (doc) => !test(doc);
  },
};
