import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSodaFixture } from '../../core/testing/fixtures.js';
import { startSampleServer } from '../../sdk/test/live-server.js';
import type { LiveServer } from '../../server/test/helpers.js';
import { exportZipCrimesCsv } from '../zip-crimes-csv.js';
import { quickStart } from '../sdk-quick-start.js';
import { renderZipTrend } from '../zip-trend-svg.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const sample = readSodaFixture('ijzp-q8t2');
let server: LiveServer;
let outDir: string;

beforeAll(async () => {
  [server, outDir] = await Promise.all([startSampleServer(), mkdtemp(join(tmpdir(), 'lakefront-examples-'))]);
});
afterAll(async () => {
  await server?.stop();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

/** Crimes of a ZIP in a year, counted in the database itself: the independent answer. */
async function crimesInZip(zip: string, year: number): Promise<{ id: number; date: string }[]> {
  const rows = await server.db
    .knex('data.crimes')
    .where('geo_zip', zip)
    .where('date', '>=', `${year}-01-01`)
    .where('date', '<', `${year + 1}-01-01`)
    .orderBy('id')
    .select('id', server.db.knex.raw(`to_char(date, 'YYYY-MM-DD"T"HH24:MI:SS') AS date`));
  return rows.map((row: { id: number | string; date: string }) => ({ id: Number(row.id), date: row.date }));
}

describe('examples, each against a live server', () => {
  it('sdk-quick-start: datasets, a page, an iteration and an error', async () => {
    const result = await quickStart(server.url);
    expect(result.datasets).toContainEqual({ key: 'crimes', rows: sample.length });
    expect(result.firstPage).toHaveLength(3);
    const arrests = sample.filter((row) => row.primary_type === 'NARCOTICS' && row.arrest === true).length;
    expect(arrests).toBeGreaterThan(100);
    expect(result.narcoticsArrests).toBe(arrests);
    expect(result.error).toMatch(/^400 from: /);
  });

  it('sdk-quick-start runs standalone with tsx, as its header says', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/sdk-quick-start.ts', server.url], { cwd: root });
    expect(stdout).toContain(`narcotics crimes with an arrest: `);
    expect(stdout).toContain('a bad date: 400 from:');
  });

  it('zip-crimes-csv: one CSV line per crime of the ZIP and year, oldest first', async () => {
    const file = await exportZipCrimesCsv(server.url, outDir, '60614', 2014);
    const [header, ...lines] = (await readFile(file, 'utf8')).split(/\r?\n/).filter(Boolean);
    expect(header).toBe('id,case_number,date,block,primary_type,description,arrest,latitude,longitude');
    const expected = await crimesInZip('60614', 2014);
    expect(expected.length).toBeGreaterThan(50);
    expect(lines.map((line) => Number(line.split(',')[0])).sort((a, b) => a - b)).toEqual(expected.map((row) => row.id));
    const dates = lines.map((line) => line.split(',')[2]!);
    expect(dates).toEqual([...dates].sort());
  });

  it('zip-trend-svg: twelve bars whose counts are the ZIP\'s crimes per month', async () => {
    const { file, months } = await renderZipTrend(server.url, outDir, '60614', 2014);
    const perMonth = new Map<string, number>();
    for (const row of await crimesInZip('60614', 2014)) perMonth.set(row.date.slice(0, 7), (perMonth.get(row.date.slice(0, 7)) ?? 0) + 1);
    const expected = Array.from({ length: 12 }, (_unused, index) => `2014-${String(index + 1).padStart(2, '0')}`).map((month) => ({
      month,
      count: perMonth.get(month) ?? 0,
    }));
    expect(expected.filter((item) => item.count > 0).length).toBeGreaterThanOrEqual(2);
    expect(months).toEqual(expected);
    const svg = await readFile(file, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(12);
    for (const item of expected) expect(svg).toContain(`data-month="${item.month}" data-count="${item.count}"`);
  });

  it('curl-cookbook: every recipe succeeds', async () => {
    const { stdout } = await run('bash', ['examples/curl-cookbook.sh', server.url], { cwd: root });
    expect(stdout.match(/^### /gm)!.length).toBeGreaterThanOrEqual(14);
    expect(stdout).toContain('"name":"limit"');
    expect(stdout).toMatch(/^304$/m);
    expect(stdout).toContain('id,date,primary_type,block');
    expect(stdout).toMatch(/^200 application\/geo\+json/m);
  });
});
