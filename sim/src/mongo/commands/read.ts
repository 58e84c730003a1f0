import { Long, type Document } from 'bson';
import {
  compareValues,
  isPlainDocument,
  normalizeFilter,
  valueKey,
  valuesAtPath,
  type Value,
} from '../bson-values.js';
import { CommandError, toCommandError } from '../errors.js';
import { compileFilter } from '../matcher.js';
import { createQuery } from '../mingo-context.js';
import { explainPlan, matchDocuments } from '../planner.js';
import { parseSort, sortDocuments } from '../sort.js';
import { targetName, type CommandContext, type CommandHandler } from './context.js';

const asFilter = (v: unknown): Document => (isPlainDocument(v) ? v : {});
const asCount = (v: unknown): number => (typeof v === 'number' ? v : v instanceof Long ? v.toNumber() : 0);

/** A projection compiled once and applied to batches of documents. */
export function compileProjection(
  projection: unknown,
  filter: Document,
): ((docs: Document[]) => Document[]) | undefined {
  if (!isPlainDocument(projection) || Object.keys(projection).length === 0) return undefined;
  try {
    const query = createQuery(normalizeFilter(filter));
    query.find([], projection).all();
    return (docs) => query.find(docs, projection).all() as Document[];
  } catch (error) {
    throw toCommandError(error);
  }
}

/** Runs filter, sort, skip and limit of a find-like request; returns the selected stored documents. */
export async function selectDocuments(
  ctx: CommandContext,
  collection: string,
  filter: Document,
  options: { sort?: Document; skip?: number; limit?: number },
): Promise<Document[]> {
  return (await selectEntries(ctx, collection, filter, options)).map(([, doc]) => doc);
}

/** As {@link selectDocuments}, with each document's record id. */
export async function selectEntries(
  ctx: CommandContext,
  collection: string,
  filter: Document,
  options: { sort?: Document; skip?: number; limit?: number },
): Promise<Array<[number, Document]>> {
  const predicate = compileFilter(filter);
  const spec = parseSort(options.sort);
  const coll = ctx.catalog.get(ctx.db, collection);
  if (!coll) return [];
  const skip = options.skip ?? 0;
  if (skip < 0) throw new CommandError('BadValue', 'skip value must be non-negative');
  const limit = options.limit && options.limit > 0 ? options.limit : undefined;
  const early = spec.length === 0 && limit !== undefined ? skip + limit : undefined;
  const matched = await matchDocuments(coll, filter, predicate, early);
  const sorted = sortDocuments(matched, options.sort, ([, d]) => d);
  return sorted.slice(skip, limit === undefined ? undefined : skip + limit);
}

function distinctValues(docs: Document[], key: string): Value[] {
  const seen = new Map<string, Value>();
  for (const doc of docs) {
    for (const v of valuesAtPath(doc, key)) {
      for (const item of Array.isArray(v) ? (v as Value[]) : [v]) {
        if (item === undefined) continue;
        const k = valueKey(item);
        if (!seen.has(k)) seen.set(k, item);
      }
    }
  }
  return [...seen.values()].sort(compareValues);
}

async function explainFind(inner: Document, ctx: CommandContext): Promise<Document> {
  const name = targetName(inner);
  const filter = asFilter(inner.filter ?? inner.query);
  compileFilter(filter);
  const coll = ctx.catalog.get(ctx.db, name);
  const winningPlan = coll ? explainPlan(coll, filter, asFilter(inner.sort)) : { stage: 'EOF' };
  return Promise.resolve({
    queryPlanner: {
      namespace: `${ctx.db}.${name}`,
      parsedQuery: filter,
      winningPlan,
      rejectedPlans: [],
    },
    command: inner,
    serverInfo: { host: '127.0.0.1', version: '7.0.0' },
    ok: 1,
  });
}

/**
 * Fails as the server does when `hint` names no index of the collection; a valid hint changes nothing, since
 * the sim plans on its own (see README).
 */
export function checkHint(ctx: CommandContext, collection: string, hint: unknown): void {
  if (hint === undefined || hint === null) return;
  const coll = ctx.catalog.get(ctx.db, collection);
  if (!coll) return;
  if (isPlainDocument(hint) && Object.keys(hint).length === 1 && '$natural' in hint) return;
  const found = coll.indexes.some((spec) =>
    typeof hint === 'string'
      ? spec.name === hint
      : isPlainDocument(hint) && valueKey(spec.key) === valueKey(hint),
  );
  if (!found) throw new CommandError('BadValue', 'hint provided does not correspond to an existing index');
}

/** Query commands: find with its cursor commands, count, distinct and explain of a find. */
export const readCommands: Record<string, CommandHandler> = {
  find: async (cmd, ctx) => {
    const name = targetName(cmd);
    const filter = asFilter(cmd.filter);
    const limitArg = asCount(cmd.limit);
    const shape = compileProjection(cmd.projection, filter);
    checkHint(ctx, name, cmd.hint);
    const docs = await selectDocuments(ctx, name, filter, {
      sort: isPlainDocument(cmd.sort) ? cmd.sort : undefined,
      skip: asCount(cmd.skip),
      limit: Math.abs(limitArg),
    });
    const batchSize = cmd.batchSize === undefined ? undefined : asCount(cmd.batchSize);
    return ctx.cursors.first(`${ctx.db}.${name}`, docs, {
      batchSize: limitArg < 0 ? 0 : batchSize,
      singleBatch: cmd.singleBatch === true || limitArg < 0,
      ...(shape ? { shape } : {}),
    });
  },

  getMore: (cmd, ctx) => {
    const id: unknown = cmd.getMore;
    if (!(id instanceof Long) && typeof id !== 'number')
      throw new CommandError('TypeMismatch', 'getMore cursor id must be a long');
    return Promise.resolve(
      ctx.cursors.more(id, cmd.batchSize === undefined ? undefined : asCount(cmd.batchSize)),
    );
  },

  killCursors: (cmd, ctx) => {
    const ids = Array.isArray(cmd.cursors) ? (cmd.cursors as Array<Long | number>) : [];
    return Promise.resolve(ctx.cursors.kill(ids));
  },

  count: async (cmd, ctx) => {
    const name = targetName(cmd);
    const filter = asFilter(cmd.query);
    checkHint(ctx, name, cmd.hint);
    const coll = ctx.catalog.get(ctx.db, name);
    const skip = asCount(cmd.skip);
    const limit = Math.abs(asCount(cmd.limit));
    let n: number;
    if (Object.keys(filter).length === 0) {
      n = coll?.size ?? 0;
    } else {
      n = (await selectDocuments(ctx, name, filter, {})).length;
    }
    n = Math.max(0, n - skip);
    if (limit > 0) n = Math.min(n, limit);
    return { n, ok: 1 };
  },

  distinct: async (cmd, ctx) => {
    const name = targetName(cmd);
    if (typeof cmd.key !== 'string')
      throw new CommandError('TypeMismatch', "BSON field 'distinct.key' is missing but a required field");
    const docs = await selectDocuments(ctx, name, asFilter(cmd.query), {});
    return { values: distinctValues(docs, cmd.key), ok: 1 };
  },

  explain: async (cmd, ctx) => {
    const inner: unknown = cmd.explain;
    if (!isPlainDocument(inner))
      throw new CommandError('FailedToParse', 'explain command requires a nested object');
    const verb = Object.keys(inner)[0];
    if (verb !== 'find' && verb !== 'count' && verb !== 'distinct') {
      throw new CommandError(
        'CommandNotFound',
        `Explain for '${verb}' is not supported by the sim; see sim/README.md`,
      );
    }
    return explainFind(inner, ctx);
  },
};
