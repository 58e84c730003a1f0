import { z } from 'zod';

/** Where a record came from: Graph directory audits, Graph Intune audit events, or the Management Activity API. */
export const Source = z.enum(['directory', 'intune', 'unified']);
export type Source = z.infer<typeof Source>;

/** Content types of the Office 365 Management Activity API that AOC subscribes to. */
export const ContentType = z.enum([
  'Audit.AzureActiveDirectory',
  'Audit.Exchange',
  'Audit.SharePoint',
  'Audit.General',
  'DLP.All',
]);
export type ContentType = z.infer<typeof ContentType>;

export const Comment = z.object({
  author: z.string(),
  text: z.string(),
  at: z.date(),
});
export type Comment = z.infer<typeof Comment>;

/**
 * The normalized part of an event: what `normalizeEvent` produces from one raw record. Compatible with the
 * original service's documents, plus `search_terms` (indexed free text) and `source`.
 */
export const NormalizedEvent = z.object({
  /** The source's own record id (may repeat across sources; `dedupe_key` is the unique one). */
  id: z.string(),
  source: Source,
  /** Management Activity content type, when the record came from that API. */
  content_type: ContentType.optional(),
  timestamp: z.date(),
  service: z.string(),
  operation: z.string(),
  result: z.string(),
  /** Who did it: user UPN or display name, app name, or "System". */
  actor_display: z.string(),
  target_displays: z.array(z.string()),
  display_summary: z.string(),
  dedupe_key: z.string(),
  /** The actor as the source described it (Graph `initiatedBy`, or a synthesized object for the other sources). */
  actor: z.record(z.string(), z.unknown()),
  targets: z.array(z.record(z.string(), z.unknown())),
  /** The full source record, untouched. */
  raw: z.record(z.string(), z.unknown()),
  raw_text: z.string(),
  search_terms: z.array(z.string()),
  /** True when the record's shape was not recognized and fields are best-effort. */
  unknown_shape: z.boolean().optional(),
});
export type NormalizedEvent = z.infer<typeof NormalizedEvent>;

/** An event as stored in the `events` collection: normalized fields plus analyst data and bookkeeping. */
export const StoredEvent = NormalizedEvent.extend({
  tags: z.array(z.string()),
  comments: z.array(Comment),
  ingested_at: z.date(),
});
export type StoredEvent = z.infer<typeof StoredEvent>;
