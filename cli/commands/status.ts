import { datasets, sourceIdsOf } from '../../core/datasets/index.js';
import { migrateLatest } from '../../core/db/migrate.js';
import { readSyncStates, type SyncStateRow } from '../../ingest/sync/state.js';
import { openDatabase, type CliContext } from '../context.js';

const HEADERS = ['dataset', 'source', 'rows', 'last success (UTC)', 'watermark (:updated_at / :id)', 'duration', 'last error'];

/** `lakefront status`: per dataset and portal id, what the last syncs did. */
export async function statusCommand(context: CliContext, options: { json?: boolean }): Promise<void> {
  const db = await openDatabase(context);
  let states: SyncStateRow[];
  try {
    await migrateLatest(db.knex);
    states = await readSyncStates(db.knex);
  } finally {
    await db.close();
  }
  const byKey = new Map(states.map((state) => [`${state.dataset}\u0000${state.source_id}`, state]));
  const rows = datasets.flatMap((dataset) =>
    sourceIdsOf(dataset).map((sourceId) => ({ dataset: dataset.key, sourceId, state: byKey.get(`${dataset.key}\u0000${sourceId}`) })),
  );
  if (options.json) {
    process.stdout.write(`${JSON.stringify(rows.map(({ dataset, sourceId, state }) => ({ ...state, dataset, source_id: sourceId })), null, 2)}\n`);
    return;
  }
  process.stdout.write(
    formatTable(
      HEADERS,
      rows.map(({ dataset, sourceId, state }) => [
        dataset,
        sourceId,
        state ? state.rows_total.toLocaleString('en-US') : '0',
        state?.last_success_at ? instant(state.last_success_at) : 'never',
        state?.watermark_updated_at ? `${state.watermark_updated_at} / ${state.watermark_row_id}` : '-',
        state?.last_duration_ms != null ? `${(state.last_duration_ms / 1000).toFixed(1)} s` : '-',
        state?.last_error ?? '',
      ]),
    ),
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
