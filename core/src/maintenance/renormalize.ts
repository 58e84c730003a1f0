import type { AnyBulkWriteOperation, ObjectId, UpdateFilter, WriteError } from 'mongodb';
import { MongoBulkWriteError } from 'mongodb';
import type { CoreContext } from '../context.js';
import type { Comment, NormalizedEvent } from '../events/model.js';
import { ContentType, Source } from '../events/model.js';
import { isIntuneAuditEvent } from '../normalize/graph-intune.js';
import { isManagementActivity } from '../normalize/management-activity.js';
import { normalizeEvent } from '../normalize/normalize-event.js';
import { eventsCollection } from '../store/collections.js';
import type { EventDocument } from '../store/collections.js';
import type { ProgressCallback } from './progress.js';

/** Counts of a renormalize run. */
export interface RenormalizeResult {
  /** Stored events looked at. */
  scanned: number;
  /** Events whose normalized fields changed. */
  updated: number;
  /** Events whose new `dedupe_key` belonged to another stored event: merged into it (analyst data kept). */
  merged: number;
  /** Events without a raw record to normalize from. */
  skipped: number;
}

export interface RenormalizeOptions {
  /** Look at most at this many events, newest stored first; all of them when absent. */
  limit?: number;
  /** Events per batch (default 500). */
  batchSize?: number;
  onProgress?: ProgressCallback<RenormalizeResult>;
  /** Enrichment: display names for the object ids in a batch of raw records (resolved names win over raw ids). */
  resolveNames?: (raws: Record<string, unknown>[]) => Promise<ReadonlyMap<string, string>>;
}

const DUPLICATE_KEY = 11000;
const OPTIONAL_FIELDS = ['content_type', 'unknown_shape'] as const;

type Candidate = Pick<EventDocument, '_id' | 'raw' | 'source' | 'timestamp' | 'content_type'>;

/** Documents written by the original service have no `source`: tell it from the record's shape. */
function sourceOf(doc: Candidate): Source {
  const parsed = Source.safeParse(doc.source);
  if (parsed.success) return parsed.data;
  if (isManagementActivity(doc.raw)) return 'unified';
  if (isIntuneAuditEvent(doc.raw)) return 'intune';
  return 'directory';
}

function refresh(id: ObjectId, event: NormalizedEvent): AnyBulkWriteOperation<EventDocument> {
  const set = Object.fromEntries(Object.entries(event).filter(([, value]) => value !== undefined));
  const unset = Object.fromEntries(OPTIONAL_FIELDS.filter((f) => event[f] === undefined).map((f) => [f, '']));
  return {
    updateOne: {
      filter: { _id: id },
      update: {
        $set: set,
        ...(Object.keys(unset).length > 0 ? { $unset: unset } : {}),
      } as UpdateFilter<EventDocument>,
    },
  };
}

/** Fold an event whose key now collides into the event holding that key, then delete it. */
async function mergeInto(ctx: CoreContext, id: ObjectId, dedupeKey: string): Promise<boolean> {
  const events = eventsCollection(ctx.db);
  const [moving, holder] = await Promise.all([
    events.findOne({ _id: id }, { projection: { tags: 1, comments: 1 } }),
    events.findOne({ dedupe_key: dedupeKey }, { projection: { _id: 1 } }),
  ]);
  if (!moving || !holder || holder._id.equals(id)) return false;
  const tags = Array.isArray(moving.tags) ? moving.tags : [];
  const comments: Comment[] = Array.isArray(moving.comments) ? moving.comments : [];
  await events.updateOne(
    { _id: holder._id },
    { $addToSet: { tags: { $each: tags } }, $push: { comments: { $each: comments } } },
  );
  await events.deleteOne({ _id: id });
  return true;
}

/**
 * `aoc renormalize [--limit N]`: re-run (enrichment and) normalization over the raw records of stored events,
 * in batches from the newest stored on, so events pick up new parsers and `mappings.yml` edits. Tags, comments
 * and `ingested_at` are never touched. An event whose new `dedupe_key` is already held by another event (old
 * data keyed differently) is merged into that one. Progress is reported after every batch.
 */
export async function renormalizeEvents(
  ctx: CoreContext,
  options: RenormalizeOptions = {},
): Promise<RenormalizeResult> {
  const events = eventsCollection(ctx.db);
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const result: RenormalizeResult = { scanned: 0, updated: 0, merged: 0, skipped: 0 };
  let after: ObjectId | undefined;
  while (result.scanned < limit) {
    const want = Math.min(batchSize, limit - result.scanned);
    const batch = (await events
      .find(after ? { _id: { $lt: after } } : {}, {
        projection: { raw: 1, source: 1, timestamp: 1, content_type: 1 },
      })
      .sort({ _id: -1 })
      .limit(want)
      .toArray()) as Candidate[];
    if (batch.length === 0) break;
    after = batch.at(-1)!._id;
    result.scanned += batch.length;
    const usable = batch.filter(
      (doc) => doc.raw !== null && typeof doc.raw === 'object' && !Array.isArray(doc.raw),
    );
    result.skipped += batch.length - usable.length;
    const names = options.resolveNames ? await options.resolveNames(usable.map((doc) => doc.raw)) : undefined;
    const mappings = ctx.mappings.get();
    const normalized = usable.map((doc) => {
      const receivedAt = doc.timestamp instanceof Date ? doc.timestamp : undefined;
      // The content type a record was fetched under is not always inferable from the record alone.
      const contentType = ContentType.safeParse(doc.content_type).data;
      return normalizeEvent(doc.raw, sourceOf(doc), {
        mappings,
        ...(names ? { names } : {}),
        ...(receivedAt ? { receivedAt } : {}),
        ...(contentType ? { contentType } : {}),
      });
    });
    if (normalized.length > 0) {
      const operations = usable.map((doc, i) => refresh(doc._id, normalized[i]!));
      let collided: WriteError[] = [];
      try {
        result.updated += (await events.bulkWrite(operations, { ordered: false })).modifiedCount;
      } catch (error) {
        if (!(error instanceof MongoBulkWriteError)) throw error;
        collided = ([] as WriteError[]).concat(error.writeErrors);
        if (collided.some((e) => e.code !== DUPLICATE_KEY)) throw error;
        result.updated += error.result.modifiedCount;
      }
      for (const failure of collided) {
        if (await mergeInto(ctx, usable[failure.index]!._id, normalized[failure.index]!.dedupe_key))
          result.merged += 1;
      }
    }
    options.onProgress?.({ ...result });
    if (batch.length < want) break;
  }
  ctx.log.info({ ...result }, 'renormalize finished');
  return result;
}
