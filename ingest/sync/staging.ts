import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import pgCopyStreams from 'pg-copy-streams';
import type { Backend } from '../../core/db/connect.js';
import { ident } from '../../core/db/sql-ident.js';

/** COPY data is sent in slices of this many characters (one CopyData message each). */
const SLICE = 1 << 20;

/**
 * COPY FROM STDIN of `copyText` (PostgreSQL's text format) into `table` (already quoted), on the
 * transaction's own connection: streamed through pg-copy-streams on PostgreSQL, handed to PGlite
 * as a blob (its way of feeding COPY FROM).
 */
export async function copyRows(backend: Backend, trx: Knex.Transaction, table: string, columns: readonly string[], copyText: string): Promise<void> {
  if (!copyText) return;
  const list = columns.map(ident).join(', ');
  // Inside a transaction knex hands out the transaction's own connection.
  const connection = await trx.client.acquireConnection();
  if (backend === 'pglite') {
    const pglite = connection as { query(sql: string, params: unknown[], options: { blob: Blob }): Promise<unknown> };
    await pglite.query(`COPY ${table} (${list}) FROM '/dev/blob'`, [], { blob: new Blob([copyText]) });
    return;
  }
  const client = connection as { query<T>(stream: T): T };
  const copy = client.query(pgCopyStreams.from(`COPY ${table} (${list}) FROM STDIN`));
  await pipeline(Readable.from(slices(copyText), { objectMode: false }), copy);
}

function* slices(text: string): Generator<string> {
  for (let start = 0; start < text.length; start += SLICE) yield text.slice(start, start + SLICE);
}
