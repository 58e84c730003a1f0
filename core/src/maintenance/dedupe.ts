import type { ObjectId } from 'mongodb';
import type { CoreContext } from '../context.js';
import type { Comment } from '../events/model.js';
import { eventsCollection } from '../store/collections.js';
import { ensureEventIndexes } from '../store/indexes.js';
import type { ProgressCallback } from './progress.js';

/** What `dedupe` did: how many keys had duplicates and how many documents were removed. */
export interface DedupeResult {
  /** Distinct `dedupe_key`s that were stored more than once. */
  groups: number;
  /** Documents deleted (the extra copies). */
  removed: number;
  /** True when the unique `dedupe_key` index is in place afterwards. */
  uniqueIndex: boolean;
}

export interface DedupeOptions {
  onProgress?: ProgressCallback<Omit<DedupeResult, 'uniqueIndex'>>;
}

interface Copy {
  _id: ObjectId;
  tags?: unknown;
  comments?: unknown;
  ingested_at?: unknown;
}

const PROGRESS_EVERY = 100;

function list<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

function richness(copy: Copy): number {
  return list(copy.tags).length + list(copy.comments).length;
}

/** The copy to keep: most tags + comments, then the one ingested first, then the oldest `_id`. */
function keeper(copies: Copy[]): Copy {
  const time = (copy: Copy) =>
    copy.ingested_at instanceof Date ? copy.ingested_at.getTime() : Number.POSITIVE_INFINITY;
  return [...copies].sort(
    (a, b) =>
      richness(b) - richness(a) ||
      time(a) - time(b) ||
      a._id.toHexString().localeCompare(b._id.toHexString()),
  )[0]!;
}

function mergeComments(copies: Copy[]): Comment[] {
  const seen = new Map<string, Comment>();
  for (const copy of copies) {
    for (const comment of list<Comment>(copy.comments)) {
      const at = comment.at instanceof Date ? comment.at.getTime() : String(comment.at);
      seen.set(`${comment.author}\u0000${comment.text}\u0000${at}`, comment);
    }
  }
  const when = (c: Comment) => (c.at instanceof Date ? c.at.getTime() : 0);
  return [...seen.values()].sort((a, b) => when(a) - when(b));
}

/**
 * `aoc dedupe`: remove the duplicates older data may hold (several documents with one `dedupe_key`). Per key
 * it keeps the richest copy, gives it the union of every copy's tags and comments and the earliest
 * `ingested_at`, and deletes the rest; then it (re)builds the unique `dedupe_key` index so duplicates cannot
 * come back. Safe to re-run; a run over clean data changes nothing.
 */
export async function dedupeEvents(ctx: CoreContext, options: DedupeOptions = {}): Promise<DedupeResult> {
  const events = eventsCollection(ctx.db);
  const groups = events.aggregate<{ _id: string; ids: ObjectId[] }>(
    [
      { $match: { dedupe_key: { $type: 'string' } } },
      { $group: { _id: '$dedupe_key', ids: { $push: '$_id' }, count: { $sum: 1 } } },
      { $match: { count: { $gt: 1 } } },
    ],
    { allowDiskUse: true },
  );
  const result = { groups: 0, removed: 0 };
  for await (const group of groups) {
    const copies = await events
      .find({ _id: { $in: group.ids } }, { projection: { tags: 1, comments: 1, ingested_at: 1 } })
      .toArray();
    if (copies.length < 2) continue;
    const keep = keeper(copies);
    const others = copies.filter((copy) => !copy._id.equals(keep._id));
    const tags = [...new Set([keep, ...others].flatMap((copy) => list<string>(copy.tags)))];
    const firstSeen = copies
      .map((copy) => copy.ingested_at)
      .filter((at): at is Date => at instanceof Date)
      .sort((a, b) => a.getTime() - b.getTime())[0];
    await events.updateOne(
      { _id: keep._id },
      { $set: { tags, comments: mergeComments(copies), ...(firstSeen ? { ingested_at: firstSeen } : {}) } },
    );
    const deleted = await events.deleteMany({ _id: { $in: others.map((copy) => copy._id) } });
    result.groups += 1;
    result.removed += deleted.deletedCount;
    if (result.groups % PROGRESS_EVERY === 0) options.onProgress?.({ ...result });
  }
  options.onProgress?.({ ...result });
  const report = await ensureEventIndexes(ctx.db, { retentionDays: ctx.config.retentionDays, log: ctx.log });
  ctx.log.info({ ...result }, 'dedupe finished');
  return { ...result, uniqueIndex: !report.degraded.includes('dedupe_key_unique') };
}
