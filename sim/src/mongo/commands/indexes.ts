import type { Document } from 'bson';
import { isPlainDocument, valueKey } from '../bson-values.js';
import type { Collection } from '../collection.js';
import { CommandError } from '../errors.js';
import type { IndexSpec } from '../indexes.js';
import { targetName, type CommandHandler } from './context.js';

// Options that change what an index is; two specs differing in these are different indexes.
const IDENTITY_OPTIONS = ['unique', 'sparse', 'partialFilterExpression', 'collation'];

function sameKey(a: Document, b: Document): boolean {
  return valueKey(a) === valueKey(b);
}

function toSpec(raw: unknown): IndexSpec {
  if (!isPlainDocument(raw) || !isPlainDocument(raw.key) || Object.keys(raw.key).length === 0) {
    throw new CommandError('FailedToParse', 'The index specification must have a non-empty key document');
  }
  if (typeof raw.name !== 'string' || raw.name.length === 0) {
    throw new CommandError(
      'FailedToParse',
      `Error in specification ${JSON.stringify(raw)} :: caused by :: The 'name' field is a required property of an index specification`,
    );
  }
  for (const [field, dir] of Object.entries(raw.key)) {
    if (dir === 'text')
      throw new CommandError(
        'BadValue',
        `The sim keeps no text indexes (field '${field}'); see sim/README.md`,
      );
  }
  if (
    raw.expireAfterSeconds !== undefined &&
    (typeof raw.expireAfterSeconds !== 'number' || raw.expireAfterSeconds < 0)
  ) {
    throw new CommandError(
      'InvalidOptions',
      `TTL index 'expireAfterSeconds' option must be a non-negative number`,
    );
  }
  const { v: _v, key, name, ...options } = raw;
  return { v: 2, key, name, ...options };
}

function sameOptions(a: IndexSpec, b: IndexSpec): boolean {
  return (
    IDENTITY_OPTIONS.every((o) => valueKey(a[o] ?? null) === valueKey(b[o] ?? null)) &&
    a.expireAfterSeconds === b.expireAfterSeconds
  );
}

/** Finds an index by name or by key pattern, as dropIndexes and collMod accept either. */
function findIndex(coll: Collection, ref: unknown): IndexSpec | undefined {
  if (typeof ref === 'string') return coll.indexes.find((i) => i.name === ref);
  if (isPlainDocument(ref)) return coll.indexes.find((i) => sameKey(i.key, ref));
  return undefined;
}

/** Index management commands. */
export const indexCommands: Record<string, CommandHandler> = {
  createIndexes: (cmd, ctx) =>
    ctx.exclusive(() => {
      const name = targetName(cmd);
      if (!Array.isArray(cmd.indexes) || cmd.indexes.length === 0) {
        throw new CommandError('BadValue', 'Must specify at least one index to create');
      }
      const specs = cmd.indexes.map(toSpec);
      const existed = ctx.catalog.get(ctx.db, name) !== undefined;
      const coll = ctx.catalog.ensure(ctx.db, name);
      const before = coll.indexes.length;
      for (const spec of specs) {
        const byName = coll.indexes.find((i) => i.name === spec.name);
        const byKey = coll.indexes.filter((i) => sameKey(i.key, spec.key));
        if (byName && !sameKey(byName.key, spec.key)) {
          throw new CommandError(
            'IndexKeySpecsConflict',
            `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(byName)}`,
          );
        }
        if (byName) {
          if (!sameOptions(byName, spec)) {
            throw new CommandError(
              'IndexOptionsConflict',
              `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(byName)}`,
            );
          }
          continue;
        }
        const equivalent = byKey.find((i) =>
          IDENTITY_OPTIONS.every((o) => valueKey(i[o] ?? null) === valueKey(spec[o] ?? null)),
        );
        if (equivalent) {
          throw new CommandError(
            'IndexOptionsConflict',
            `Index already exists with a different name: ${equivalent.name}`,
          );
        }
        coll.addIndex(spec);
      }
      const reply: Document = {
        numIndexesBefore: before,
        numIndexesAfter: coll.indexes.length,
        createdCollectionAutomatically: !existed,
        ok: 1,
      };
      if (before === coll.indexes.length) reply.note = 'all indexes already exist';
      return Promise.resolve(reply);
    }),

  listIndexes: (cmd, ctx) => {
    const name = targetName(cmd);
    const coll = ctx.catalog.get(ctx.db, name);
    if (!coll) throw new CommandError('NamespaceNotFound', `ns does not exist: ${ctx.db}.${name}`);
    const cursor = (cmd.cursor ?? {}) as Document;
    return Promise.resolve(
      ctx.cursors.first(
        coll.ns,
        coll.indexes.map((i) => ({ ...i })),
        {
          batchSize: typeof cursor.batchSize === 'number' ? cursor.batchSize : 0,
        },
      ),
    );
  },

  dropIndexes: (cmd, ctx) =>
    ctx.exclusive(() => {
      const name = targetName(cmd);
      const coll = ctx.catalog.get(ctx.db, name);
      if (!coll) throw new CommandError('NamespaceNotFound', `ns not found ${ctx.db}.${name}`);
      const was = coll.indexes.length;
      const ref: unknown = cmd.index;
      let targets: IndexSpec[];
      if (ref === '*') {
        targets = coll.indexes.filter((i) => i.name !== '_id_');
      } else {
        const refs = Array.isArray(ref) ? ref : [ref];
        targets = refs.map((r) => {
          const found = findIndex(coll, r);
          if (!found) {
            const shown = typeof r === 'string' ? r : JSON.stringify(r);
            throw new CommandError(
              'IndexNotFound',
              typeof r === 'string'
                ? `index not found with name [${shown}]`
                : `can't find index with key: ${shown}`,
            );
          }
          if (found.name === '_id_') throw new CommandError('InvalidOptions', 'cannot drop _id index');
          return found;
        });
      }
      for (const spec of targets) coll.dropIndex(spec.name);
      return Promise.resolve({ nIndexesWas: was, ok: 1 });
    }),

  collMod: (cmd, ctx) =>
    ctx.exclusive(() => {
      const name = targetName(cmd);
      const coll = ctx.catalog.get(ctx.db, name);
      if (!coll) throw new CommandError('NamespaceNotFound', `ns does not exist: ${ctx.db}.${name}`);
      const reply: Document = {};
      if (isPlainDocument(cmd.index)) {
        const change = cmd.index;
        const spec = findIndex(coll, change.name ?? change.keyPattern);
        if (!spec) {
          throw new CommandError(
            'IndexNotFound',
            `cannot find index ${JSON.stringify(change.name ?? change.keyPattern)} for ns ${coll.ns}`,
          );
        }
        const ttl: unknown = change.expireAfterSeconds;
        if (ttl !== undefined) {
          if (spec.expireAfterSeconds === undefined) {
            throw new CommandError('InvalidOptions', 'no expireAfterSeconds field to update');
          }
          if (typeof ttl !== 'number' || ttl < 0) {
            throw new CommandError(
              'InvalidOptions',
              `TTL index 'expireAfterSeconds' option must be a non-negative number`,
            );
          }
          reply.expireAfterSeconds_old = spec.expireAfterSeconds as unknown;
          reply.expireAfterSeconds_new = ttl;
          spec.expireAfterSeconds = ttl;
        }
        if (typeof change.hidden === 'boolean') {
          reply.hidden_old = spec.hidden === true;
          reply.hidden_new = change.hidden;
          if (change.hidden) spec.hidden = true;
          else delete spec.hidden;
        }
      }
      return Promise.resolve({ ...reply, ok: 1 });
    }),
};
