import { useTestDatabase } from '@aoc/sim/testing';
import type { Document } from 'mongodb';
import { ObjectId } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventsCollection } from '../store/collections.js';
import { ensureEventIndexes } from '../store/indexes.js';
import { buildEventFilter, buildListQuery } from './query.js';
import { parseInput, SearchEventsInput } from './schemas.js';

const database = useTestDatabase('aoc_index_coverage');
let indexes: Document[];

beforeAll(async () => {
  await ensureEventIndexes(database.db, { retentionDays: 30 });
  indexes = await eventsCollection(database.db).indexes();
});

const KEYSET_FIELDS = new Set(['timestamp', '_id']);

/** Fields every matching document must constrain (top level and inside `$and`), and the `$or` groups. */
function constraints(filter: Document): { fields: string[]; ors: Document[][] } {
  const fields: string[] = [];
  const ors: Document[][] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and') {
      for (const part of value as Document[]) {
        const inner = constraints(part);
        fields.push(...inner.fields);
        ors.push(...inner.ors);
      }
    } else if (key === '$or') {
      const branches = value as Document[];
      // The keyset condition narrows the sort range; it needs no index of its own.
      if (!branches.every((branch) => Object.keys(branch).every((field) => KEYSET_FIELDS.has(field))))
        ors.push(branches);
    } else if (!KEYSET_FIELDS.has(key)) {
      fields.push(key);
    }
  }
  return { fields, ors };
}

function keyEntries(key: Document): [string, number][] {
  return Object.entries(key).map(([field, direction]) => [field, Number(direction)]);
}

/** An index whose key is `leading` (if any) followed by exactly the sort keys: equality prefix, then the sort. */
function indexServing(leading: string | undefined, sort: Document): Document | undefined {
  const sortKeys = keyEntries(sort);
  const wanted = leading === undefined ? sortKeys : [[leading, 1] as [string, number], ...sortKeys];
  return indexes.find(
    (index) => JSON.stringify(keyEntries(index.key as Document)) === JSON.stringify(wanted),
  );
}

function served(filter: Document, sort: Document): boolean {
  const { fields, ors } = constraints(filter);
  if (fields.length > 0) return fields.some((field) => indexServing(field, sort) !== undefined);
  if (ors.length > 0) {
    return ors.every((branches) =>
      branches.every((branch) =>
        constraints(branch).fields.some((field) => indexServing(field, sort) !== undefined),
      ),
    );
  }
  return indexServing(undefined, sort) !== undefined;
}

// What the console, REST, tRPC and MCP send: every filter alone, typical combinations, and follow-up pages.
const SHAPES: Record<string, Record<string, unknown>> = {
  'newest events': {},
  'time range': { start: '2024-05-01', end: '2024-05-07' },
  service: { service: 'Exchange' },
  'several services': { service: 'Exchange,SharePoint' },
  operation: { operation: 'Set-Mailbox' },
  result: { result: 'failure' },
  actor: { actor: 'alice@contoso.com' },
  source: { source: 'unified' },
  tag: { tags: 'investigating' },
  'entity (MCP)': { entity: 'alice' },
  'free text': { search: 'attacker@evil.com' },
  'free text being typed': { search: 'forward' },
  'quoted phrase': { search: '"reset password"' },
  'service + time range': { service: 'Exchange', start: '2024-05-01' },
  'actor + free text': { actor: 'alice@contoso.com', search: 'mailbox' },
  'all filters': {
    service: 'Exchange',
    operation: 'Set-Mailbox',
    result: 'Succeeded',
    actor: 'alice@contoso.com',
    source: 'unified',
    tags: 'investigating',
    search: 'evil',
    start: '2024-05-01',
    end: '2024-05-07',
  },
};

const AFTER = { timestamp: new Date('2024-05-03T00:00:00Z'), id: new ObjectId() };

describe('every console query is served by an index', () => {
  for (const [name, shape] of Object.entries(SHAPES)) {
    it(`list: ${name} (first and later pages)`, () => {
      const input = parseInput(SearchEventsInput, shape);
      for (const { filter, sort } of [buildListQuery(input), buildListQuery(input, AFTER)]) {
        expect(served(filter, sort), JSON.stringify(filter)).toBe(true);
      }
    });

    it(`summary: ${name}`, () => {
      const input = parseInput(SearchEventsInput, shape);
      const filter = buildEventFilter({
        ...input,
        start: new Date('2024-05-01'),
        end: new Date('2024-05-08'),
      });
      expect(served(filter, { timestamp: -1, _id: -1 }), JSON.stringify(filter)).toBe(true);
    });
  }

  it('lookups by _id, source id and dedupe_key have indexes', () => {
    const leading = indexes.map((index) => Object.keys(index.key as Document)[0]);
    expect(leading).toEqual(expect.arrayContaining(['_id', 'id', 'dedupe_key']));
  });

  it('the checker itself fails a query no index serves', () => {
    expect(served({ display_summary: 'x' }, { timestamp: -1, _id: -1 })).toBe(false);
    expect(served({}, { ingested_at: -1 })).toBe(false);
  });
});
