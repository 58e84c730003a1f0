import type { Document } from 'bson';
import { CommandError, errorReply, toCommandError } from '../errors.js';
import { adminCommands } from './admin.js';
import { aggregateCommands } from './aggregate.js';
import { collectionCommands } from './collections.js';
import type { CommandContext, CommandHandler } from './context.js';
import { findAndModifyCommands } from './find-and-modify.js';
import { indexCommands } from './indexes.js';
import { readCommands } from './read.js';
import { writeCommands } from './write.js';

const HANDLERS: Record<string, CommandHandler> = {
  ...adminCommands,
  ...collectionCommands,
  ...indexCommands,
  ...readCommands,
  ...aggregateCommands,
  ...writeCommands,
  ...findAndModifyCommands,
};

const TRANSACTION_COMMANDS = new Set(['commitTransaction', 'abortTransaction']);

const HANDSHAKE_COMMANDS = new Set(['hello', 'isMaster', 'ismaster']);

/**
 * Runs one command and returns its reply; never throws (failures become `ok: 0` replies). `legacy` marks a
 * command that came as OP_QUERY, which servers since 5.1 accept for the handshake only.
 */
export async function runCommand(command: Document, ctx: CommandContext, legacy = false): Promise<Document> {
  const name = Object.keys(command)[0] ?? '';
  try {
    if (legacy && !HANDSHAKE_COMMANDS.has(name)) {
      throw new CommandError(
        'UnsupportedOpQueryCommand',
        `Unsupported OP_QUERY command: ${name}. The client driver may require an upgrade.`,
      );
    }
    // A standalone server refuses transactions (and retryable-write txnNumbers) the same way.
    if (
      command.txnNumber !== undefined ||
      command.startTransaction !== undefined ||
      TRANSACTION_COMMANDS.has(name)
    ) {
      throw new CommandError(
        'IllegalOperation',
        'Transaction numbers are only allowed on a replica set member or mongos',
      );
    }
    const handler = Object.hasOwn(HANDLERS, name) ? HANDLERS[name] : undefined;
    if (!handler) throw new CommandError('CommandNotFound', `no such command: '${name}'`);
    return await handler(command, ctx);
  } catch (error) {
    return errorReply(toCommandError(error));
  }
}
