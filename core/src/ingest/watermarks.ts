import type { Collection, Db } from 'mongodb';
import type { ContentType, Source } from '../events/model.js';
import { ConflictError } from '../errors.js';
import type { ContentRef } from '../sources/management-activity/feed.js';
import { COLLECTIONS } from '../store/collections.js';

/**
 * Documents of the `watermarks` collection. `kind: 'watermark'` (id `directory`, `intune`,
 * `unified:<content type>`): events up to `until` are stored; writes carry the lease's fence. `kind: 'content'`:
 * a Management Activity blob fully stored (kept until the API itself forgets it). `kind: 'pending'`: a blob a
 * webhook announced, waiting for the next unified run. `kind: 'subscription'`: when `/start` was last called.
 */
export interface WatermarkDocument {
  _id: string;
  kind: 'watermark' | 'content' | 'pending' | 'subscription';
  source: Source;
  content_type?: ContentType;
  until?: Date;
  /** When the last wide re-scan (Graph 72 h, Management 7 days) ran. */
  wide_scan_at?: Date;
  fence?: number;
  updated_at: Date;
  expires_at?: Date;
  ref?: ContentRef;
  started_at?: Date;
}

/** A watermark write refused because a newer lease holder has written since: the caller lost its lease. */
export class FencedOutError extends ConflictError {
  constructor(id: string) {
    super(`watermark ${id} was moved by a newer fetch; this run lost its lease`);
  }
}

const DUPLICATE_KEY = 11000;
/** Content stays listable 7 days; processed markers outlive that by a day and are then pruned. */
const CONTENT_MEMORY_MS = 8 * 24 * 3_600_000;

function collection(db: Db): Collection<WatermarkDocument> {
  return db.collection<WatermarkDocument>(COLLECTIONS.watermarks);
}

/** The ingestion bookkeeping kept in `watermarks`. */
export interface Watermarks {
  get(id: string): Promise<WatermarkDocument | null>;
  /** Record that `fence` now owns `id`, so an older holder can no longer write it. */
  claim(id: string, source: Source, fence: number): Promise<void>;
  /** Move a watermark, only while `fence` is the newest that claimed it. */
  advance(
    id: string,
    source: Source,
    fence: number,
    fields: { until: Date; wide_scan_at?: Date },
  ): Promise<void>;
  processed(contentIds: readonly string[]): Promise<Set<string>>;
  markProcessed(ref: ContentRef): Promise<void>;
  addPending(refs: readonly ContentRef[]): Promise<void>;
  pending(): Promise<ContentRef[]>;
  dropPending(contentIds: readonly string[]): Promise<void>;
  lastStart(contentType: ContentType): Promise<Date | undefined>;
  recordStart(contentType: ContentType, at: Date): Promise<void>;
  /** Forget processed markers older than the API's own memory. */
  prune(): Promise<void>;
}

export function createWatermarks(db: Db, clock: () => Date): Watermarks {
  const col = collection(db);
  const fenced = async (id: string, write: () => Promise<unknown>) => {
    try {
      await write();
    } catch (error) {
      if ((error as { code?: unknown }).code === DUPLICATE_KEY) throw new FencedOutError(id);
      throw error;
    }
  };
  return {
    get: (id) => col.findOne({ _id: id }),
    claim: (id, source, fence) =>
      fenced(id, () =>
        col.updateOne(
          { _id: id, $or: [{ fence: { $lte: fence } }, { fence: { $exists: false } }] },
          { $set: { kind: 'watermark', source, fence, updated_at: clock() } },
          { upsert: true },
        ),
      ),
    advance: (id, source, fence, fields) =>
      fenced(id, () =>
        col.updateOne(
          { _id: id, fence: { $lte: fence } },
          { $set: { kind: 'watermark', source, fence, updated_at: clock(), ...fields } },
          { upsert: true },
        ),
      ),
    async processed(contentIds) {
      if (contentIds.length === 0) return new Set();
      const docs = await col
        .find({ _id: { $in: contentIds.map((id) => `content:${id}`) } }, { projection: { _id: 1 } })
        .toArray();
      return new Set(docs.map((doc) => doc._id.slice('content:'.length)));
    },
    async markProcessed(ref) {
      const now = clock();
      await col.updateOne(
        { _id: `content:${ref.contentId}` },
        {
          $set: {
            kind: 'content',
            source: 'unified',
            content_type: ref.contentType,
            updated_at: now,
            expires_at: new Date(now.getTime() + CONTENT_MEMORY_MS),
          },
        },
        { upsert: true },
      );
    },
    async addPending(refs) {
      const now = clock();
      for (const ref of refs) {
        await col.updateOne(
          { _id: `pending:${ref.contentId}` },
          {
            $set: { kind: 'pending', source: 'unified', content_type: ref.contentType, ref, updated_at: now },
          },
          { upsert: true },
        );
      }
    },
    async pending() {
      const docs = await col.find({ kind: 'pending' }).limit(10_000).toArray();
      return docs.flatMap((doc) => (doc.ref ? [doc.ref] : []));
    },
    async dropPending(contentIds) {
      if (contentIds.length === 0) return;
      await col.deleteMany({ _id: { $in: contentIds.map((id) => `pending:${id}`) } });
    },
    async lastStart(contentType) {
      return (await col.findOne({ _id: `subscription:${contentType}` }))?.started_at;
    },
    async recordStart(contentType, at) {
      await col.updateOne(
        { _id: `subscription:${contentType}` },
        {
          $set: {
            kind: 'subscription',
            source: 'unified',
            content_type: contentType,
            started_at: at,
            updated_at: at,
          },
        },
        { upsert: true },
      );
    },
    async prune() {
      await col.deleteMany({ kind: 'content', expires_at: { $lt: clock() } });
    },
  };
}
