import type { Knex } from 'knex';
import { datasets, sourceIdsOf } from '../../core/datasets/index.js';
import { migrateLatest } from '../../core/db/migrate.js';
import { countRejects } from '../../ingest/sync/rejects.js';
import { readSyncStates, type SyncStateRow } from '../../ingest/sync/state.js';
import { openDatabase, type CliContext } from '../context.js';

const HEADERS = ['dataset', 'source', 'rows', 'last success (UTC)', 'watermark (:updated_at / :id)', 'duration', 'rejects', 'key collisions', 'last error', 'schema drift'];

/** One line of `lakefront status`: a dataset's portal id, its sync state and its rejected rows. */
export interface StatusRow {
  readonly dataset: string;
  readonly sourceId: string;
  readonly state: SyncStateRow | undefined;
  readonly rejects: number;
}

/** `lakefront status`: per dataset and portal id, what the last syncs did. */
export async function statusCommand(context: CliContext, options: { json?: boolean }): Promise<void> {
  const db = await openDatabase(context);
  let rows: StatusRow[];
  try {
    await migrateLatest(db.knex);
    rows = await readStatus(db.knex);
  } finally {
    await db.close();
  }
  process.stdout.write(renderStatus(rows, options));
}

export async function readStatus(knex: Knex): Promise<StatusRow[]> {
  const states = await readSyncStates(knex);
  const rejects = await countRejects(knex);
  const byKey = new Map(states.map((state) => [`${state.dataset}\u0000${state.source_id}`, state]));
  return datasets.flatMap((dataset) =>
    sourceIdsOf(dataset).map((sourceId) => ({
      dataset: dataset.key,
      sourceId,
      state: byKey.get(`${dataset.key}\u0000${sourceId}`),
      rejects: rejects.get(`${dataset.key}\u0000${sourceId}`) ?? 0,
    })),
  );
}

export function renderStatus(rows: readonly StatusRow[], options: { json?: boolean }): string {
  if (options.json) {
    return `${JSON.stringify(rows.map(({ dataset, sourceId, state, rejects }) => ({ ...state, dataset, source_id: sourceId, rejects })), null, 2)}\n`;
  }
  return formatTable(
    HEADERS,
    rows.map(({ dataset, sourceId, state, rejects }) => [
      dataset,
      sourceId,
      state ? state.rows_total.toLocaleString('en-US') : '0',
      state?.last_success_at ? instant(state.last_success_at) : 'never',
      state?.watermark_updated_at ? `${state.watermark_updated_at} / ${state.watermark_row_id}` : '-',
      state?.last_duration_ms != null ? `${(state.last_duration_ms / 1000).toFixed(1)} s` : '-',
      String(rejects),
      String(state?.key_collisions ?? 0),
      state?.last_error ?? '',
      state?.schema_drift ?? '',
    ]),
  );
}

function instant(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function formatTable(headers: readonly string[], rows: readonly string[][]): string {
  const widths = headers.map((header, index) => Math.max(header.length, ...rows.map((row) => (row[index] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, index) => cell.padEnd(widths[index]!)).join('  ').trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n') + '\n';
}
