import type { Document } from 'bson';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { isPlainDocument, sameValue } from '../bson-values.js';
import type { Collection } from '../collection.js';
import { CommandError, toCommandError } from '../errors.js';
import { compileFilter } from '../matcher.js';
import { matchDocuments } from '../planner.js';
import { upsertRaw } from '../raw-upsert.js';
import { compileUpdate } from '../update.js';
import { decodeDocument } from '../wire.js';
import { targetName, type CommandContext, type CommandHandler } from './context.js';

/** Documents written between yields to the event loop. */
const CHUNK = 2048;

function writeError(index: number, error: unknown): Document {
  const e = toCommandError(error);
  return { index, code: e.code, errmsg: e.message, ...e.extra };
}

/**
 * Runs the statements of a write command, collecting per-statement errors: an ordered batch stops at the
 * first failure, an unordered one carries on, as on the server. A statement still in BSON is first offered
 * to `runRaw`, which returns false when it leaves the statement to `run`.
 */
async function eachStatement(
  statements: unknown,
  ordered: boolean,
  run: (statement: Document, index: number) => Promise<void>,
  runRaw?: (bytes: Buffer, index: number) => boolean,
): Promise<Document[]> {
  if (!Array.isArray(statements))
    throw new CommandError('FailedToParse', 'write command requires an array of statements');
  const errors: Document[] = [];
  for (let i = 0; i < statements.length; i++) {
    if (i > 0 && i % CHUNK === 0) await yieldToEventLoop();
    try {
      const item: unknown = statements[i];
      if (runRaw && Buffer.isBuffer(item) && runRaw(item, i)) continue;
      const statement = Buffer.isBuffer(item) ? decodeDocument(item) : item;
      if (!isPlainDocument(statement))
        throw new CommandError('TypeMismatch', 'write statement must be an object');
      await run(statement, i);
    } catch (error) {
      errors.push(writeError(i, error));
      if (ordered) break;
    }
  }
  return errors;
}

function reply(base: Document, errors: Document[]): Document {
  return errors.length > 0 ? { ...base, writeErrors: errors, ok: 1 } : { ...base, ok: 1 };
}

/**
 * Applies a compiled update to matched documents and stores the results; returns how many changed.
 * Each document is checked and stored on its own, so a duplicate key stops the statement where it occurs.
 */
export async function updateMatched(
  coll: Collection,
  matched: Array<[number, Document]>,
  update: ReturnType<typeof compileUpdate>,
): Promise<{ modified: number; last?: Document }> {
  let modified = 0;
  let last: Document | undefined;
  for (let start = 0; start < matched.length; start += CHUNK) {
    if (start > 0) await yieldToEventLoop();
    const slice = matched.slice(start, start + CHUNK);
    const next = update.apply(slice.map(([, d]) => d));
    slice.forEach(([recordId, before], i) => {
      const after = next[i] as Document;
      last = after;
      if (sameValue(after, before)) return;
      coll.replace(recordId, after);
      modified++;
    });
  }
  return { modified, ...(last ? { last } : {}) };
}

/** insert, update and delete. */
export const writeCommands: Record<string, CommandHandler> = {
  insert: (cmd, ctx) =>
    ctx.exclusive(async () => {
      const coll = ctx.catalog.ensure(ctx.db, targetName(cmd));
      let n = 0;
      const errors = await eachStatement(cmd.documents, cmd.ordered !== false, (doc) => {
        coll.insert(doc);
        n++;
        return Promise.resolve();
      });
      return reply({ n }, errors);
    }),

  update: (cmd, ctx) =>
    ctx.exclusive(async () => {
      const name = targetName(cmd);
      let n = 0;
      let nModified = 0;
      const upserted: Document[] = [];
      const errors = await eachStatement(
        cmd.updates,
        cmd.ordered !== false,
        async (statement, index) => {
          const result = await runUpdate(ctx, name, statement);
          n += result.n;
          nModified += result.modified;
          if (result.upsertedId !== undefined) upserted.push({ index, _id: result.upsertedId });
        },
        (bytes, index) => {
          const upsertedId = upsertRaw(ctx.catalog.get(ctx.db, name), bytes);
          if (upsertedId === undefined) return false;
          n += 1;
          upserted.push({ index, _id: upsertedId });
          return true;
        },
      );
      return reply(upserted.length > 0 ? { n, nModified, upserted } : { n, nModified }, errors);
    }),

  delete: (cmd, ctx) =>
    ctx.exclusive(async () => {
      const name = targetName(cmd);
      let n = 0;
      const errors = await eachStatement(cmd.deletes, cmd.ordered !== false, async (statement) => {
        const filter = isPlainDocument(statement.q) ? statement.q : {};
        const predicate = compileFilter(filter);
        const coll = ctx.catalog.get(ctx.db, name);
        if (!coll) return;
        const matched = await matchDocuments(coll, filter, predicate, statement.limit === 1 ? 1 : undefined);
        for (const [recordId] of matched) if (coll.remove(recordId)) n++;
      });
      return reply({ n }, errors);
    }),
};

/** One update statement `{q, u, upsert, multi, arrayFilters}`. */
async function runUpdate(
  ctx: CommandContext,
  name: string,
  statement: Document,
): Promise<{ n: number; modified: number; upsertedId?: unknown }> {
  const filter = isPlainDocument(statement.q) ? statement.q : {};
  const arrayFilters = Array.isArray(statement.arrayFilters)
    ? (statement.arrayFilters as Document[])
    : undefined;
  const update = compileUpdate(statement.u, filter, arrayFilters);
  const multi = statement.multi === true;
  if (
    multi &&
    !Array.isArray(statement.u) &&
    isPlainDocument(statement.u) &&
    !Object.keys(statement.u).some((k) => k.startsWith('$'))
  ) {
    throw new CommandError('FailedToParse', 'multi update is not supported for replacement-style update');
  }
  const predicate = compileFilter(filter);
  const existing = ctx.catalog.get(ctx.db, name);
  const matched = existing ? await matchDocuments(existing, filter, predicate, multi ? undefined : 1) : [];
  if (matched.length === 0) {
    if (statement.upsert !== true) return { n: 0, modified: 0 };
    const doc = ctx.catalog.ensure(ctx.db, name).insert(update.upsertDocument());
    return { n: 1, modified: 0, upsertedId: doc._id };
  }
  const coll = existing as Collection;
  const { modified } = await updateMatched(coll, matched, update);
  return { n: matched.length, modified };
}
