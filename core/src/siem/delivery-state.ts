import type { Collection, Db } from 'mongodb';
import type { Logger } from '../logger.js';
import { COLLECTIONS } from '../store/collections.js';
import type { ForwarderStats } from './forwarder.js';

/**
 * How SIEM delivery last went, kept in `source_health` under `_id: 'siem'` beside the sources' documents, so
 * every process reads the same answer: the API replica that forwards, another replica, the stdio MCP server
 * and the CLI (which never forward themselves). With several forwarders the latest writer wins, which is what
 * "how is delivery going now" means.
 */
export interface DeliveryStateDocument {
  _id: 'siem';
  last_attempt_at: Date | null;
  last_success_at: Date | null;
  last_error: string | null;
  last_error_at: Date | null;
  consecutive_failures: number;
  circuit: ForwarderStats['circuit'];
  updated_at: Date;
}

export type DeliveryState = Omit<DeliveryStateDocument, '_id'>;

function collection(db: Db): Collection<DeliveryStateDocument> {
  return db.collection<DeliveryStateDocument>(COLLECTIONS.sourceHealth);
}

/**
 * The last recorded state, or null when no forwarder has recorded one yet. Fields are written as they become
 * known (a forwarder that never succeeded has no `last_success_at`), hence partial.
 */
export async function readDeliveryState(db: Db): Promise<Partial<DeliveryState> | null> {
  return collection(db).findOne({ _id: 'siem' }, { projection: { _id: 0 } });
}

/**
 * A writer that records states in the order they were given (one write at a time, later fields merged over
 * earlier ones not yet written), so a slow write can never put an older state over a newer one.
 * A failed write is logged: delivery must not stop because its health could not be recorded.
 */
export function createDeliveryStateWriter(db: Db, log: Logger) {
  let pending: Partial<DeliveryState> | undefined;
  let writing: Promise<void> | undefined;

  const drain = async () => {
    while (pending) {
      const state = pending;
      pending = undefined;
      try {
        await collection(db).updateOne({ _id: 'siem' }, { $set: state }, { upsert: true });
      } catch (error) {
        log.warn({ err: error }, 'recording the SIEM delivery state failed');
      }
    }
    writing = undefined;
  };

  return {
    /** Record the fields given (the others keep their stored values). */
    record(state: Partial<DeliveryState>): void {
      pending = { ...pending, ...state };
      writing ??= drain();
    },
    /** Resolves once every recorded state is written (tests, shutdown). */
    async settled(): Promise<void> {
      await writing;
    },
  };
}
