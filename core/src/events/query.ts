import type { Filter, Sort } from 'mongodb';
import type { EventDocument } from '../store/collections.js';
import { EVENT_SORT } from '../store/indexes.js';
import type { CursorPosition } from './cursor.js';
import { escapeRegex } from './escape-regex.js';
import type { EventFilters } from './schemas.js';
import { buildTextFilter } from './text-query.js';

/** A MongoDB query as core runs it: the filter and the sort. Exposed so tests can check an index serves it. */
export interface EventQuery {
  filter: Filter<EventDocument>;
  sort: Sort & typeof EVENT_SORT;
}

const oneOrAny = (values: readonly string[]) => (values.length === 1 ? values[0] : { $in: [...values] });

/**
 * Translate validated filters into a MongoDB filter. Every value reaches MongoDB as a literal (a string, or a
 * regex built from escaped text), so no user input can act as an operator.
 */
export function buildEventFilter(filters: Partial<EventFilters>): Filter<EventDocument> {
  const filter: Record<string, unknown> = {};
  const and: Filter<EventDocument>[] = [];
  if (filters.service) filter.service = oneOrAny(filters.service);
  if (filters.operation) filter.operation = oneOrAny(filters.operation);
  if (filters.result) filter.result = oneOrAny(filters.result);
  if (filters.source) filter.source = oneOrAny(filters.source);
  if (filters.tags) filter.tags = oneOrAny(filters.tags);
  if (filters.actor) {
    // Display names are matched exactly but without case, as people type them; anchored on both ends, the
    // regex walks the actor_display index rather than the documents.
    filter.actor_display = { $in: filters.actor.map((actor) => new RegExp(`^${escapeRegex(actor)}$`, 'i')) };
  }
  if (filters.entity) {
    const prefix = new RegExp(`^${escapeRegex(filters.entity)}`, 'i');
    and.push({ $or: [{ actor_display: prefix }, { target_displays: prefix }] });
  }
  if (filters.start || filters.end) {
    filter.timestamp = {
      ...(filters.start ? { $gte: filters.start } : {}),
      ...(filters.end ? { $lte: filters.end } : {}),
    };
  }
  if (filters.search) and.push(...buildTextFilter(filters.search));
  if (and.length > 0) filter.$and = and;
  return filter;
}

/** The keyset condition "strictly after `position`" in the (timestamp desc, _id desc) order. */
export function afterPosition(position: CursorPosition): Filter<EventDocument> {
  return {
    $or: [
      { timestamp: { $lt: position.timestamp } },
      { timestamp: position.timestamp, _id: { $lt: position.id } },
    ],
  };
}

/**
 * The query behind event lists and exports: the filters, optionally resumed after a cursor position, sorted
 * newest first with `_id` breaking ties so the order is total and pages never skip or repeat an event.
 */
export function buildListQuery(filters: Partial<EventFilters>, after?: CursorPosition): EventQuery {
  const filter = buildEventFilter(filters);
  if (after) {
    const and = filter.$and ?? [];
    filter.$and = [...and, afterPosition(after)];
  }
  return { filter, sort: { ...EVENT_SORT } };
}
