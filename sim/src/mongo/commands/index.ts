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

/** Runs one command and returns its reply; never throws (failures become `ok: 0` replies). */
export async function runCommand(command: Document, ctx: CommandContext): Promise<Document> {
  const name = Object.keys(command)[0] ?? '';
  try {
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
