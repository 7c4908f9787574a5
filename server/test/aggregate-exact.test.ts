import fc from 'fast-check';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aggregateModel, MEASURES, type AggregateModel, type Bucket, type Measure } from '../../core/aggregate/model.js';
import { datasets, type DatasetDefinition } from '../../core/datasets/index.js';
import type { Database } from '../../core/db/connect.js';
import { silentLogger } from '../../core/log.js';
import { refreshRollups } from '../../core/reports/rollups.js';
import { createTestDatabase } from '../../core/testing/test-database.js';
import { recomputeEnrichment } from '../../ingest/enrich/recompute.js';
import { loadSample } from '../../ingest/load-sample.js';
import { syntheticRows } from '../../testing/synthetic-rows.js';
import { runAggregate } from '../src/aggregate/query.js';
import { outputFieldsOf, type AggregateRequest } from '../src/aggregate/request.js';
import { listSurface } from '../../core/datasets/list-surface.js';
import { insertSodaRows } from './seed-rows.js';

/**
 * Exactness of the aggregate engine: random group / bucket / measure / filter combinations on
 * every dataset (its bundled real sample, else synthetic rows shaped like the portal's), each
 * answer compared with a plain GROUP BY written here, independently of the engine (its buckets
 * built another way: make_date, isodow arithmetic), both from the table and from the rollups.
 */
let db: Database;
/** Per dataset: distinct values of each groupable column, and the days and months its time column covers. */
const domains = new Map<string, { values: Map<string, unknown[]>; days: string[] }>();
const sources = { rollup: 0, table: 0 };
/** Answers from the month rollups of a pair of columns (two columns grouped or filtered). */
let fromPairs = 0;
/** Answers by hour of day from the rollups (the hour is a dimension of its own). */
let byHour = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  for (const dataset of datasets) {
    const loaded = await loadSample(db.knex, dataset, silentLogger);
    if (loaded.skipped) await insertSodaRows(db, dataset, syntheticRows(dataset, { count: 400, seed: 11 }));
  }
  await recomputeEnrichment(db);
  await refreshRollups(db);
  for (const dataset of datasets) {
    const model = aggregateModel(dataset);
    const values = new Map<string, unknown[]>();
    for (const column of model.groupable) {
      const rows = (await db.knex(`data.${dataset.table}`).distinct(column.name).limit(30)) as Record<string, unknown>[];
      values.set(column.name, rows.map((row) => row[column.name]).filter((value) => value !== null));
    }
    const days = model.time
      ? ((await db.knex(`data.${dataset.table}`).distinct(db.knex.raw(`to_char(??, 'YYYY-MM-DD') AS day`, [model.time.name])).whereNotNull(model.time.name)) as { day: string }[])
          .map((row) => row.day)
          .sort()
      : [];
    domains.set(dataset.key, { values, days });
  }
}, 300_000);

afterAll(async () => {
  await db?.close();
});

interface Drawn {
  groupBy: string[];
  bucket?: Bucket;
  measures: { measure: Measure; column: string }[];
  filterColumn?: { column: string; pick: number[] };
  range?: { from?: number; to?: number; align: 'midnight' | 'month' | 'time' };
  bbox?: boolean;
  orderIndex: number;
  descending: boolean;
  /** Trim the draw to what the rollups can answer, so both paths are exercised often. */
  rollupShaped: boolean;
  /** When trimmed: to two columns (a pair's month rollups) rather than one. */
  pairShaped: boolean;
}

function drawRequest(model: AggregateModel): fc.Arbitrary<Drawn> {
  const groupable = model.groupable.map((column) => column.name);
  const filters = listSurface(model.dataset).filters.map((filter) => filter.column);
  const measurePairs = MEASURES.flatMap((measure) => model.numeric.map((column) => ({ measure, column })));
  return fc.record(
    {
      groupBy: fc.shuffledSubarray(groupable, { minLength: 0, maxLength: Math.min(3, groupable.length) }),
      bucket: model.buckets.length ? fc.option(fc.constantFrom(...model.buckets), { nil: undefined }) : fc.constant(undefined),
      measures: measurePairs.length ? fc.subarray(measurePairs, { maxLength: 2 }) : fc.constant([]),
      filterColumn: filters.length
        ? fc.option(fc.record({ column: fc.constantFrom(...filters), pick: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }) }), { nil: undefined })
        : fc.constant(undefined),
      range: model.time
        ? fc.option(
            fc.record({
              from: fc.option(fc.nat(), { nil: undefined }),
              to: fc.option(fc.nat(), { nil: undefined }),
              align: fc.constantFrom('midnight' as const, 'month' as const, 'time' as const),
            }),
            { nil: undefined },
          )
        : fc.constant(undefined),
      bbox: model.dataset.point ? fc.boolean() : fc.constant(false),
      orderIndex: fc.nat(),
      descending: fc.boolean(),
      rollupShaped: fc.boolean(),
      pairShaped: fc.boolean(),
    },
    { requiredKeys: ['groupBy', 'measures', 'orderIndex', 'descending', 'bbox', 'rollupShaped', 'pairShaped'] },
  );
}

/** Turns a draw into a request on the dataset's real values (the filter values some group really has). */
function toRequest(model: AggregateModel, original: Drawn): AggregateRequest {
  const drawn = original.rollupShaped ? rollupShaped(original) : original;
  const domain = domains.get(model.dataset.key)!;
  const equals: { column: string; values: unknown[] }[] = [];
  if (drawn.filterColumn) {
    const candidates = filterValues(model, drawn.filterColumn.column);
    if (candidates.length) equals.push({ column: drawn.filterColumn.column, values: [...new Set(drawn.filterColumn.pick.map((index) => candidates[index % candidates.length]))] });
  }
  const range: { from?: string; to?: string } = {};
  if (drawn.range && domain.days.length) {
    const bound = (index: number) => {
      const day = domain.days[index % domain.days.length]!;
      if (drawn.range!.align === 'month') return `${day.slice(0, 8)}01T00:00:00`;
      return drawn.range!.align === 'time' ? `${day}T13:30:00` : `${day}T00:00:00`;
    };
    if (drawn.range.from !== undefined) range.from = bound(drawn.range.from);
    if (drawn.range.to !== undefined) range.to = bound(drawn.range.to);
    if (range.from && range.to && range.from >= range.to) delete range.to;
  }
  const measures = drawn.measures.map(({ measure, column }) => ({ measure, column, field: `${measure}_${column}` }));
  const base = { groupBy: drawn.groupBy, measures, ...(drawn.bucket ? { bucket: drawn.bucket } : {}) };
  const fields = outputFieldsOf(base);
  return {
    ...base,
    order: { field: fields[drawn.orderIndex % fields.length]!, descending: drawn.descending },
    limit: 10_000,
    filters: { range, equals, ...(drawn.bbox ? { bbox: [-87.75, 41.8, -87.6, 41.95] as const } : {}) },
  };
}

function rollupShaped(drawn: Drawn): Drawn {
  const width = drawn.pairShaped ? 2 : 1;
  const groupBy = drawn.groupBy.slice(0, width);
  // The filter's column is one of the groups, or the second column of a pair.
  const roomy = groupBy.length < width || (drawn.filterColumn !== undefined && groupBy.includes(drawn.filterColumn.column));
  const filterColumn = drawn.filterColumn && groupBy.length && !roomy ? { ...drawn.filterColumn, column: groupBy[0]! } : drawn.filterColumn;
  return {
    ...drawn,
    groupBy: filterColumn && !groupBy.length ? [] : groupBy,
    measures: [],
    bbox: false,
    ...(filterColumn ? { filterColumn } : {}),
    ...(drawn.range ? { range: { ...drawn.range, align: drawn.range.align === 'time' ? 'month' : drawn.range.align } } : {}),
  };
}

function filterValues(model: AggregateModel, column: string): unknown[] {
  const known = domains.get(model.dataset.key)!.values.get(column);
  if (known) return known;
  return [];
}

/** The independent answer: a plain GROUP BY on the table, buckets computed without date_trunc. */
async function plainGroupBy(knex: Knex, dataset: DatasetDefinition, request: AggregateRequest): Promise<Record<string, unknown>[]> {
  const time = dataset.timeColumn ?? '';
  const bucketSql: Record<Bucket, string> = {
    year: `make_date(extract(year FROM t.??)::int, 1, 1)`,
    quarter: `make_date(extract(year FROM t.??)::int, ((extract(month FROM t.??)::int - 1) / 3) * 3 + 1, 1)`,
    month: `make_date(extract(year FROM t.??)::int, extract(month FROM t.??)::int, 1)`,
    week: `(t.??::date - (extract(isodow FROM t.??)::int - 1))`,
    day: `t.??::date`,
    dow: `extract(isodow FROM t.??)::int`,
    hour: `extract(hour FROM t.??)::int`,
  };
  const columns: string[] = [];
  const bindings: Knex.Value[] = [];
  for (const column of request.groupBy) {
    columns.push(`t.?? AS ??`);
    bindings.push(column, column);
  }
  if (request.bucket) {
    const sql = bucketSql[request.bucket];
    const alias = request.bucket === 'dow' || request.bucket === 'hour' ? request.bucket : 'period';
    columns.push(`${sql} AS ??`);
    bindings.push(...Array.from({ length: sql.split('??').length - 1 }, () => time), alias);
  }
  const groups = columns.length;
  columns.push('count(*)::int AS count');
  for (const { measure, column, field } of request.measures) {
    columns.push(`${measure}(t.??)::float8 AS ??`);
    bindings.push(column, field);
  }
  const query = knex({ t: `data.${dataset.table}` }).select(knex.raw(columns.join(', '), bindings));
  const { from, to } = request.filters.range;
  if (from) query.whereRaw('t.?? >= ?::timestamp', [time, from]);
  if (to) query.whereRaw('t.?? < ?::timestamp', [time, to]);
  for (const { column, values } of request.filters.equals) query.whereIn(`t.${column}`, values as never[]);
  if (request.filters.bbox) {
    const [minLon, minLat, maxLon, maxLat] = request.filters.bbox;
    query.whereBetween(`t.${dataset.point!.longitude}`, [minLon, maxLon]).whereBetween(`t.${dataset.point!.latitude}`, [minLat, maxLat]);
  }
  if (groups) query.groupByRaw(Array.from({ length: groups }, (_, index) => index + 1).join(', '));
  return (await query) as Record<string, unknown>[];
}

function canonical(rows: readonly Record<string, unknown>[], groupFields: readonly string[]): Map<string, Record<string, unknown>> {
  return new Map(rows.map((row) => [JSON.stringify(groupFields.map((field) => row[field] ?? null)), row]));
}

function expectSameAnswer(actual: readonly Record<string, unknown>[], expected: readonly Record<string, unknown>[], request: AggregateRequest): void {
  const fields = outputFieldsOf(request);
  const groupFields = fields.slice(0, fields.indexOf('count'));
  const got = canonical(actual, groupFields);
  const want = canonical(expected, groupFields);
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [key, row] of want) {
    const answer = got.get(key)!;
    expect(Object.keys(answer)).toEqual(fields);
    expect(answer.count).toBe(row.count);
    for (const { field } of request.measures) {
      const [a, b] = [answer[field], row[field]] as [number | null, number | null];
      if (b === null) expect(a).toBeNull();
      else expect(a).toBeCloseTo(b, Math.max(0, 9 - Math.ceil(Math.log10(Math.abs(b) + 1))));
    }
  }
}

/** Each row is in the requested order relative to the next (NULLs last). */
function expectOrdered(rows: readonly Record<string, unknown>[], request: AggregateRequest): void {
  const { field, descending } = request.order;
  for (let index = 1; index < rows.length; index += 1) {
    const [a, b] = [rows[index - 1]![field], rows[index]![field]];
    if (b === null || b === undefined) continue;
    expect(a, `row ${index - 1} before ${index} by ${field}`).not.toBeNull();
    if (typeof a === 'number' && typeof b === 'number') expect(descending ? a >= b : a <= b).toBe(true);
    else if (typeof a === 'string' && typeof b === 'string' && field === 'period') expect(descending ? a >= b : a <= b).toBe(true);
  }
}

describe('GET /v1/{key}/aggregate engine answers exactly what a plain GROUP BY answers', () => {
  for (const dataset of datasets) {
    it(`${dataset.key}: random groups, buckets, measures and filters`, async () => {
      const model = aggregateModel(dataset);
      const surface = listSurface(dataset);
      await fc.assert(
        fc.asyncProperty(drawRequest(model), async (drawn) => {
          const request = toRequest(model, drawn);
          const expected = await plainGroupBy(db.knex, dataset, request);
          const fromTable = await runAggregate(db.knex, model, surface, request, { rollups: 'never' });
          expectSameAnswer(fromTable.data, expected, request);
          expectOrdered(fromTable.data, request);
          expect(fromTable.truncated).toBe(false);
          const auto = await runAggregate(db.knex, model, surface, request);
          sources[auto.source] += 1;
          if (auto.source === 'rollup' && new Set([...request.groupBy, ...request.filters.equals.map((item) => item.column)]).size === 2) fromPairs += 1;
          if (auto.source === 'rollup' && request.bucket === 'hour') byHour += 1;
          expectSameAnswer(auto.data, expected, request);
          expectOrdered(auto.data, request);
          // The totals of count equal the number of rows the same filters select.
          const [{ total }] = (await plainCount(db.knex, dataset, request)) as [{ total: number }];
          expect(auto.data.reduce((sum, row) => sum + (row.count as number), 0)).toBe(total);
        }),
        { numRuns: 40, seed: 20261206 + dataset.key.length },
      );
    }, 120_000);
  }

  it('served some answers from the rollups and some from the tables', () => {
    expect(sources.rollup).toBeGreaterThan(20);
    expect(sources.table).toBeGreaterThan(20);
    expect(fromPairs).toBeGreaterThan(10);
    expect(byHour).toBeGreaterThan(3);
  });
});

function plainCount(knex: Knex, dataset: DatasetDefinition, request: AggregateRequest) {
  return plainGroupBy(knex, dataset, { ...request, groupBy: [], measures: [], bucket: undefined } as unknown as AggregateRequest).then((rows) => [
    { total: rows.reduce((sum, row) => sum + (row.count as number), 0) },
  ]);
}

describe('the rollups follow writes', () => {
  it('after updates, deletes and inserts: inserts recompute their days, updates and deletes add their changes, and answers stay exact', async () => {
    const crimes = datasets.find((dataset) => dataset.key === 'crimes')!;
    const model = aggregateModel(crimes);
    const surface = listSurface(crimes);
    const request: AggregateRequest = {
      groupBy: ['primary_type'],
      bucket: 'month',
      measures: [],
      order: { field: 'count', descending: true },
      limit: 10_000,
      filters: { range: {}, equals: [] },
    };
    const ids = (await db.knex('data.crimes').orderBy('id').limit(60).pluck('id')) as number[];
    await db.knex('data.crimes').whereIn('id', ids.slice(0, 30)).update({ primary_type: 'AGGREGATE TEST' });
    await db.knex('data.crimes').whereIn('id', ids.slice(30, 40)).delete();
    await db.knex.raw(
      `INSERT INTO data.crimes (id, date, primary_type, _source_id, _row_id, _updated_at)
       SELECT id + 900000000, date + interval '400 days', 'AGGREGATE TEST', _source_id, _row_id || '-copy', now() FROM data.crimes WHERE id = ANY(?)`,
      [ids.slice(40, 60)],
    );
    const insertedDays = (await db.knex.raw(`SELECT count(DISTINCT date::date)::int AS n FROM data.crimes WHERE id > 900000000`)).rows[0].n as number;
    const changes = (await db.knex('data.aggregate_changes').where({ dataset: 'crimes' }).count({ n: '*' })) as [{ n: number | string }];
    expect(Number(changes[0].n)).toBeGreaterThan(0);
    // Behind the table: answered from the table, still exact.
    const behind = await runAggregate(db.knex, model, surface, request);
    expect(behind.source).toBe('table');
    expectSameAnswer(behind.data, await plainGroupBy(db.knex, crimes, request), request);

    const timings = await refreshRollups(db, ['crimes']);
    const refreshed = timings.find((timing) => timing.view.startsWith('data.aggregate_rollups (crimes'));
    expect(refreshed?.view).toMatch(new RegExp(`^data\\.aggregate_rollups \\(crimes, ${insertedDays} days recomputed, \\d+ changes added\\)$`));
    const current = await runAggregate(db.knex, model, surface, request);
    expect(current.source).toBe('rollup');
    const expected = await plainGroupBy(db.knex, crimes, request);
    expectSameAnswer(current.data, expected, request);
    expect(current.data.filter((row) => row.primary_type === 'AGGREGATE TEST').reduce((sum, row) => sum + (row.count as number), 0)).toBe(50);
    await expectRollupsMatchTable(crimes);
  });

  it('an update that moves no row between groups records nothing; one that empties a group removes it', async () => {
    const crimes = datasets.find((dataset) => dataset.key === 'crimes')!;
    await db.knex('data.crimes').update({ block: 'UNGROUPED CHANGE' }).where('id', '<', 900000000);
    expect(await db.knex('data.aggregate_changes').where({ dataset: 'crimes' }).count({ n: '*' })).toEqual([{ n: 0 }]);
    // Every AGGREGATE TEST row that is not an insert of the test above goes back, then the inserted ones go.
    await db.knex('data.crimes').update({ primary_type: 'THEFT' }).where({ primary_type: 'AGGREGATE TEST' }).andWhere('id', '<', 900000000);
    await db.knex('data.crimes').delete().where('id', '>', 900000000);
    const timings = await refreshRollups(db, ['crimes']);
    expect(timings.find((timing) => timing.view.startsWith('data.aggregate_rollups (crimes'))?.view).toMatch(/\(crimes, 0 days recomputed, \d+ changes added\)$/);
    expect(await db.knex('data.aggregate_rollups').where({ dataset: 'crimes', value: 'AGGREGATE TEST' }).count({ n: '*' })).toEqual([{ n: 0 }]);
    await expectRollupsMatchTable(crimes);
  });
});

describe('ranges at the end of the calendar', () => {
  it('a range within December 9999 counts each row once, for one column and for a pair', async () => {
    const crimes = datasets.find((dataset) => dataset.key === 'crimes')!;
    const model = aggregateModel(crimes);
    const surface = listSurface(crimes);
    const ids = (await db.knex('data.crimes').orderBy('id').limit(4).pluck('id')) as number[];
    await db.knex.raw(
      `INSERT INTO data.crimes (id, date, primary_type, district, _source_id, _row_id, _updated_at)
       SELECT id + 800000000, make_timestamp(9999, 12, (ARRAY[10, 16, 17, 25])[row_number() OVER (ORDER BY id)]::int, 12, 0, 0), primary_type, district, _source_id, _row_id || '-9999', now()
       FROM data.crimes WHERE id = ANY(?)`,
      [ids],
    );
    await refreshRollups(db, ['crimes']);
    for (const groupBy of [['primary_type'], ['primary_type', 'district']]) {
      const request: AggregateRequest = {
        groupBy,
        measures: [],
        order: { field: 'count', descending: true },
        limit: 10_000,
        filters: { range: { from: '9999-12-15T00:00:00', to: '9999-12-20T00:00:00' }, equals: [] },
      };
      const answer = await runAggregate(db.knex, model, surface, request);
      expect(answer.source).toBe('rollup');
      // Two of the four rows (the 16th and the 17th) fall in the range.
      expect(answer.data.reduce((sum, row) => sum + (row.count as number), 0)).toBe(2);
      expectSameAnswer(answer.data, await plainGroupBy(db.knex, crimes, request), request);
    }
    await db.knex('data.crimes').where('id', '>', 800000000).andWhere('id', '<', 900000000).delete();
    await refreshRollups(db, ['crimes']);
  });
});

/** Every rollup row of the dataset equals a plain count over its table, and no other row exists (written here, apart from the refresh). */
async function expectRollupsMatchTable(dataset: DatasetDefinition): Promise<void> {
  const model = aggregateModel(dataset);
  const time = model.time!.name;
  const table = `data.${dataset.table}`;
  const month = `make_date(extract(year FROM "${time}")::int, extract(month FROM "${time}")::int, 1)`;
  // The groupable columns, then the hour of day where the time column has one, named "@hour".
  const hasHour = model.buckets.includes('hour');
  const names = [...model.groupable.map((column) => column.name), ...(hasHour ? ['@hour'] : [])];
  const valueOf = (dim: string) => (dim === '@hour' ? `date_part('hour', "${time}")::int::text` : `"${dim}"::text`);
  const perDim = ['', ...names].map((dim) => {
    const value = dim ? valueOf(dim) : 'NULL::text';
    return `SELECT 'day' AS grain, '${dim}' AS dim, "${time}"::date AS period, ${value} AS value, NULL::text AS value2, count(*)::int AS count FROM ${table} GROUP BY 3, 4
            UNION ALL SELECT 'month', '${dim}', ${month}, ${value}, NULL::text, count(*)::int FROM ${table} GROUP BY 3, 4`;
  });
  // Every pair of groupable columns, month rows only, named 'a,b' in the model's order.
  const perPair = names.flatMap((first, index) =>
    names.slice(index + 1).map(
      (second) => `SELECT 'month' AS grain, '${first},${second}' AS dim, ${month} AS period, ${valueOf(first)} AS value, ${valueOf(second)} AS value2, count(*)::int AS count FROM ${table} GROUP BY 3, 4, 5`,
    ),
  );
  const key = (row: { grain: string; dim: string; period: unknown; value: unknown; value2: unknown; count: number }) =>
    `${row.grain}|${row.dim}|${String(row.period)}|${String(row.value)}|${String(row.value2)}|${row.count}`;
  const expected = ((await db.knex.raw([...perDim, ...perPair].join(' UNION ALL '))).rows as Parameters<typeof key>[0][]).map(key).sort();
  const actual = ((await db.knex.raw(`SELECT grain, dim, period, value, value2, count::int AS count FROM data.aggregate_rollups WHERE dataset = ?`, [dataset.key])).rows as Parameters<typeof key>[0][])
    .map(key)
    .sort();
  expect(actual.length).toBe(expected.length);
  expect(actual).toEqual(expected);
}
