import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import { metaCollection } from './collections.js';

const DUPLICATE_KEY = 11000;

/**
 * A random secret stored once per database under `name` in the `meta` collection, so every replica of AOC
 * that shares the database signs and verifies with the same key. The first caller creates it; concurrent
 * first callers all end up reading the one that won.
 */
export async function loadOrCreateSecret(db: Db, name: string, now: Date): Promise<Buffer> {
  const meta = metaCollection(db);
  const existing = await meta.findOne({ _id: name });
  if (existing) return Buffer.from(existing.value, 'base64');
  try {
    await meta.updateOne(
      { _id: name },
      { $setOnInsert: { value: randomBytes(32).toString('base64'), created_at: now } },
      { upsert: true },
    );
  } catch (error) {
    // Two processes racing to upsert the same _id: one wins, the other sees a duplicate key and reads it.
    if ((error as { code?: unknown }).code !== DUPLICATE_KEY) throw error;
  }
  const stored = await meta.findOne({ _id: name });
  if (!stored) throw new Error(`meta secret "${name}" vanished right after it was written`);
  return Buffer.from(stored.value, 'base64');
}
