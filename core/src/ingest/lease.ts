import type { Collection, Db } from 'mongodb';
import { COLLECTIONS } from '../store/collections.js';

/** A document of the `locks` collection: who holds a named lease, until when, and its fencing counter. */
export interface LockDocument {
  _id: string;
  owner: string | null;
  expires_at: Date;
  /** Incremented on every acquisition: writes guarded by it reject a holder that has since lost the lease. */
  fence: number;
  acquired_at: Date;
  renewed_at: Date;
  /** What the holder is doing, refreshed on renewal, so another replica can show it. */
  progress?: unknown;
}

export interface LeaseOptions {
  db: Db;
  name: string;
  owner: string;
  ttlMs: number;
  clock: () => Date;
  /** Called once when a renewal finds the lease taken over (the holder must stop writing). */
  onLost?: () => void;
  /** Stored with every renewal. */
  progress?: () => unknown;
}

const DUPLICATE_KEY = 11000;

function locks(db: Db): Collection<LockDocument> {
  return db.collection<LockDocument>(COLLECTIONS.locks);
}

/**
 * A lease in MongoDB: held by one owner until it expires, renewed in the background while its holder runs
 * (every third of its lifetime), released only by that owner. A stalled holder whose lease expired and was
 * taken over finds out on its next renewal (`onLost`), and its fenced writes fail in the meantime.
 */
export class Lease {
  readonly name: string;
  readonly owner: string;
  readonly fence: number;
  #options: LeaseOptions;
  #timer: NodeJS.Timeout | undefined;
  #lost = false;
  #released = false;

  private constructor(options: LeaseOptions, fence: number) {
    this.name = options.name;
    this.owner = options.owner;
    this.fence = fence;
    this.#options = options;
    this.#timer = setInterval(() => void this.renew(), Math.max(10, Math.floor(options.ttlMs / 3)));
    this.#timer.unref();
  }

  /** Take the lease if it is free or expired; undefined when someone else holds it. */
  static async acquire(options: LeaseOptions): Promise<Lease | undefined> {
    const now = options.clock();
    try {
      const doc = await locks(options.db).findOneAndUpdate(
        { _id: options.name, $or: [{ owner: null }, { expires_at: { $lte: now } }] },
        {
          $set: {
            owner: options.owner,
            expires_at: new Date(now.getTime() + options.ttlMs),
            acquired_at: now,
            renewed_at: now,
            progress: options.progress?.() ?? null,
          },
          $inc: { fence: 1 },
        },
        { upsert: true, returnDocument: 'after' },
      );
      if (!doc || doc.owner !== options.owner) return undefined;
      return new Lease(options, doc.fence);
    } catch (error) {
      // The filter missed a live lease, so the upsert collided with its _id: someone holds it.
      if ((error as { code?: unknown }).code === DUPLICATE_KEY) return undefined;
      throw error;
    }
  }

  /** The holders of the named leases that are live now (for a "fetch already running" answer). */
  static async live(db: Db, names: readonly string[], now: Date): Promise<LockDocument[]> {
    return locks(db)
      .find({ _id: { $in: [...names] }, owner: { $ne: null }, expires_at: { $gt: now } })
      .toArray();
  }

  get lost(): boolean {
    return this.#lost;
  }

  /** Extend the lease; false (and `onLost`) when it is no longer ours. */
  async renew(): Promise<boolean> {
    if (this.#lost || this.#released) return !this.#lost;
    const now = this.#options.clock();
    try {
      const result = await locks(this.#options.db).updateOne(
        { _id: this.name, owner: this.owner, fence: this.fence },
        {
          $set: {
            expires_at: new Date(now.getTime() + this.#options.ttlMs),
            renewed_at: now,
            progress: this.#options.progress?.() ?? null,
          },
        },
      );
      if (result.matchedCount === 0 && !this.#released) this.#markLost();
    } catch {
      // A failed renewal is retried on the next tick; the lease only counts as lost when another holder shows.
    }
    return !this.#lost;
  }

  /** Give the lease up (a no-op if it was already taken over). */
  async release(): Promise<void> {
    this.#stop();
    if (this.#released) return;
    this.#released = true;
    await locks(this.#options.db).updateOne(
      { _id: this.name, owner: this.owner, fence: this.fence },
      { $set: { owner: null, expires_at: new Date(0), progress: null } },
    );
  }

  #markLost(): void {
    this.#lost = true;
    this.#stop();
    this.#options.onLost?.();
  }

  #stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
