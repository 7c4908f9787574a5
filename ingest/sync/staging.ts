import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import pgCopyStreams from 'pg-copy-streams';
import type { Backend } from '../../core/db/connect.js';
import type { DbValue } from '../soda-values.js';
import { copyTextChunks } from './copy-text.js';
import { ident } from './sql.js';

type Rows = readonly Record<string, DbValue>[];

/**
 * Puts a page of rows into the transaction's staging table: COPY FROM STDIN on PostgreSQL (the
 * fast path), multi-row INSERT on PGlite, which cannot stream COPY through knex.
 */
export async function stageRows(backend: Backend, trx: Knex.Transaction, stage: string, columns: readonly string[], rows: Rows): Promise<void> {
  if (rows.length === 0) return;
  if (backend === 'postgres') await copyIntoStage(trx, stage, columns, rows);
  else await insertIntoStage(trx, stage, columns, rows);
}

async function copyIntoStage(trx: Knex.Transaction, stage: string, columns: readonly string[], rows: Rows): Promise<void> {
  await copyRows(trx, ident(stage), columns, rows);
}

/** COPY FROM STDIN into `table` (already quoted) on the transaction's connection (PostgreSQL only). */
export async function copyRows(trx: Knex.Transaction, table: string, columns: readonly string[], rows: Rows): Promise<void> {
  // Inside a transaction knex hands out the transaction's own connection.
  const connection = (await trx.client.acquireConnection()) as { query<T>(stream: T): T };
  const copy = connection.query(pgCopyStreams.from(`COPY ${table} (${columns.map(ident).join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(copyTextChunks(rows, columns)), copy);
}

/** PostgreSQL takes at most 65,535 parameters per statement. */
async function insertIntoStage(trx: Knex.Transaction, stage: string, columns: readonly string[], rows: Rows): Promise<void> {
  const perStatement = Math.max(1, Math.floor(30_000 / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement).map((row) => {
      const complete: Record<string, DbValue> = {};
      for (const column of columns) complete[column] = row[column] ?? null;
      return complete;
    });
    await trx(stage).insert(chunk);
  }
}
