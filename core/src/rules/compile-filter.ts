import { AppError } from '../errors.js';

/** A predicate over one event document. */
export type Matcher = (doc: Readonly<Record<string, unknown>>) => boolean;

type Scalar = string | number | boolean | Date | RegExp;

/**
 * Compile the subset of MongoDB query language that rule and event filters are built from — field equality,
 * `RegExp`, `$in`, `$all`, `$gte`/`$lte`/`$gt`/`$lt`, `$and`, `$or` — into a predicate with MongoDB's meaning
 * (an array field matches when any element does). Anything else throws: the filters are ours, so an unknown
 * operator is a programming error, not input to ignore.
 */
export function compileFilter(filter: Readonly<Record<string, unknown>>): Matcher {
  const parts = Object.entries(filter).map(([key, condition]): Matcher => {
    if (key === '$and') {
      const all = (condition as Record<string, unknown>[]).map(compileFilter);
      return (doc) => all.every((m) => m(doc));
    }
    if (key === '$or') {
      const any = (condition as Record<string, unknown>[]).map(compileFilter);
      return (doc) => any.some((m) => m(doc));
    }
    if (key.startsWith('$')) throw unsupported(key);
    const test = compileCondition(condition);
    return (doc) => test(doc[key]);
  });
  return (doc) => parts.every((m) => m(doc));
}

function unsupported(what: string): AppError {
  return new AppError('INTERNAL', `compileFilter: unsupported operator ${what}`);
}

function equals(expected: Scalar): (value: unknown) => boolean {
  if (expected instanceof RegExp) return (value) => typeof value === 'string' && expected.test(value);
  if (expected instanceof Date) {
    const time = expected.getTime();
    return (value) => value instanceof Date && value.getTime() === time;
  }
  return (value) => value === expected;
}

/** Any element of an array, or the value itself. */
const anyOf =
  (test: (value: unknown) => boolean) =>
  (value: unknown): boolean =>
    Array.isArray(value) ? value.some(test) : test(value);

function compare(op: string, bound: unknown): (value: unknown) => boolean {
  const limit = bound instanceof Date ? bound.getTime() : bound;
  const numeric = (value: unknown) => (value instanceof Date ? value.getTime() : value);
  switch (op) {
    case '$gte':
      return (v) => (numeric(v) as number) >= (limit as number);
    case '$gt':
      return (v) => (numeric(v) as number) > (limit as number);
    case '$lte':
      return (v) => (numeric(v) as number) <= (limit as number);
    case '$lt':
      return (v) => (numeric(v) as number) < (limit as number);
    default:
      throw unsupported(op);
  }
}

function compileCondition(condition: unknown): (value: unknown) => boolean {
  if (
    condition === null ||
    typeof condition !== 'object' ||
    condition instanceof RegExp ||
    condition instanceof Date
  ) {
    return anyOf(equals(condition as Scalar));
  }
  const tests = Object.entries(condition).map(([op, operand]): ((value: unknown) => boolean) => {
    if (op === '$in') {
      const options = (operand as Scalar[]).map(equals);
      return anyOf((v) => options.some((t) => t(v)));
    }
    if (op === '$all') {
      const required = (operand as Scalar[]).map((item) => anyOf(equals(item)));
      return (v) => required.every((t) => t(v));
    }
    return anyOf(compare(op, operand));
  });
  return (value) => tests.every((t) => t(value));
}
