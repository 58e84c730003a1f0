import type { EventFilters } from '../events/schemas.js';
import { parseEntities } from './parse-entities.js';
import type { ParsedEntities } from './parse-entities.js';
import { parseHints } from './parse-hints.js';
import type { ParsedHints } from './parse-hints.js';
import { DEFAULT_RANGE_DAYS, parseTimeRange } from './parse-time.js';
import type { TimeRange } from './parse-time.js';
import type { Vocabulary } from './vocabulary.js';

/** Everything read from a question, before the caller's filters are applied. */
export interface ParsedQuestion {
  range: TimeRange;
  entities: ParsedEntities;
  hints: ParsedHints;
}

/** Read a question deterministically: time range against `now`, entities and hints against the vocabulary. */
export function parseQuestion(question: string, now: Date, vocabulary: Vocabulary): ParsedQuestion {
  return {
    range: parseTimeRange(question, now),
    entities: parseEntities(question, vocabulary),
    hints: parseHints(question, vocabulary),
  };
}

/** Filters with a definite time range: what retrieval runs with. */
export type PlannedFilters = Partial<EventFilters> & { start: Date; end: Date };

/** Where each applied filter came from, and what was read but not applied, for the user to check. */
export interface Interpretation {
  time: { start: string; end: string; label: string; from: 'question' | 'filters' | 'default' };
  from_question: string[];
  from_filters: string[];
  notes: string[];
  /** Names read from the question that no filter took (an explicit filter won, or only one entity fits). */
  unused: string[];
}

const DAY = 86_400_000;
const FIELDS = ['service', 'source', 'operation', 'result', 'actor', 'entity', 'search', 'tags'] as const;

function timeRange(parsed: TimeRange, explicit: Partial<EventFilters>, now: Date) {
  if (!explicit.start && !explicit.end) {
    return { start: parsed.start, end: parsed.end, label: parsed.label, from: parsed.from };
  }
  let start = explicit.start ?? parsed.start;
  let end = explicit.end ?? parsed.end;
  // The caller's bound wins; the question's other bound is dropped when it would make the range empty.
  if (start > end) {
    if (explicit.start) end = now > start ? now : start;
    else start = new Date(end.getTime() - DEFAULT_RANGE_DAYS * DAY);
  }
  return { start, end, label: 'console filters', from: 'filters' as const };
}

/**
 * Merge what the question says with the filters the caller passed (the console's active filters): a filter
 * given explicitly always wins over the same field read from the question. Returns the filters to run and an
 * interpretation saying where each came from.
 */
export function planQuery(
  parsed: ParsedQuestion,
  explicit: Partial<EventFilters>,
  now: Date,
): { filters: PlannedFilters; interpretation: Interpretation } {
  const { entities, hints } = parsed;
  const fromQuestion: Partial<EventFilters> = {
    ...(hints.service ? { service: hints.service } : {}),
    ...(hints.source ? { source: hints.source } : {}),
    ...(hints.operation ? { operation: hints.operation } : {}),
    ...(hints.result ? { result: hints.result } : {}),
    ...(hints.search ? { search: hints.search } : {}),
    ...(entities.actors.length > 0 ? { actor: entities.actors } : {}),
    ...(entities.entities[0] !== undefined ? { entity: entities.entities[0] } : {}),
  };
  const time = timeRange(parsed.range, explicit, now);
  const filters: PlannedFilters = { start: time.start, end: time.end };
  const from_question: string[] = [];
  const from_filters: string[] = [];
  const unused = entities.entities.slice(1);
  for (const field of FIELDS) {
    const given = explicit[field];
    const read = fromQuestion[field];
    if (given !== undefined) {
      Object.assign(filters, { [field]: given });
      from_filters.push(field);
      if (field === 'actor') unused.push(...entities.actors);
      if (field === 'entity' && entities.entities[0] !== undefined) unused.push(entities.entities[0]);
    } else if (read !== undefined) {
      Object.assign(filters, { [field]: read });
      from_question.push(field);
    }
  }
  if (time.from === 'filters') from_filters.push('start', 'end');
  else if (time.from === 'question') from_question.push('start', 'end');
  return {
    filters,
    interpretation: {
      time: {
        start: time.start.toISOString(),
        end: time.end.toISOString(),
        label: time.label,
        from: time.from,
      },
      from_question,
      from_filters,
      notes: hints.notes,
      unused,
    },
  };
}

/** Filters as JSON (ISO dates), in the shape `GET /api/events` and `core.events.search` take, to rerun them. */
export function filtersAsQuery(filters: PlannedFilters): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(filters)) {
    if (value instanceof Date) query[key] = value.toISOString();
    else if (typeof value === 'string' || Array.isArray(value)) query[key] = value;
  }
  return query;
}
