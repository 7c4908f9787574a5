import { describe, expect, it } from 'vitest';
import { coarsestPieces } from '../src/reports/report-dates.js';

// Which rollup rows a crimes-by-zip report reads for its range: a wrong piece counts crimes outside it.
describe('a report range cut into years, months and days', () => {
  it('reads whole years, whole months and only the odd days at either end', () => {
    expect(coarsestPieces('2023-11-15', '2025-02-10')).toEqual([
      { grain: 'day', start: '2023-11-15', end: '2023-12-01' },
      { grain: 'month', start: '2023-12-01', end: '2024-01-01' },
      { grain: 'year', start: '2024-01-01', end: '2025-01-01' },
      { grain: 'month', start: '2025-01-01', end: '2025-02-01' },
      { grain: 'day', start: '2025-02-01', end: '2025-02-10' },
    ]);
  });

  it('reads days only for a range within December 9999, never the months before it', () => {
    // The month after December 9999 begins 10000-01-01, which sorts before 9999-12-01 as text.
    expect(coarsestPieces('9999-12-15', '9999-12-20')).toEqual([{ grain: 'day', start: '9999-12-15', end: '9999-12-20' }]);
  });

  it('keeps years before 1000 four digits long', () => {
    expect(coarsestPieces('0099-12-15', '0100-02-01')).toEqual([
      { grain: 'day', start: '0099-12-15', end: '0100-01-01' },
      { grain: 'month', start: '0100-01-01', end: '0100-02-01' },
    ]);
  });
});
