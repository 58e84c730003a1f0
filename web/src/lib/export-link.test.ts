import { describe, expect, it } from 'vitest';
import { exportUrl } from './export-link.js';
import { EMPTY_FILTERS } from './filters.js';

describe('exportUrl', () => {
  const now = new Date('2026-11-22T12:00:00.000Z');

  it('carries the current filters with the range pinned at now', () => {
    const url = new URL(
      exportUrl(
        'csv',
        { ...EMPTY_FILTERS, service: 'Exchange', tags: ['a', 'b'], preset: '1h', search: 'x y' },
        now,
      ),
      'http://aoc.test',
    );
    expect(url.pathname).toBe('/api/events/export');
    expect(url.searchParams.get('format')).toBe('csv');
    expect(url.searchParams.get('service')).toBe('Exchange');
    expect(url.searchParams.getAll('tags')).toEqual(['a', 'b']);
    expect(url.searchParams.get('search')).toBe('x y');
    expect(url.searchParams.get('start')).toBe('2026-11-22T11:00:00.000Z');
    expect(url.searchParams.get('end')).toBe('2026-11-22T12:00:00.000Z');
  });

  it('exports everything when nothing is filtered and the range is "All"', () => {
    expect(exportUrl('ndjson', { ...EMPTY_FILTERS, preset: 'all' }, now)).toBe(
      '/api/events/export?format=ndjson',
    );
  });
});
