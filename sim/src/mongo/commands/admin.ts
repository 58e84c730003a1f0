import type { Document } from 'bson';
import type { CommandContext, CommandHandler } from './context.js';

/** Wire versions of MongoDB 7.0; the driver picks its features from `maxWireVersion`. */
const MAX_WIRE_VERSION = 21;

/** The hello/isMaster reply of a standalone server. No `topologyVersion`: that would switch the driver to streaming hello. */
export function helloReply(ctx: CommandContext, legacy: boolean): Document {
  return {
    helloOk: true,
    [legacy ? 'ismaster' : 'isWritablePrimary']: true,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
}

function buildInfo(): Document {
  return {
    version: '7.0.0',
    versionArray: [7, 0, 0, 0],
    gitVersion: 'aoc-sim',
    bits: 64,
    maxBsonObjectSize: 16 * 1024 * 1024,
    storageEngines: ['aoc-sim-memory'],
    ok: 1,
  };
}

/** Commands about the server rather than data. */
export const adminCommands: Record<string, CommandHandler> = {
  hello: (_cmd, ctx) => Promise.resolve(helloReply(ctx, false)),
  ismaster: (_cmd, ctx) => Promise.resolve(helloReply(ctx, true)),
  isMaster: (_cmd, ctx) => Promise.resolve(helloReply(ctx, true)),
  ping: () => Promise.resolve({ ok: 1 }),
  buildInfo: () => Promise.resolve(buildInfo()),
  buildinfo: () => Promise.resolve(buildInfo()),
  getParameter: (cmd) => {
    const reply: Document = { ok: 1 };
    if (cmd.featureCompatibilityVersion !== undefined || cmd.getParameter === '*') {
      reply.featureCompatibilityVersion = { version: '7.0' };
    }
    return Promise.resolve(reply);
  },
  endSessions: () => Promise.resolve({ ok: 1 }),
  whatsmyuri: () => Promise.resolve({ you: '127.0.0.1', ok: 1 }),
  connectionStatus: () =>
    Promise.resolve({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  listDatabases: (cmd, ctx) => {
    const databases = ctx.catalog.databaseNames().map((name) => ({ name, sizeOnDisk: 0, empty: false }));
    const reply: Document = {
      databases: cmd.nameOnly === true ? databases.map((d) => ({ name: d.name })) : databases,
    };
    if (cmd.nameOnly !== true) reply.totalSize = 0;
    return Promise.resolve({ ...reply, ok: 1 });
  },
};
