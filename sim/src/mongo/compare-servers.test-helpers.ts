import { ObjectId, type Document } from 'bson';
import { Catalog } from './catalog.js';
import { createExclusive } from './commands/context.js';
import { runCommand } from './commands/index.js';
import { CursorRegistry } from './cursors.js';

/** A sim server without sockets: commands run in process against its own catalog (database `test`). */
export function inProcessServer() {
  const ctx = {
    catalog: new Catalog(),
    cursors: new CursorRegistry(),
    db: 'test',
    connectionId: 1,
    exclusive: createExclusive(),
  };
  return { catalog: ctx.catalog, run: (command: Document) => runCommand(command, ctx) };
}

export type InProcessServer = ReturnType<typeof inProcessServer>;

/**
 * `value` with each generated ObjectId replaced by its first-seen position in `ids` (`oid#0`, `oid#1`, …), so
 * the replies or documents of two servers or two runs compare.
 */
export function normalizeIds(value: unknown, ids: Map<string, number>): unknown {
  if (value instanceof ObjectId) {
    const hex = value.toHexString();
    if (!ids.has(hex)) ids.set(hex, ids.size);
    return `oid#${ids.get(hex)}`;
  }
  if (Array.isArray(value)) return value.map((v) => normalizeIds(v, ids));
  if (value && typeof value === 'object' && !(value instanceof Date) && !('_bsontype' in value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalizeIds(v, ids)]));
  }
  return value;
}
