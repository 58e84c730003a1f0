import { describe, expect, it } from 'vitest';
import { neutralizeFormula } from './export.js';

describe('neutralizeFormula', () => {
  it('defuses cells a spreadsheet would evaluate', () => {
    for (const cell of ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd']) {
      expect(neutralizeFormula(cell)).toBe(`'${cell}`);
    }
  });

  it('leaves ordinary text alone', () => {
    for (const cell of ['Add user', 'alice@contoso.com', '2024-05-01T00:00:00.000Z', '', ' =not first']) {
      expect(neutralizeFormula(cell)).toBe(cell);
    }
  });
});
