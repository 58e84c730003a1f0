import type { Document } from 'bson';
import { compileFilter } from '../matcher.js';
import { CommandError } from '../errors.js';
import { targetName, type CommandHandler } from './context.js';

/** Collection and database lifecycle commands. */
export const collectionCommands: Record<string, CommandHandler> = {
  create: (cmd, ctx) =>
    ctx.exclusive(() => {
      const name = targetName(cmd);
      if (ctx.catalog.get(ctx.db, name)) {
        throw new CommandError('NamespaceExists', `Collection ${ctx.db}.${name} already exists.`);
      }
      const { create: _name, $db: _db, lsid: _lsid, writeConcern: _wc, ...options } = cmd;
      ctx.catalog.ensure(ctx.db, name, options);
      return Promise.resolve({ ok: 1 });
    }),

  drop: (cmd, ctx) =>
    ctx.exclusive(() => {
      const dropped = ctx.catalog.drop(ctx.db, targetName(cmd));
      // Since 7.0 dropping a missing collection succeeds.
      if (!dropped) return Promise.resolve({ ok: 1 });
      return Promise.resolve({ nIndexesWas: dropped.indexes.length, ns: dropped.ns, ok: 1 });
    }),

  dropDatabase: (_cmd, ctx) =>
    ctx.exclusive(() => {
      ctx.catalog.dropDatabase(ctx.db);
      return Promise.resolve({ dropped: ctx.db, ok: 1 });
    }),

  listCollections: (cmd, ctx) => {
    const filter = compileFilter(cmd.filter as Document | undefined);
    const nameOnly = cmd.nameOnly === true;
    const infos = ctx.catalog
      .collections(ctx.db)
      .map((c): Document =>
        nameOnly
          ? { name: c.name, type: 'collection' }
          : {
              name: c.name,
              type: 'collection',
              options: c.options,
              info: { readOnly: false, uuid: c.uuid },
              idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
            },
      )
      .filter(filter);
    const cursor = (cmd.cursor ?? {}) as Document;
    return Promise.resolve(
      ctx.cursors.first(`${ctx.db}.$cmd.listCollections`, infos, {
        batchSize: typeof cursor.batchSize === 'number' ? cursor.batchSize : 0,
      }),
    );
  },
};
