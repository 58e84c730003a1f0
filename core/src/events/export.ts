import { stringify } from 'csv-stringify/sync';
import type { Document } from 'mongodb';
import { eventsCollection } from '../store/collections.js';
import type { EventDocument } from '../store/collections.js';
import type { EventsContext } from './context.js';
import type { CursorPosition } from './cursor.js';
import { buildListQuery } from './query.js';
import { ExportEventsInput, parseInput } from './schemas.js';
import type { ExportEventsInput as ExportInput, ExportEventsRequest, ExportFormat } from './schemas.js';
import { API_PROJECTION, toApiEvent } from './to-api.js';

/** A streaming export: iterate it for the body's string chunks; the metadata fills the response headers. */
export interface EventExport extends AsyncIterable<string> {
  format: ExportFormat;
  contentType: string;
  /** A file name for `Content-Disposition`, e.g. `aoc-events-2024-05-01T120000Z.csv`. */
  filename: string;
}

const PAGE = 1000;

const CSV_COLUMNS = [
  '_id',
  'timestamp',
  'source',
  'service',
  'operation',
  'result',
  'actor',
  'targets',
  'summary',
  'tags',
  'comments',
  'source_id',
] as const;

const CSV_PROJECTION = { raw: 0, raw_text: 0, search_terms: 0, actor: 0, targets: 0 } as const;

/**
 * Spreadsheet applications run cells starting with these as formulas (CSV injection): such cells get a
 * leading apostrophe, which spreadsheets show as text and never evaluate.
 */
export function neutralizeFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

function csvRow(doc: EventDocument): string[] {
  const event = toApiEvent(doc);
  const cells = [
    event._id,
    event.timestamp,
    event.source ?? '',
    event.service ?? '',
    event.operation ?? '',
    event.result ?? '',
    event.actor_display ?? '',
    (event.target_displays ?? []).join('; '),
    event.display_summary ?? '',
    event.tags.join('; '),
    event.comments.map((c) => `${c.author} (${c.at}): ${c.text}`).join(' | '),
    event.id ?? '',
  ];
  return cells.map((cell) => neutralizeFormula(String(cell)));
}

async function* pages(ctx: Pick<EventsContext, 'db'>, input: ExportInput, projection: Document) {
  let after: CursorPosition | undefined;
  let remaining = input.limit;
  while (remaining > 0) {
    const { filter, sort } = buildListQuery(input, after);
    const batch = await eventsCollection(ctx.db)
      .find(filter, { projection })
      .sort(sort)
      .limit(Math.min(PAGE, remaining))
      .toArray();
    if (batch.length === 0) return;
    yield batch;
    remaining -= batch.length;
    const last = batch.at(-1)!;
    after = { timestamp: last.timestamp, id: last._id };
    if (batch.length < PAGE) return;
  }
}

async function* csvChunks(ctx: Pick<EventsContext, 'db'>, input: ExportInput): AsyncGenerator<string> {
  yield stringify([[...CSV_COLUMNS]]);
  for await (const batch of pages(ctx, input, CSV_PROJECTION)) yield stringify(batch.map(csvRow));
}

async function* ndjsonChunks(ctx: Pick<EventsContext, 'db'>, input: ExportInput): AsyncGenerator<string> {
  for await (const batch of pages(ctx, input, API_PROJECTION)) {
    yield batch.map((doc) => `${JSON.stringify(toApiEvent(doc))}\n`).join('');
  }
}

/**
 * `export(input)`: every event matching the filters, newest first, up to `limit`, as CSV (summary columns,
 * formula-safe cells) or NDJSON (one full `ApiEvent` per line). Input is validated before anything streams,
 * so a bad request fails with `ValidationError` instead of a broken download; the database is then read in
 * keyset pages of 1000 as the consumer pulls chunks, so memory stays flat however large the export.
 */
export function exportEvents(
  ctx: Pick<EventsContext, 'db' | 'clock'>,
  request: ExportEventsRequest = {},
): EventExport {
  const input = parseInput(ExportEventsInput, request);
  const stamp = ctx
    .clock()
    .toISOString()
    .replace(/[:.]/g, '')
    .replace(/\d{3}Z$/, 'Z');
  const csv = input.format === 'csv';
  return {
    format: input.format,
    contentType: csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    filename: `aoc-events-${stamp}.${csv ? 'csv' : 'ndjson'}`,
    [Symbol.asyncIterator]: () => (csv ? csvChunks(ctx, input) : ndjsonChunks(ctx, input)),
  };
}
