import type { Db } from 'mongodb';
import { COLLECTIONS } from '../store/collections.js';

/** The `locks` document recording which scheduled fetch window was last claimed, and by whom. */
interface ScheduleSlotDocument {
  _id: string;
  /** The claimed window: `floor(time / intervalMs)`. */
  slot: number;
  interval_ms: number;
  owner: string;
  claimed_at: Date;
}

const SCHEDULE_ID = 'schedule:fetch';
const DUPLICATE_KEY = 11000;

/**
 * Claim the scheduled fetch of the window that contains `at` (windows of `intervalMs`, aligned to the epoch).
 * True for exactly one owner per window across every instance sharing the database; that owner may claim the
 * window again (to retry a run that could not start). The fetch leases alone only stop two fetches from
 * overlapping: a replica whose timer fires after another replica's fetch of the same window has finished
 * would fetch again.
 */
export async function claimScheduleSlot(
  db: Db,
  claim: { at: Date; intervalMs: number; owner: string },
): Promise<boolean> {
  const slot = Math.floor(claim.at.getTime() / claim.intervalMs);
  const col = db.collection<ScheduleSlotDocument>(COLLECTIONS.locks);
  try {
    const doc = await col.findOneAndUpdate(
      // A changed interval re-bases the windows, so a different interval always counts as a new window.
      {
        _id: SCHEDULE_ID,
        $or: [
          { slot: { $lt: slot } },
          { interval_ms: { $ne: claim.intervalMs } },
          { slot, owner: claim.owner },
        ],
      },
      { $set: { slot, interval_ms: claim.intervalMs, owner: claim.owner, claimed_at: claim.at } },
      { upsert: true, returnDocument: 'after' },
    );
    return doc?.owner === claim.owner && doc.slot === slot;
  } catch (error) {
    // The filter missed the existing document (this window is taken), so the upsert collided with its _id.
    if ((error as { code?: unknown }).code === DUPLICATE_KEY) return false;
    throw error;
  }
}
