import type { Document } from 'bson';
import { Context } from 'mingo';
import { Aggregator } from 'mingo/aggregator';
import { Lazy, type Iterator } from 'mingo/lazy';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { Query } from 'mingo/query';
import { comparisonOperators } from './comparison-operators.js';
import { sortDocuments } from './sort.js';

// mingo's own $sort orders mixed types differently from the server; the sim's comparator replaces it.
const serverSort = (coll: Iterator, spec: Document, _options: unknown): Iterator =>
  coll.transform((docs: Document[]) => Lazy(sortDocuments(docs, spec, (d) => d)));

type Stage = (coll: Iterator, expr: unknown, options: unknown) => Iterator;

// mingo's $bucket puts a value equal to an inner boundary into the bucket below it; the server defines
// $bucket as this $group on half-open ranges followed by a $sort on _id, which is what runs here.
const serverBucket = (coll: Iterator, expr: Document, options: unknown): Iterator => {
  const bounds = (Array.isArray(expr.boundaries) ? expr.boundaries : []) as unknown[];
  const branches = bounds.slice(0, -1).map((lower, i) => ({
    case: { $and: [{ $gte: [expr.groupBy, lower] }, { $lt: [expr.groupBy, bounds[i + 1]] }] },
    then: lower,
  }));
  const fallback: unknown = expr.default;
  const id = { $switch: { branches, ...(fallback === undefined ? {} : { default: fallback }) } };
  const output = (expr.output as Document | undefined) ?? { count: { $sum: 1 } };
  const group = (pipelineOperators.$group as Stage)(coll, { _id: id, ...output }, options);
  return serverSort(group, { _id: 1 }, options);
};

/**
 * All of mingo's operators, with the sim's comparison operators and $sort in place of mingo's. Built here
 * rather than through mingo's default context because `Context.from` lets the first definition of an
 * operator win, so the defaults could not be overridden.
 */
function createContext(): Context {
  return Context.init({
    accumulator: accumulatorOperators,
    expression: expressionOperators,
    pipeline: { ...pipelineOperators, $sort: serverSort, $bucket: serverBucket },
    projection: projectionOperators,
    query: { ...queryOperators, ...comparisonOperators },
    window: windowOperators,
  });
}

// Built once and shared: mingo copies a context into every query, aggregation and update it sets up and never
// changes the one it is given, so this is a constant table, not shared state.
const CONTEXT = createContext();

/** A mingo query over the sim's operator set. */
export function createQuery(filter: Document): Query {
  return new Query(filter, { context: CONTEXT });
}

/** A mingo aggregation over the sim's operator set. */
export function createAggregator(
  pipeline: Document[],
  collectionResolver: (name: string) => Document[],
): Aggregator {
  return new Aggregator(pipeline, { context: CONTEXT, collectionResolver });
}

/** Options giving mingo's updater the full operator set, which pipeline-style updates need. */
export function fullOptions(): { context: Context } {
  return { context: CONTEXT };
}
