import type { Document } from 'bson';
import { isPlainDocument } from '../bson-values.js';
import { CommandError } from '../errors.js';
import { compileUpdate } from '../update.js';
import { targetName, type CommandHandler } from './context.js';
import { compileProjection, selectEntries } from './read.js';
import { updateMatched } from './write.js';

/** findAndModify: remove, update or upsert one document and return it (before or after). */
export const findAndModifyCommands: Record<string, CommandHandler> = {
  findAndModify: (cmd, ctx) =>
    ctx.exclusive(async () => {
      const name = targetName(cmd);
      const filter = isPlainDocument(cmd.query) ? cmd.query : {};
      const remove = cmd.remove === true;
      if (remove === (cmd.update !== undefined)) {
        throw new CommandError('FailedToParse', 'Either an update or remove=true must be specified');
      }
      if (remove && cmd.new === true)
        throw new CommandError(
          'FailedToParse',
          "Cannot specify both new=true and remove=true; 'remove' always returns the deleted document",
        );
      const shape = compileProjection(cmd.fields, filter);
      const update = remove
        ? undefined
        : compileUpdate(
            cmd.update,
            filter,
            Array.isArray(cmd.arrayFilters) ? (cmd.arrayFilters as Document[]) : undefined,
          );
      const [entry] = await selectEntries(ctx, name, filter, {
        ...(isPlainDocument(cmd.sort) ? { sort: cmd.sort } : {}),
        limit: 1,
      });
      const out = (doc: Document | undefined): Document | null =>
        doc ? ((shape ? shape([doc]) : [doc])[0] ?? null) : null;
      const coll = ctx.catalog.get(ctx.db, name);
      if (entry && coll) {
        const [recordId, found] = entry;
        if (!update) {
          coll.remove(recordId);
          return { lastErrorObject: { n: 1 }, value: out(found), ok: 1 };
        }
        const { last } = await updateMatched(coll, [entry], update);
        return {
          lastErrorObject: { n: 1, updatedExisting: true },
          value: out(cmd.new === true ? last : found),
          ok: 1,
        };
      }
      if (remove || cmd.upsert !== true || !update) return { lastErrorObject: { n: 0 }, value: null, ok: 1 };
      const doc = ctx.catalog.ensure(ctx.db, name).insert(update.upsertDocument());
      return {
        lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id as unknown },
        value: cmd.new === true ? out(doc) : null,
        ok: 1,
      };
    }),
};
