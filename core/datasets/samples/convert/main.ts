import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readDelimited } from './delimited.js';
import { sodaJson, systemFields } from './soda.js';
import { SAMPLE_SOURCES, toSodaRow, type SampleSource } from './sources.js';

/**
 * Rebuilds the bundled samples made from raw portal exports: `raw/<file>` → `<portal id>.json`
 * (SODA 2.1 rows) and `core/testing/fixtures/<portal id>.meta.json` (the column metadata the test
 * portal serves them with). Deterministic: a rerun writes the same bytes.
 *
 *   npm run samples:convert            # every sample
 *   npm run samples:convert 5neh-572f  # one
 */
const SAMPLES = new URL('../', import.meta.url);
const FIXTURES = new URL('../../../testing/fixtures/', import.meta.url);

function convert(source: SampleSource): { rows: number; bytes: number } {
  const records = readDelimited(readFileSync(new URL(`raw/${source.rawFile}`, SAMPLES), 'utf8'), source.separator);
  const rows = records.map((record, index) => {
    const data = toSodaRow(source, record, index);
    const key = source.rowIdentifier === ':id' ? String(index) : String(data[source.rowIdentifier]);
    const { created, updated } = source.times(data, index);
    return { ...systemFields(source.portalId, key, created, updated), ...data };
  });
  const keys = new Set(rows.map((row) => row[':id']));
  if (keys.size !== rows.length) throw new Error(`${source.portalId}: two rows got the same :id`);
  const body = sodaJson(rows);
  writeFileSync(new URL(`${source.portalId}.json`, SAMPLES), body);
  const newest = Math.max(...rows.map((row) => Date.parse(row[':updated_at'])));
  const meta = {
    id: source.portalId,
    name: source.name,
    columns: [...source.fields, ...(source.portalOnly ?? [])].map(({ field, type }) => ({ fieldName: field, dataTypeName: type })),
    rowsUpdatedAt: Math.floor(newest / 1000),
    ...(source.rowIdentifier === ':id' ? {} : { rowIdentifier: source.rowIdentifier }),
  };
  writeFileSync(new URL(`${source.portalId}.meta.json`, FIXTURES), `${JSON.stringify(meta, null, 2)}\n`);
  return { rows: rows.length, bytes: Buffer.byteLength(body) };
}

const wanted = process.argv.slice(2);
for (const source of SAMPLE_SOURCES.filter((item) => wanted.length === 0 || wanted.includes(item.portalId))) {
  const { rows, bytes } = convert(source);
  process.stdout.write(`${source.portalId}: ${rows} rows, ${bytes} bytes → ${fileURLToPath(new URL(`${source.portalId}.json`, SAMPLES))}\n`);
}
