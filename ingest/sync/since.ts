import type { DatasetDefinition } from '../../core/datasets/index.js';
import { soqlString } from '../socrata/soql.js';

/** `--since 2024-01-01` (or `2024-01-01T06:00[:00]`) as a floating timestamp, Chicago local time. */
export function parseSince(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  const day = match ? new Date(`${match[1]}T00:00:00Z`) : undefined;
  if (!match || !day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== match[1]) {
    throw new Error(`invalid --since "${text}": expected a date like 2024-01-01 (Chicago local time)`);
  }
  return `${match[1]}T${match[2] ?? '00'}:${match[3] ?? '00'}:${match[4] ?? '00'}.000`;
}

/** The SoQL condition bounding a backfill on the dataset's time column. */
export function sinceCondition(dataset: DatasetDefinition, since: string): string {
  const column = dataset.columns.find((candidate) => candidate.name === dataset.timeColumn);
  if (!column) throw new Error(`dataset ${dataset.key} has no time column, so --since does not apply to it`);
  return `${column.source ?? column.name} >= ${soqlString(since)}`;
}
