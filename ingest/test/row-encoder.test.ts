import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crimes } from '../../core/datasets/crimes.js';
import { datasets, GEO_COLUMNS, type DatasetDefinition } from '../../core/datasets/index.js';
import { readSodaFixture } from '../../core/testing/fixtures.js';
import { RowEnricher } from '../enrich/row-enricher.js';
import { columnNames, mapSodaRow, type SodaRow } from '../soda-values.js';
import { copyValue } from '../sync/copy-text.js';
import { encodePage, type PageLog } from '../sync/encode-page.js';
import { BACKEND } from './helpers.js';

/**
 * The sync encodes pages through a row encoder compiled per dataset (ingest/sync/row-encoder.ts).
 * Whatever the portal sends, the COPY text must be what the general path writes (mapSodaRow, the
 * enricher on the values record, copyValue per value), warnings included; and the portal's own
 * text values must come out unchanged.
 */
const enricher = RowEnricher.fromBoundaries({
  zip: readSodaFixture('gdcf-axmw').map((row) => ({ key: String(row.zip), geometry: row.the_geom })),
  communityArea: readSodaFixture('igwz-8jzy').map((row) => ({ key: Number(row.area_numbe), geometry: row.the_geom })),
});

function sample(dataset: DatasetDefinition): { rows: SodaRow[]; text: string } {
  const text = readFileSync(new URL(`../../core/datasets/samples/${dataset.sample!.file}`, import.meta.url), 'utf8');
  return { rows: JSON.parse(text) as SodaRow[], text };
}

function columnsOf(dataset: DatasetDefinition): string[] {
  return [...columnNames(dataset), ...(dataset.point ? [GEO_COLUMNS.zip, GEO_COLUMNS.communityArea] : [])];
}

function capture(): { log: PageLog; lines: string[] } {
  const lines: string[] = [];
  return { lines, log: { warn: (context, message) => lines.push(`warn ${JSON.stringify(context)} ${message}`), error: (context, message) => lines.push(`error ${JSON.stringify(context)} ${message}`) } };
}

/** The general path, row by row: what the sync wrote before the compiled encoder. */
function generalLines(dataset: DatasetDefinition, rows: readonly SodaRow[], sourceId: string): string[] {
  const columns = columnsOf(dataset);
  return rows.map((row) => {
    const { values } = mapSodaRow(dataset, row, sourceId);
    if (dataset.point) enricher.enrich(dataset, values);
    return columns.map((column) => copyValue(values[column])).join('\t');
  });
}

function encodedLines(dataset: DatasetDefinition, rows: readonly SodaRow[], sourceId: string, clean: boolean, log = capture().log): string[] {
  const encoded = encodePage(dataset, columnsOf(dataset), sourceId, rows, log, enricher, { clean });
  return encoded.copyText.split('\n').slice(0, -1);
}

/** COPY text cell back to the value (`\N` is null). */
function unescape(cell: string): string | null {
  if (cell === '\\N') return null;
  return cell.replace(/\\([\\ntr])/g, (_, char: string) => ({ '\\': '\\', n: '\n', t: '\t', r: '\r' })[char]!);
}

describe(`compiled row encoder (${BACKEND})`, () => {
  for (const dataset of datasets.filter((candidate) => candidate.sample)) {
    it(`writes every bundled ${dataset.key} sample row (${dataset.sample!.file}) as the general path does, portal text unchanged`, () => {
      const { rows, text } = sample(dataset);
      // Several rows of a sample may share a key: compare row by row, one row per page.
      const sourceId = dataset.sourceIds[0]!;
      const expected = generalLines(dataset, rows, sourceId);
      const clean = !text.includes('\\');
      const actual = rows.map((row) => encodedLines(dataset, [row], sourceId, clean)[0]);
      expect(actual).toEqual(expected);
      // Checked without clean too: the per-value check gives the same text.
      expect(rows.map((row) => encodedLines(dataset, [row], sourceId, false)[0])).toEqual(expected);

      // Independent of the general path: text and timestamp cells are the portal's strings.
      const columns = columnsOf(dataset);
      rows.forEach((row, index) => {
        const cells = actual[index]!.split('\t');
        for (const column of dataset.columns) {
          const raw = row[column.source ?? column.name];
          if (typeof raw !== 'string' || raw.includes('\u0000')) continue;
          const cell = unescape(cells[columns.indexOf(column.name)]!);
          if (column.type === 'text' || column.type === 'timestamp' || column.type === 'numeric') expect(cell).toBe(raw.trim() === raw || column.type === 'text' ? raw : raw.trim());
          if (column.type === 'integer' || column.type === 'bigint' || column.type === 'double') expect(cell === null ? null : Number(cell)).toBe(Number.isNaN(Number(raw)) || (column.type !== 'double' && !Number.isInteger(Number(raw))) ? null : Number(raw));
          if (column.type === 'boolean') expect(cell).toBe(raw === 'true' ? 't' : raw === 'false' ? 'f' : null);
        }
        expect(unescape(cells[columns.indexOf('_row_id')]!)).toBe(row[':id']);
        expect(unescape(cells[columns.indexOf('_updated_at')]!)).toBe(row[':updated_at']);
      });
    });
  }

  it('keeps every unusual crimes value as the general path does: whitespace, decimals, leading zeros, escapes, NUL, bad dates, JSON numbers, the point', () => {
    const [template] = sample(crimes).rows.filter((row) => row.location && row.latitude);
    const variants: Record<string, unknown>[] = [
      { ward: '39.0', year: '2014.00' },
      { ward: '39.5' },
      { ward: '007', year: '-0', district: '' },
      { ward: ' 12 ', x_coordinate: ' 1178085 ', y_coordinate: '1e3' },
      { ward: '2147483648', year: '999999999', x_coordinate: '-.5e-3' },
      { ward: 12, year: 2014.0, x_coordinate: 1178085.5, latitude: 41.7 },
      { block: 'tab\there', description: 'back\\slash', location_description: 'line\nbreak\rreturn' },
      { block: '001XX N STATE\u0000 ST', description: '\u0000' },
      { date: '2015-02-29T00:00:00', updated_on: '2016-02-29T23:59:59.123456' },
      { date: '2014-03-15T24:00:00.000', updated_on: '2014-03-15T00:00:00.0000000' },
      { date: '2014-03-15T00:00:00.', updated_on: '2014-03-15 00:00:00' },
      { arrest: 'TRUE', domestic: 'false' },
      { arrest: 1, domestic: null },
      { latitude: '41.700', longitude: '-87.62351879931840' },
      { latitude: '.5', longitude: '-0.0' },
      { latitude: undefined, longitude: undefined },
      { latitude: undefined },
      { latitude: 'north', longitude: '-87.6' },
      { latitude: undefined, longitude: undefined, location: { latitude: '41.88', longitude: '-87.63' } },
      { case_number: { nested: 'object' }, iucr: ['0820'] },
      { ':id': 'row-with\ttab' },
      { ':updated_at': undefined },
    ];
    const rows = variants.map((variant, index) => {
      const row: Record<string, unknown> = { ...template, ...variant, id: variant.id ?? String(90_000_000 + index) };
      for (const [name, value] of Object.entries(row)) if (value === undefined) delete row[name];
      return row;
    });
    const sourceId = crimes.sourceIds[0]!;
    const expected = generalLines(crimes, rows, sourceId);
    const general = capture();
    const compiled = capture();
    // The general path's warnings, worded as encodePage words them.
    for (const row of rows) {
      const { values, problems } = mapSodaRow(crimes, row, sourceId);
      for (const problem of problems) general.log.warn({ dataset: 'crimes', source: sourceId, key: String(values.id), row_id: row[':id'] }, `malformed value stored as NULL: ${problem}`);
    }
    const encoded = encodePage(crimes, columnsOf(crimes), sourceId, rows, compiled.log, enricher, { clean: false });
    expect(encoded.copyText.split('\n').slice(0, -1)).toEqual(expected);
    expect(compiled.lines).toEqual(general.lines);
    expect([...encoded.strippedNul].sort()).toEqual(['block', 'description']);

    // A few literals, from what the portal sent.
    const cell = (row: number, column: string) => expected[row]!.split('\t')[columnsOf(crimes).indexOf(column)];
    expect([cell(0, 'ward'), cell(0, 'year'), cell(1, 'ward')]).toEqual(['39', '2014', '\\N']);
    expect([cell(2, 'ward'), cell(2, 'year'), cell(2, 'district')]).toEqual(['7', '0', '']);
    expect([cell(3, 'ward'), cell(3, 'x_coordinate'), cell(3, 'y_coordinate')]).toEqual(['12', '1178085', '1e3']);
    expect([cell(4, 'ward'), cell(4, 'year')]).toEqual(['\\N', '999999999']);
    expect([cell(6, 'block'), cell(6, 'description'), cell(6, 'location_description')]).toEqual(['tab\\there', 'back\\\\slash', 'line\\nbreak\\rreturn']);
    expect([cell(7, 'block'), cell(7, 'description')]).toEqual(['001XX N STATE ST', '']);
    expect([cell(8, 'date'), cell(8, 'updated_on')]).toEqual(['\\N', '2016-02-29T23:59:59.123456']);
    expect([cell(13, 'latitude'), cell(13, 'longitude')]).toEqual(['41.7', '-87.6235187993184']);
    expect([cell(18, 'latitude'), cell(18, 'longitude')]).toEqual(['41.88', '-87.63']);
  });

  it('keeps the later of two versions of one key in a page, and sets rows without a key aside, as before', () => {
    const [first, second] = sample(crimes).rows;
    const rows = [
      { ...first!, id: '91000001' },
      { ...second!, id: '91000001' },
      { ...first!, id: 'not-a-number' },
      { ...second!, id: '91000002' },
    ];
    const { log, lines } = capture();
    const encoded = encodePage(crimes, columnsOf(crimes), 'ijzp-q8t2', rows, log, enricher, { clean: true });
    expect(encoded.copyText.split('\n').slice(0, -1)).toEqual(generalLines(crimes, [rows[1]!, rows[3]!], 'ijzp-q8t2'));
    expect(encoded.keys).toEqual([91000001, 91000002]);
    expect(encoded.refused.map((row) => row.rowId)).toEqual([first![':id']]);
    expect(encoded.collisions).toEqual([{ key: '91000001', rowIds: [first![':id'], second![':id']] }]);
    expect(lines).toHaveLength(2);
  });
});
