import { createHash } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import type { Logger } from '../logger.js';

/**
 * Explanations cached in MongoDB (collection `ai_cache`), per event and model. Mongo rather than an in-process
 * LRU because a model call costs money and seconds, and an explanation stays right as long as the event and the
 * model do: the cache survives restarts and is shared by every replica. Each entry also holds a digest of the
 * data the model was shown, so an event rewritten by `aoc renormalize` is explained afresh; a TTL index drops
 * entries after 30 days, which bounds the collection without a cleanup job.
 */
export const AI_CACHE_COLLECTION = 'ai_cache';
const TTL_DAYS = 30;
const DAY_MS = 86_400_000;

interface CacheDocument {
  _id: string;
  kind: 'explain';
  event_id: string;
  model: string;
  digest: string;
  text: string;
  created_at: Date;
  expires_at: Date;
}

/** A cached explanation. */
export interface CachedExplanation {
  text: string;
  model: string;
  created_at: Date;
}

/** The explanation cache of one database. */
export interface ExplainCache {
  get(eventId: string, model: string, digest: string): Promise<CachedExplanation | undefined>;
  put(eventId: string, model: string, digest: string, text: string): Promise<void>;
}

/** A stable digest of the data an explanation was written from. */
export function dataDigest(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

/**
 * The cache over `db`. Its TTL index is created on first use (idempotent); a cache that cannot be read or
 * written only costs a model call, so its errors are logged and swallowed.
 */
export function createExplainCache(deps: { db: Db; clock: () => Date; log: Logger }): ExplainCache {
  const collection: Collection<CacheDocument> = deps.db.collection<CacheDocument>(AI_CACHE_COLLECTION);
  let indexed: Promise<void> | undefined;
  const ready = () => {
    indexed ??= collection
      .createIndex({ expires_at: 1 }, { name: 'expires_at_ttl', expireAfterSeconds: 0 })
      .then(() => undefined)
      .catch((error: unknown) => {
        indexed = undefined;
        deps.log.warn({ err: error }, 'ai_cache: could not create the TTL index');
      });
    return indexed;
  };
  const key = (eventId: string, model: string) => `explain:${model}:${eventId}`;
  return {
    async get(eventId, model, digest) {
      try {
        await ready();
        const doc = await collection.findOne({ _id: key(eventId, model) });
        if (!doc || doc.digest !== digest || doc.expires_at <= deps.clock()) return undefined;
        return { text: doc.text, model: doc.model, created_at: doc.created_at };
      } catch (error) {
        deps.log.warn({ err: error }, 'ai_cache: read failed');
        return undefined;
      }
    },
    async put(eventId, model, digest, text) {
      const now = deps.clock();
      const doc: CacheDocument = {
        _id: key(eventId, model),
        kind: 'explain',
        event_id: eventId,
        model,
        digest,
        text,
        created_at: now,
        expires_at: new Date(now.getTime() + TTL_DAYS * DAY_MS),
      };
      try {
        await ready();
        await collection.replaceOne({ _id: doc._id }, doc, { upsert: true });
      } catch (error) {
        deps.log.warn({ err: error }, 'ai_cache: write failed');
      }
    },
  };
}
