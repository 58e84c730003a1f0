import type { Document } from 'bson';
import type { Catalog } from '../catalog.js';
import type { CursorRegistry } from '../cursors.js';
import { CommandError } from '../errors.js';

/** What a command handler works on: the server's state and the requesting connection. */
export interface CommandContext {
  catalog: Catalog;
  cursors: CursorRegistry;
  /** The database the command was sent to (`$db`). */
  db: string;
  connectionId: number;
  /** Runs `fn` after every earlier write finished: writes that yield mid-way must not interleave. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

/** One command: receives the command document, returns the reply (or throws a CommandError). */
export type CommandHandler = (command: Document, ctx: CommandContext) => Promise<Document>;

/** The collection name a command targets (its first field's value). */
export function targetName(command: Document): string {
  const name: unknown = Object.values(command)[0];
  if (typeof name !== 'string' || name.length === 0) {
    throw new CommandError('InvalidNamespace', `collection name has invalid type ${typeof name}`);
  }
  return name;
}

/** A serial queue: each call runs after the previous one settled. */
export function createExclusive(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}
