import { ObjectId } from 'mongodb';
import type { EventDocument } from '../store/collections.js';
import type { StoredEvent } from './model.js';

/** A comment as the API returns it. */
export interface ApiComment {
  author: string;
  text: string;
  at: string;
}

/**
 * An event as every surface returns it (REST, tRPC, MCP, exports): the stored document with `_id` as its hex
 * string (what `/api/events/{id}` takes) and every date as an ISO 8601 string. `search_terms` is an index
 * detail and is left out. `ingested_at` is null only on documents written by the original service.
 */
export type ApiEvent = Omit<StoredEvent, 'timestamp' | 'ingested_at' | 'comments' | 'search_terms'> & {
  _id: string;
  timestamp: string;
  ingested_at: string | null;
  comments: ApiComment[];
};

/** Fields never sent to clients; use as a find projection. */
export const API_PROJECTION = { search_terms: 0 } as const;

function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof ObjectId) return value.toHexString();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = plain(inner);
    return out;
  }
  return value;
}

/** Convert a stored event document to its API form (see `ApiEvent`). */
export function toApiEvent(doc: EventDocument): ApiEvent {
  const { search_terms: _terms, ...rest } = doc;
  const out = plain(rest) as ApiEvent;
  out.tags = Array.isArray(out.tags) ? out.tags : [];
  out.comments = Array.isArray(out.comments) ? out.comments : [];
  out.ingested_at = out.ingested_at ?? null;
  return out;
}
