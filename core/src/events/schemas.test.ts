import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import {
  AddCommentInput,
  ExportEventsInput,
  parseInput,
  SearchEventsInput,
  SummaryInput,
  TagList,
} from './schemas.js';

function validationError(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION');
    return error as AppError;
  }
  throw new Error('expected a ValidationError');
}

const search = (input: unknown) => parseInput(SearchEventsInput, input);

describe('SearchEventsInput', () => {
  it('defaults to the first page of 50 with no filters', () => {
    const input = search({});
    expect(input.page_size).toBe(50);
    expect(input.service).toBeUndefined();
    expect(input.cursor).toBeUndefined();
  });

  it('accepts single values, comma lists and repeated values, trimmed and deduplicated', () => {
    expect(search({ service: 'Exchange' }).service).toEqual(['Exchange']);
    expect(search({ service: 'Exchange, SharePoint,,Exchange' }).service).toEqual(['Exchange', 'SharePoint']);
    expect(search({ operation: ['Add user', 'Delete user,Update user'] }).operation).toEqual([
      'Add user',
      'Delete user',
      'Update user',
    ]);
    expect(search({ result: '' }).result).toBeUndefined();
  });

  it('keeps commas inside actor names, which display names contain', () => {
    expect(search({ actor: 'Smith, Jane' }).actor).toEqual(['Smith, Jane']);
    expect(search({ actor: ['Smith, Jane', 'admin@contoso.com'] }).actor).toHaveLength(2);
  });

  it('clamps page_size to 1..500 like the original, but refuses non-numbers', () => {
    expect(search({ page_size: '0' }).page_size).toBe(1);
    expect(search({ page_size: '-5' }).page_size).toBe(1);
    expect(search({ page_size: '100000' }).page_size).toBe(500);
    expect(search({ page_size: 120 }).page_size).toBe(120);
    expect(search({ page_size: '' }).page_size).toBe(50);
    expect(validationError(() => search({ page_size: 'ten' })).message).toContain('page_size');
    expect(validationError(() => search({ page_size: '1e3' })).message).toContain('page_size');
  });

  it('parses ISO dates as UTC unless an offset is given, and names a bad date field', () => {
    expect(search({ start: '2024-05-01' }).start?.toISOString()).toBe('2024-05-01T00:00:00.000Z');
    expect(search({ start: '2024-05-01T10:00:00' }).start?.toISOString()).toBe('2024-05-01T10:00:00.000Z');
    expect(search({ end: '2024-05-01T10:00:00+02:00' }).end?.toISOString()).toBe('2024-05-01T08:00:00.000Z');
    expect(validationError(() => search({ start: 'yesterday' })).message).toMatch(/^Invalid input: start:/);
    expect(validationError(() => search({ end: '2024-13-45' })).message).toContain('end');
    expect(validationError(() => search({ start: '2024-05-02', end: '2024-05-01' })).message).toContain(
      'start must not be after end',
    );
  });

  it('rejects operators and objects where strings are expected', () => {
    expect(validationError(() => search({ service: { $gt: '' } })).message).toContain('service');
    expect(validationError(() => search({ actor: [{ $ne: null }] })).message).toContain('actor');
    expect(validationError(() => search({ search: { $where: 'sleep(1000)' } })).message).toContain('search');
    expect(validationError(() => search({ search: ['a', 'b'] })).message).toContain('search');
    expect(validationError(() => search({ $where: 'true' })).message).toContain('$where');
    expect(validationError(() => search({ cursor: { $gt: '' } })).message).toContain('cursor');
  });

  it('accepts operator-looking text as a literal string', () => {
    expect(search({ search: '{"$gt": ""}' }).search).toBe('{"$gt": ""}');
    expect(search({ service: '$where' }).service).toEqual(['$where']);
  });

  it('checks sources against the known ones', () => {
    expect(search({ source: 'directory,unified' }).source).toEqual(['directory', 'unified']);
    expect(validationError(() => search({ source: 'mainframe' })).message).toContain('source');
  });

  it('bounds the number and length of values', () => {
    expect(
      validationError(() => search({ service: Array.from({ length: 51 }, (_, i) => `s${i}`) })).message,
    ).toContain('at most 50 values');
    expect(validationError(() => search({ service: 'x'.repeat(257) })).message).toContain('service');
    expect(validationError(() => search({ search: 'x'.repeat(501) })).message).toContain('search');
  });

  it('ignores unknown parameters such as cache busters', () => {
    expect(search({ _: '123', page_size: '5' }).page_size).toBe(5);
  });
});

describe('TagList', () => {
  it('trims, drops empties and deduplicates', () => {
    expect(parseInput(TagList, [' investigating ', '', 'investigating', 'false_positive'])).toEqual([
      'investigating',
      'false_positive',
    ]);
  });

  it('limits tags to 50 of 64 characters and refuses non-strings', () => {
    expect(
      validationError(() =>
        parseInput(
          TagList,
          Array.from({ length: 51 }, (_, i) => `t${i}`),
        ),
      ).message,
    ).toContain('at most 50 tags');
    expect(validationError(() => parseInput(TagList, ['x'.repeat(65)])).message).toContain('64');
    expect(() => parseInput(TagList, ['x'.repeat(64)])).not.toThrow();
    expect(validationError(() => parseInput(TagList, [{ $set: 1 }])).code).toBe('VALIDATION');
    expect(validationError(() => parseInput(TagList, 'a,b')).code).toBe('VALIDATION');
  });
});

describe('AddCommentInput', () => {
  it('requires an author and 1..4000 characters of text', () => {
    expect(parseInput(AddCommentInput, { author: ' ann ', text: ' looks fine ' })).toEqual({
      author: 'ann',
      text: 'looks fine',
    });
    expect(
      validationError(() => parseInput(AddCommentInput, { author: 'ann', text: '   ' })).message,
    ).toContain('text');
    expect(
      validationError(() => parseInput(AddCommentInput, { author: 'ann', text: 'x'.repeat(4001) })).message,
    ).toContain('4000');
    expect(() => parseInput(AddCommentInput, { author: 'ann', text: 'x'.repeat(4000) })).not.toThrow();
    expect(validationError(() => parseInput(AddCommentInput, { text: 'hi' })).message).toContain('author');
  });
});

describe('SummaryInput and ExportEventsInput', () => {
  it('defaults summary to 7 days and top 10, with nested filters', () => {
    const input = parseInput(SummaryInput, { filters: { service: 'Exchange' } });
    expect(input.days).toBe(7);
    expect(input.top).toBe(10);
    expect(input.filters?.service).toEqual(['Exchange']);
    expect(
      validationError(() => parseInput(SummaryInput, { filters: { service: { $ne: 1 } } })).message,
    ).toContain('filters.service');
  });

  it('defaults exports to CSV and refuses unknown formats', () => {
    expect(parseInput(ExportEventsInput, {}).format).toBe('csv');
    expect(parseInput(ExportEventsInput, { format: 'NDJSON' }).format).toBe('ndjson');
    expect(validationError(() => parseInput(ExportEventsInput, { format: 'xml' })).message).toContain(
      'format',
    );
  });
});
