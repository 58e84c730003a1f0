import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { Source } from './model.js';

/**
 * The input schemas of every event query. REST, tRPC and MCP parse with these very schemas, so the surfaces
 * cannot disagree. They accept what a query string yields (strings, comma lists, repeated values) as well as
 * typed JSON, and never let an object through where a string is expected: a value like `{"$gt": ""}` or a
 * top-level `$where` key is a validation error, so user input can never become a MongoDB operator.
 */

const MAX_VALUES = 50;
const MAX_VALUE_LENGTH = 256;
export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 64;
export const MAX_COMMENT_LENGTH = 4000;
const MAX_SEARCH_LENGTH = 500;

const STRINGS_ERROR = 'expected a string or a list of strings';

/**
 * One or more string values: a string, a comma list (when `commas`), or an array (repeated query parameters).
 * Values are trimmed, empties dropped, duplicates removed; no values at all means "no filter".
 */
function values(options: { commas: boolean }) {
  return z
    .union([z.string(), z.array(z.string())], { error: STRINGS_ERROR })
    .nullish()
    .transform((input, ctx) => {
      if (input === undefined || input === null) return undefined;
      const parts = (Array.isArray(input) ? input : [input]).flatMap((value) =>
        options.commas ? value.split(',') : [value],
      );
      const cleaned = [...new Set(parts.map((value) => value.trim()).filter((value) => value.length > 0))];
      if (cleaned.length > MAX_VALUES) {
        ctx.addIssue({ code: 'custom', message: `at most ${MAX_VALUES} values` });
        return z.NEVER;
      }
      if (cleaned.some((value) => value.length > MAX_VALUE_LENGTH)) {
        ctx.addIssue({ code: 'custom', message: `each value at most ${MAX_VALUE_LENGTH} characters` });
        return z.NEVER;
      }
      return cleaned.length > 0 ? cleaned : undefined;
    });
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** An ISO 8601 date or date-time (UTC unless it names an offset), or a Date. */
const isoDate = z
  .union([z.string(), z.date()], { error: 'expected an ISO 8601 date' })
  .nullish()
  .transform((input, ctx) => {
    if (input === undefined || input === null) return undefined;
    if (input instanceof Date) {
      if (Number.isNaN(input.getTime())) {
        ctx.addIssue({ code: 'custom', message: 'invalid date' });
        return z.NEVER;
      }
      return input;
    }
    const text = input.trim();
    if (text === '') return undefined;
    const match = ISO_DATE.exec(text);
    // A date-time without an offset is UTC, never the server's local time.
    const normalized = match && text.length > 10 && !match[1] ? `${text}Z` : text;
    const date = match ? new Date(normalized.replace(' ', 'T')) : undefined;
    if (!date || Number.isNaN(date.getTime())) {
      ctx.addIssue({
        code: 'custom',
        message: `expected an ISO 8601 date like 2024-05-01T12:00:00Z, got "${text.slice(0, 40)}"`,
      });
      return z.NEVER;
    }
    return date;
  });

/** A whole number from JSON or a query string, clamped to `min..max` (the original clamped, never refused). */
function clampedInt(min: number, max: number, fallback: number) {
  return z
    .union([z.number(), z.string()], { error: 'expected a whole number' })
    .nullish()
    .transform((input, ctx) => {
      if (input === undefined || input === null || (typeof input === 'string' && input.trim() === '')) {
        return fallback;
      }
      const n =
        typeof input === 'number' ? input : /^\s*[+-]?\d+\s*$/.test(input) ? Number(input) : Number.NaN;
      if (!Number.isFinite(n)) {
        ctx.addIssue({
          code: 'custom',
          message: `expected a whole number, got ${JSON.stringify(input).slice(0, 40)}`,
        });
        return z.NEVER;
      }
      return Math.min(max, Math.max(min, Math.trunc(n)));
    });
}

const text = (max: number) =>
  z
    .string({ error: 'expected a string' })
    .max(max, { error: `at most ${max} characters` })
    .nullish()
    .transform((value) => {
      const trimmed = value?.trim();
      return trimmed ? trimmed : undefined;
    });

/** Free text keeps its trailing space: it tells a finished last word from one still being typed. */
const searchText = z
  .string({ error: 'expected a string' })
  .max(MAX_SEARCH_LENGTH, { error: `at most ${MAX_SEARCH_LENGTH} characters` })
  .nullish()
  .transform((value) => (value?.trim() ? value.trimStart() : undefined));

const sources = values({ commas: true }).transform((list, ctx) => {
  if (list === undefined) return undefined;
  const bad = list.filter((value) => !Source.options.includes(value as Source));
  if (bad.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown source ${bad.join(', ')} (expected ${Source.options.join(', ')})`,
    });
    return z.NEVER;
  }
  return list as Source[];
});

/**
 * The filters shared by search, summary and export. Multiple values of one field match any of them; different
 * fields must all match.
 * - `service`, `operation`, `result`, `source`, `tags`: exact values, comma lists accepted.
 * - `actor`: the actor's display name (UPN, user or app name, "System"), exact but case-insensitive; commas are
 *   not separators here because display names like "Smith, Jane" contain them (repeat the parameter instead).
 * - `entity`: an actor or a target whose display name starts with the value, case-insensitive (MCP's filter).
 * - `start` / `end`: inclusive ISO 8601 bounds on `timestamp`.
 * - `search`: free text; every word must occur in the event (the last word may be a prefix), and "quoted
 *   phrases" must occur verbatim in the summary or the raw record.
 */
const filterShape = {
  service: values({ commas: true }),
  operation: values({ commas: true }),
  result: values({ commas: true }),
  source: sources,
  tags: values({ commas: true }),
  actor: values({ commas: false }),
  entity: text(MAX_VALUE_LENGTH),
  start: isoDate,
  end: isoDate,
  search: searchText,
};

function withoutOperatorKeys<T extends z.ZodType>(schema: T) {
  return z.preprocess((input, ctx) => {
    if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
      for (const key of Object.keys(input)) {
        if (key.startsWith('$'))
          ctx.addIssue({ code: 'custom', message: 'operators are not accepted', path: [key] });
      }
    }
    return input;
  }, schema);
}

function startBeforeEnd(
  value: { start?: Date | undefined; end?: Date | undefined },
  ctx: z.RefinementCtx,
): void {
  if (value.start && value.end && value.start > value.end) {
    ctx.addIssue({ code: 'custom', message: 'start must not be after end', path: ['start'] });
  }
}

const EventFiltersObject = z.object(filterShape).superRefine(startBeforeEnd);

/** Filters of events (see `filterShape` above for each field's meaning). */
export const EventFilters = withoutOperatorKeys(EventFiltersObject);
export type EventFilters = z.output<typeof EventFilters>;

/** Input of `searchEvents`: the filters plus `cursor` (from `next_cursor`) and `page_size` (1..500, default 50). */
export const SearchEventsInput = withoutOperatorKeys(
  z
    .object({
      ...filterShape,
      cursor: text(1024),
      page_size: clampedInt(1, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE),
    })
    .superRefine(startBeforeEnd),
);
export type SearchEventsInput = z.output<typeof SearchEventsInput>;
export type SearchEventsRequest = z.input<typeof SearchEventsInput>;

/**
 * Input of `summary`: the time range is `start`..`end` (default now), or the last `days` (default 7) before
 * `end`; `filters` narrow the events (their own `start`/`end` are used when the top-level ones are absent);
 * `top` is how many values each breakdown lists (default 10).
 */
export const SummaryInput = withoutOperatorKeys(
  z
    .object({
      days: clampedInt(1, 3650, 7),
      start: isoDate,
      end: isoDate,
      top: clampedInt(1, 100, 10),
      filters: EventFilters.nullish(),
    })
    .superRefine(startBeforeEnd),
);
export type SummaryInput = z.output<typeof SummaryInput>;
export type SummaryRequest = z.input<typeof SummaryInput>;

export const ExportFormat = z.enum(['csv', 'ndjson'], { error: 'expected csv or ndjson' });
export type ExportFormat = z.infer<typeof ExportFormat>;

/** Input of `exportEvents`: the filters, `format` (csv by default) and `limit` (rows, 1..1,000,000, default 100,000). */
export const ExportEventsInput = withoutOperatorKeys(
  z
    .object({
      ...filterShape,
      format: z
        .string({ error: 'expected csv or ndjson' })
        .nullish()
        .transform((value) => value?.trim().toLowerCase() || 'csv')
        .pipe(ExportFormat),
      limit: clampedInt(1, 1_000_000, 100_000),
    })
    .superRefine(startBeforeEnd),
);
export type ExportEventsInput = z.output<typeof ExportEventsInput>;
export type ExportEventsRequest = z.input<typeof ExportEventsInput>;

/** An event id: the `_id` string every API answer carries, or (for compatibility) the source record's `id`. */
export const EventId = z
  .string({ error: 'expected an event id' })
  .trim()
  .min(1, { error: 'expected an event id' })
  .max(256, { error: 'at most 256 characters' });

/** Tags to set on an event (replacing its tags): trimmed, empties dropped, deduplicated, ≤ 50 of ≤ 64 characters. */
export const TagList = z
  .array(z.string({ error: 'each tag must be a string' }), { error: 'expected a list of tags' })
  .transform((tags, ctx) => {
    const cleaned = [...new Set(tags.map((tag) => tag.trim()).filter((tag) => tag.length > 0))];
    if (cleaned.length > MAX_TAGS) {
      ctx.addIssue({ code: 'custom', message: `at most ${MAX_TAGS} tags` });
      return z.NEVER;
    }
    const long = cleaned.find((tag) => tag.length > MAX_TAG_LENGTH);
    if (long !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `tag "${long.slice(0, 20)}…" is longer than ${MAX_TAG_LENGTH} characters`,
      });
      return z.NEVER;
    }
    return cleaned;
  });
export type TagList = z.output<typeof TagList>;

/** Body of `PATCH /api/events/{id}/tags`. */
export const SetTagsInput = withoutOperatorKeys(z.object({ tags: TagList }));
export type SetTagsInput = z.output<typeof SetTagsInput>;

/** A comment on an event: who wrote it (the surface passes the signed-in user) and the text (≤ 4000 characters). */
export const AddCommentInput = withoutOperatorKeys(
  z.object({
    author: z
      .string({ error: 'expected the author' })
      .trim()
      .min(1, { error: 'must not be empty' })
      .max(200, { error: 'at most 200 characters' }),
    text: z
      .string({ error: 'expected the comment text' })
      .trim()
      .min(1, { error: 'must not be empty' })
      .max(MAX_COMMENT_LENGTH, { error: `at most ${MAX_COMMENT_LENGTH} characters` }),
  }),
);
export type AddCommentInput = z.output<typeof AddCommentInput>;

/**
 * Parse input with one of these schemas, or throw a `ValidationError` whose message names each bad field
 * (`details` holds `[{ path, message }]`). Surfaces that validate themselves can skip this; core verbs call it
 * so direct callers (the CLI, the scheduler) get the same errors.
 */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
  throw new ValidationError(`Invalid input: ${summary}`, { details });
}
