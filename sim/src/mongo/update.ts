import { ObjectId, type Document } from 'bson';
import { updateMany } from 'mingo/updater';
import {
  cloneValue,
  isPlainDocument,
  typeName,
  normalizeFilter,
  setPath,
  valueKey,
  type Value,
} from './bson-values.js';
import { CommandError, toCommandError } from './errors.js';
import { compileFieldUpdate } from './field-update.js';
import { fullOptions } from './mingo-context.js';

const OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$currentDate',
  '$addToSet',
  '$push',
  '$pop',
  '$pull',
  '$pullAll',
  '$bit',
  '$setOnInsert',
]);

/** An update statement compiled once and applied to any number of documents. */
export interface CompiledUpdate {
  /** New versions of `docs` (which are left untouched), in the same order. */
  apply(docs: Document[]): Document[];
  /** The document an upsert inserts when nothing matched `filter`. */
  upsertDocument(): Document;
}

/**
 * Compiles `u` of an update statement (operator document, replacement document or pipeline) for a
 * statement whose query is `filter`. Parse errors (unknown modifier, conflicting paths) are raised here,
 * before any document is touched, as on the server.
 */
export function compileUpdate(u: unknown, filter: Document, arrayFilters?: Document[]): CompiledUpdate {
  if (Array.isArray(u)) return compilePipeline(u as Document[], filter);
  if (!isPlainDocument(u))
    throw new CommandError('FailedToParse', 'Update argument must be either an object or an array');
  const keys = Object.keys(u);
  if (keys.length > 0 && keys.every((k) => k.startsWith('$')))
    return compileOperators(u, filter, arrayFilters);
  const dollar = keys.find((k) => k.startsWith('$'));
  if (dollar) {
    throw new CommandError(
      'FailedToParse',
      `Unknown modifier: ${dollar}. Expected a valid update modifier or pipeline-style update specified as an array`,
    );
  }
  return compileReplacement(u, filter);
}

function checkConflicts(modifier: Document): void {
  const paths: string[] = [];
  for (const [op, fields] of Object.entries(modifier)) {
    if (!isPlainDocument(fields)) {
      throw new CommandError(
        'FailedToParse',
        `Modifiers operate on fields but we found type ${typeName(fields)} instead. For example: {$mod: {<field>: ...}} not {${op}: ${JSON.stringify(fields)}}`,
      );
    }
    for (const [path, target] of Object.entries(fields)) {
      paths.push(path);
      if (op === '$rename' && typeof target === 'string') paths.push(target);
    }
  }
  const sorted = [...paths].sort();
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1] as string;
    const cur = sorted[i] as string;
    if (cur === prev || cur.startsWith(`${prev}.`)) {
      throw new CommandError(
        'ConflictingUpdateOperators',
        `Updating the path '${cur}' would create a conflict at '${prev}'`,
      );
    }
  }
}

function assertSameId(before: Document, after: Document): void {
  if (valueKey(before._id) !== valueKey(after._id)) {
    throw new CommandError(
      'ImmutableField',
      `Performing an update on the path '_id' would modify the immutable field '_id'`,
    );
  }
}

const usesPositional = (modifier: Document): boolean =>
  Object.values(modifier).some(
    (fields) => isPlainDocument(fields) && Object.keys(fields).some((p) => /(^|\.)\$(\.|$)/.test(p)),
  );

// mingo's update operators are compiled per updateMany call, so one call covers a whole batch of documents.
function runMingo(
  docs: Document[],
  modifier: Document | Document[],
  condition: Document,
  arrayFilters?: Document[],
): Document[] {
  const copies = docs.map(cloneValue);
  if (!Array.isArray(modifier) && Object.keys(modifier).length === 0) return copies;
  try {
    // Operator updates need only the operators mingo's updater loads itself; setting up the full operator
    // set per call would cost more than a single-document update.
    updateMany(
      copies,
      condition,
      modifier as never,
      { cloneMode: 'copy', ...(arrayFilters ? { arrayFilters } : {}) },
      Array.isArray(modifier) ? fullOptions() : {},
    );
  } catch (error) {
    const mapped = toCommandError(error);
    if (/non-numeric|must be a number|cannot apply/i.test(mapped.message))
      throw new CommandError('TypeMismatch', mapped.message);
    throw mapped;
  }
  return copies;
}

function compileOperators(u: Document, filter: Document, arrayFilters?: Document[]): CompiledUpdate {
  for (const op of Object.keys(u)) {
    if (!OPERATORS.has(op)) {
      throw new CommandError(
        'FailedToParse',
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
  }
  const fields = arrayFilters ? undefined : compileFieldUpdate(u);
  if (fields) {
    return {
      apply: (docs) => docs.map((doc) => fields.apply(doc)),
      upsertDocument() {
        const doc = fields.applyToSeed(seedFromFilter(filter));
        return withId(doc, doc);
      },
    };
  }
  checkConflicts(u);
  const { $setOnInsert, ...modifier } = u;
  const condition = usesPositional(modifier) ? normalizeFilter(filter) : {};
  return {
    apply(docs) {
      const out = runMingo(docs, modifier, condition, arrayFilters);
      docs.forEach((before, i) => assertSameId(before, out[i] as Document));
      return out;
    },
    upsertDocument() {
      const insertModifier: Document = { ...modifier };
      const seed = seedFromFilter(filter);
      if (isPlainDocument($setOnInsert)) {
        // A server lets an upsert choose the new document's _id through $setOnInsert (mingo would refuse it as
        // a change of _id), unless the filter already fixed a different one.
        const { _id: insertId, ...onInsert } = $setOnInsert as Record<string, Value>;
        if (insertId !== undefined) {
          if (seed._id !== undefined) assertSameId(seed, { _id: insertId });
          seed._id = insertId;
        }
        if (Object.keys(onInsert).length > 0)
          insertModifier.$set = { ...(modifier.$set as Document | undefined), ...onInsert };
      }
      const [doc] = runMingo([seed], insertModifier, {}, arrayFilters);
      return withId(doc as Document, seed);
    },
  };
}

function compileReplacement(u: Document, filter: Document): CompiledUpdate {
  return {
    apply(docs) {
      return docs.map((before) => {
        if (u._id !== undefined && valueKey(u._id) !== valueKey(before._id)) {
          throw new CommandError(
            'ImmutableField',
            `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${JSON.stringify(u._id)}`,
          );
        }
        const { _id: _ignored, ...rest } = cloneValue(u);
        return { _id: before._id as Value, ...rest };
      });
    },
    upsertDocument() {
      return withId(cloneValue(u), seedFromFilter(filter));
    },
  };
}

function compilePipeline(stages: Document[], filter: Document): CompiledUpdate {
  return {
    apply(docs) {
      const out = runMingo(docs, stages, {});
      docs.forEach((before, i) => assertSameId(before, out[i] as Document));
      return out;
    },
    upsertDocument() {
      const seed = seedFromFilter(filter);
      const [doc] = runMingo([seed], stages, {});
      return withId(doc as Document, seed);
    },
  };
}

function withId(doc: Document, seed: Document): Document {
  const id: Value = doc._id ?? seed._id ?? new ObjectId();
  const { _id: _ignored, ...rest } = doc;
  return { _id: id, ...rest };
}

/** The document an upsert starts from: the filter's equality predicates, dotted paths expanded. */
export function seedFromFilter(filter: Document, seed: Document = {}): Document {
  for (const [field, cond] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(cond)) {
      for (const part of cond) if (isPlainDocument(part)) seedFromFilter(part, seed);
      continue;
    }
    if (field.startsWith('$')) continue;
    if (isPlainDocument(cond) && Object.keys(cond).some((k) => k.startsWith('$'))) {
      if ('$eq' in cond) setPath(seed, field, cloneValue(cond.$eq));
      else if (Array.isArray(cond.$in) && cond.$in.length === 1)
        setPath(seed, field, cloneValue(cond.$in[0] as Value));
      continue;
    }
    if (cond instanceof RegExp || (cond as { _bsontype?: string } | null)?._bsontype === 'BSONRegExp')
      continue;
    setPath(seed, field, cloneValue(cond));
  }
  return seed;
}
