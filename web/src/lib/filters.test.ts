import { describe, expect, it } from 'vitest';
import {
  EMPTY_FILTERS,
  filtersFromSearch,
  filtersToSearch,
  hasFilters,
  resolveRange,
  toQuery,
  withRange,
  type EventFilters,
} from './filters.js';

const now = new Date('2026-11-22T12:00:00.000Z');

function roundTrip(filters: EventFilters): EventFilters {
  const params = Object.fromEntries(
    Object.entries(filtersToSearch(filters)).filter(([, v]) => v !== undefined),
  );
  return filtersFromSearch(params);
}

describe('URL ↔ filter state', () => {
  it('an empty URL means the last 7 days, newest first, 50 a page', () => {
    expect(filtersFromSearch({})).toEqual(EMPTY_FILTERS);
    expect(hasFilters(filtersFromSearch({}))).toBe(false);
  });

  it('a shared link reproduces every filter', () => {
    const filters: EventFilters = {
      ...EMPTY_FILTERS,
      service: 'Exchange',
      actor: 'alice@contoso.com',
      operation: 'Add member to role.',
      result: 'success',
      source: 'unified',
      tags: ['investigating', 'escalated'],
      preset: 'custom',
      start: '2026-11-01T00:00:00.000Z',
      end: '2026-11-02T00:00:00.000Z',
      search: 'global admin',
      pageSize: 100,
    };
    expect(roundTrip(filters)).toEqual(filters);
  });

  it('keeps default values out of the URL and clears stale keys', () => {
    const search = filtersToSearch({ ...EMPTY_FILTERS, service: 'Intune' });
    expect(search).toMatchObject({
      service: 'Intune',
      range: undefined,
      size: undefined,
      q: undefined,
      tags: undefined,
    });
    expect(Object.keys(search)).toEqual(expect.arrayContaining(['actor', 'start', 'end']));
  });

  it('drops malformed values instead of failing', () => {
    const filters = filtersFromSearch({ range: 'forever', size: '7', start: 'yesterday', tags: ' a, ,a,b ' });
    expect(filters.preset).toBe('7d');
    expect(filters.pageSize).toBe(50);
    expect(filters.start).toBe('');
    expect(filters.tags).toEqual(['a', 'b']);
  });

  it('start/end without a preset mean a custom range; with a relative preset they are ignored', () => {
    expect(filtersFromSearch({ start: '2026-11-01T00:00:00Z' }).preset).toBe('custom');
    const relative = filtersFromSearch({ range: '24h', start: '2026-11-01T00:00:00Z' });
    expect(relative).toMatchObject({ preset: '24h', start: '' });
  });

  it('takes the first of repeated parameters', () => {
    expect(filtersFromSearch({ service: ['A', 'B'] }).service).toBe('A');
  });
});

describe('query building', () => {
  it('resolves relative presets against now', () => {
    const { start, end } = resolveRange({ ...EMPTY_FILTERS, preset: '24h' }, now);
    expect(start?.toISOString()).toBe('2026-11-21T12:00:00.000Z');
    expect(end).toEqual(now);
  });

  it('omits empty fields and trims the search text', () => {
    const query = toQuery(
      { ...EMPTY_FILTERS, service: 'Exchange', search: '  reset password ', preset: '1h' },
      now,
    );
    expect(query).toEqual({
      service: 'Exchange',
      search: 'reset password',
      start: '2026-11-22T11:00:00.000Z',
      end: '2026-11-22T12:00:00.000Z',
    });
  });

  it('a histogram zoom becomes a custom range', () => {
    const zoomed = withRange(EMPTY_FILTERS, new Date(1000), new Date(2000));
    expect(zoomed).toMatchObject({
      preset: 'custom',
      start: '1970-01-01T00:00:01.000Z',
      end: '1970-01-01T00:00:02.000Z',
    });
    expect(filtersToSearch(zoomed)).toMatchObject({ range: 'custom', start: '1970-01-01T00:00:01.000Z' });
  });

  it('"All" is explicit in the URL and puts no bound on time', () => {
    const all = { ...EMPTY_FILTERS, preset: 'all' as const };
    expect(filtersToSearch(all).range).toBe('all');
    expect(toQuery(all, now)).toEqual({});
    expect(hasFilters(all)).toBe(false);
    expect(hasFilters({ ...EMPTY_FILTERS, tags: ['x'] })).toBe(true);
  });
});
