import type { Knex } from 'knex';
import { GEO_COLUMNS, SYSTEM_COLUMNS, type DatasetDefinition } from '../../core/datasets/index.js';
import type { Database } from '../../core/db/connect.js';
import { ident } from '../../core/db/sql-ident.js';
import type { Logger } from '../../core/log.js';
import type { SodaClient } from '../socrata/client.js';
import { SocrataError } from '../socrata/errors.js';
import { afterWatermark, allOf, STABLE_ORDER, type Watermark } from '../socrata/soql.js';
import { columnNames, type DbValue, type SodaRow } from '../soda-values.js';
import { encodePage, type EncodedPage, type KeyCollision, type RefusedRow } from './encode-page.js';
import { clearRejects, readRejects, saveRejects } from './rejects.js';
import { compareSchema, describeDrift } from './schema-drift.js';
import { sinceCondition } from './since.js';
import { copyRows } from './staging.js';
import { readWatermark, saveWatermark } from './state.js';
import type { DatasetSyncSummary, SourceSyncSummary } from './summary.js';
import { keyArray, tableOf } from './sql.js';
import { clearSeen, sweepUnseen } from './sweep.js';
import { PageDecoder } from './page-decoder.js';
import type { DecodedPage } from './decode-page.js';
import type { SyncOptions } from './sync-dataset.js';

/**
 * Rows per request. Each of the two threads holds a few pages at once (the main thread as bodies
 * and COPY text, the decoding thread as row objects, which its young generation must hold): a 1M-row
 * backfill peaked at 270 MB RSS with pages of 2,500 rows and a 16 MB young generation in the
 * decoding thread, at 297-323 MB with 5,000 and 32 MB (bench:ingest, README).
 */
export const DEFAULT_PAGE_SIZE = 2_500;

/** Key collisions logged one by one per source and sync; beyond that only counted. */
const COLLISIONS_LOGGED = 100;

/**
 * One portal id's sync, top to bottom:
 *
 * 1. compare the portal's column metadata with the definition (drift is logged and kept for `status`);
 * 2. retry the rows earlier syncs set aside in the rejects table;
 * 3. read pages in `:updated_at, :id` order from the watermark (keyset), map and encode each
 *    (in a worker thread once a full page says more follow: page-decoder.ts);
 * 4. write each page in one transaction with its watermark (the next page is fetched and staged
 *    meanwhile); a row the database refuses is found by bisection and set aside, the rest stored;
 * 5. after a full pass, delete the rows the portal no longer has; count the source's rows.
 */
export async function syncSource(db: Database, client: SodaClient, plan: WritePlan, source: SourceSyncSummary, summary: DatasetSyncSummary, options: SyncOptions): Promise<void> {
  const { dataset } = plan;
  const { sourceId } = source;
  const { log } = options;
  const full = Boolean(options.full);
  const context = { dataset: dataset.key, source: sourceId };

  // 1. Schema drift: said before any row is read, so NULLs from a renamed column are never silent.
  source.schemaDrift = await readSchemaDrift(client, dataset, sourceId, log);

  // 2. Rejects from earlier syncs go first: a newer version of the same row read below still wins.
  const warnings = new SyncWarnings(dataset, sourceId, log, source);
  const pendingRejects = new Set<string>();
  const stored = await readRejects(db.knex, dataset.key, sourceId);
  if (stored.length) {
    const rows = stored.map((reject) => JSON.parse(reject.raw) as SodaRow);
    const encoded = encodePage(dataset, plan.columns, sourceId, rows, log, options.hooks?.enricher);
    const page = { encoded, body: `[${stored.map((reject) => reject.raw).join(',')}]`, clears: stored.map((reject) => reject.rowId) };
    const retried = await writePage(db, plan, sourceId, page, undefined);
    warnings.page(encoded, retried);
    source.rowsChanged += retried.changed;
    for (const row of [...encoded.refused, ...retried.refused]) pendingRejects.add(row.rowId);
    log.info({ ...context, retried: stored.length, still_rejected: pendingRejects.size }, 'retried rows set aside by earlier syncs');
  }

  // 3. Pages, fetched one ahead of the write.
  const start = full ? undefined : await readWatermark(db.knex, dataset.key, sourceId);
  source.watermark = start ?? null;
  // A full pass into a table that was empty has nothing to delete: no keys to remember.
  const recordSeen = full && !plan.intoEmptyTable;
  if (recordSeen) await clearSeen(db.knex, dataset, sourceId);
  const filter = options.since ? sinceCondition(dataset, options.since) : undefined;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const decoder = new PageDecoder({ dataset, columns: plan.columns, sourceId, enricher: options.hooks?.enricher }, log);
  // A page is fetched, then parsed; its position (the next keyset query) is known then, and the
  // next page is fetched while this one is mapped, enriched and encoded (`decoded`).
  const fetchAfter = async (watermark: Watermark | undefined): Promise<FetchedPage> => {
    const began = performance.now();
    let parseWait = 0;
    let body = '';
    const query = { select: ':*,*', where: allOf([filter, watermark && afterWatermark(watermark)]), order: STABLE_ORDER, limit: pageSize };
    const { position, done } = await client.queryPageWith(sourceId, query, async (received) => {
      body = received;
      const waitBegan = performance.now();
      try {
        const decoding = decoder.decode(received, pendingRejects);
        return { position: await decoding.parsed, done: decoding.done };
      } finally {
        parseWait += performance.now() - waitBegan;
      }
    });
    summary.phases.fetchMs += performance.now() - began - parseWait;
    // A full page: more follow, worth decoding on the second core.
    if (position.count === pageSize) decoder.useThread();
    const decoded = settled(
      done.then(({ page, parseMs }) => {
        summary.phases.parseMs += parseMs;
        return page;
      }),
    );
    return { body, count: position.count, watermark: position.last ?? watermark, decoded };
  };
  const began = Date.now();
  options.onProgress?.(progress(summary, source));

  // 4. Write page N while page N+1 is fetched, encoded and (on PostgreSQL) staged. Every write
  // outcome is a value (`settled`), awaited in page order: a failure is rethrown where its page is
  // due, never left as an unhandled rejection, and a page after a failed one rolls back.
  let inFlight: { page: ReadPage; done: Promise<Outcome<PageWrite>> } | undefined;
  let next: Promise<Outcome<FetchedPage>> | undefined = settled(fetchAfter(start));
  try {
    while (next) {
      const fetched: Outcome<FetchedPage> = await next;
      if (!fetched.ok) throw fetched.error;
      const fetchedPage: FetchedPage = fetched.value;
      const { body, count, watermark, decoded } = fetchedPage;
      if (options.stopRequested?.()) {
        next = undefined;
        break;
      }
      // A short page is the last one; otherwise the next is fetched while this one is encoded.
      // Backpressure: one page ahead at most, since the one after waits for this loop.
      next = count === pageSize ? settled(fetchAfter(watermark)) : undefined;
      const outcome = await decoded;
      if (!outcome.ok) throw outcome.error;
      const { encoded, clears } = outcome.value;
      const page: ReadPage = { encoded, body, clears, count, watermark };
      if (page.count === 0) break;
      const prior = inFlight;
      inFlight = { page, done: settled(timedWrite(summary, writePage(db, plan, sourceId, page, prior?.done, { watermark: page.watermark!, recordSeen }))) };
      if (prior) await account(prior, false);
    }
    if (inFlight) await account(inFlight, true);
    else options.onProgress?.({ ...progress(summary, source), betweenPages: true });
  } catch (error) {
    // Let the last write finish (it rolls back if an earlier page failed) before the lock is released.
    await inFlight?.done;
    throw error;
  } finally {
    await next;
    await decoder.close();
  }

  async function account(write: { page: ReadPage; done: Promise<Outcome<PageWrite>> }, betweenPages: boolean): Promise<void> {
    const outcome = await write.done;
    if (!outcome.ok) throw outcome.error;
    const { page } = write;
    source.rowsRead += page.count ?? 0;
    source.rowsChanged += outcome.value.changed;
    source.pages += 1;
    source.watermark = page.watermark ?? null;
    warnings.page(page.encoded, outcome.value);
    const seconds = Math.max(0.001, (Date.now() - began) / 1000);
    log.info({ ...context, page: source.pages, rows: source.rowsRead, rows_per_s: Math.round(source.rowsRead / seconds), retries: summary.retries }, 'page written');
    options.onProgress?.({ ...progress(summary, source), betweenPages });
  }

  // A stopped pass has not read every row: deleting what it did not see would delete live rows.
  if (options.stopRequested?.()) return;

  if (dataset.geometryColumn && source.rowsRead > 0 && source.polygons === 0) {
    log.warn({ ...context, rows_read: source.rowsRead }, `${sourceId} sent ${source.rowsRead} rows and no polygon: the boundaries already stored are kept`);
  }

  // 5. Deletions (full pass only) and the source's row count.
  if (recordSeen) {
    source.deleted = await sweepUnseen(db.knex, dataset, sourceId, options.since);
    if (source.deleted) log.info({ ...context, deleted: source.deleted }, 'removed rows the portal no longer has');
  }
  const result = await db.knex.raw(`SELECT count(*)::bigint AS rows FROM ${tableOf(dataset)} WHERE _source_id = ?`, [sourceId]);
  source.rowsTotal = Number(result.rows[0].rows);
}

/**
 * Adds a page write's time to the summary: the time some write was in flight. Two pages' writes
 * overlap (one stages while the other commits), so what overlaps is counted once.
 */
async function timedWrite<T>(summary: DatasetSyncSummary, write: Promise<T>): Promise<T> {
  const began = performance.now();
  try {
    return await write;
  } finally {
    const ended = performance.now();
    summary.phases.writeMs += ended - Math.max(began, lastWriteEnded.get(summary) ?? 0);
    lastWriteEnded.set(summary, ended);
  }
}
const lastWriteEnded = new WeakMap<DatasetSyncSummary, number>();

/** A page as read: its encoded rows, the body as received (for setting refused rows aside), and its position. */
interface ReadPage {
  readonly encoded: EncodedPage;
  readonly body: string;
  /** Portal row ids in this page that are in the rejects table: deleted there once stored. */
  readonly clears: readonly string[];
  readonly count?: number;
  readonly watermark?: Watermark | undefined;
}

/** A page as fetched and parsed: its position, and its encoding under way. */
interface FetchedPage {
  readonly body: string;
  readonly count: number;
  readonly watermark: Watermark | undefined;
  readonly decoded: Promise<Outcome<DecodedPage>>;
}

/** What writing a page found beyond the encoding: rows the database refused, keys already held by another portal row. */
interface PageWrite {
  readonly refused: readonly RefusedRow[];
  readonly collisions: readonly KeyCollision[];
  /** Rows inserted, or updated to values they did not hold. */
  readonly changed: number;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A promise that cannot reject: its failure becomes a value the caller rethrows in order. */
function settled<T>(work: Promise<T>): Promise<Outcome<T>> {
  return work.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** The portal's columns against the definition. Unreadable metadata is said, and the sync goes on. */
async function readSchemaDrift(client: SodaClient, dataset: DatasetDefinition, sourceId: string, log: Logger): Promise<string | null> {
  const context = { dataset: dataset.key, source: sourceId };
  let drift: string | undefined;
  try {
    drift = describeDrift(compareSchema(dataset, await client.columns(sourceId)));
  } catch (error) {
    // An unreachable portal, or a dataset it does not have, fails here with the portal's own words.
    // Any other answer (a portal or proxy without the views API): the rows may still be readable,
    // so the sync goes on and the gap is said.
    if (!(error instanceof SocrataError) || error.failure !== 'http' || error.code === 'dataset.missing') throw error;
    const message = `column metadata unavailable: ${error.message}`;
    log.warn(context, message);
    return message;
  }
  if (drift) log.warn(context, `schema drift: ${drift}`);
  return drift ?? null;
}

/** Says once per sync what repeats per row: NULs stripped per column; key collisions, each with both row ids. */
class SyncWarnings {
  private readonly nulColumns = new Set<string>();

  constructor(
    private readonly dataset: DatasetDefinition,
    private readonly sourceId: string,
    private readonly log: Logger,
    private readonly source: SourceSyncSummary,
  ) {}

  page(encoded: EncodedPage, write: PageWrite): void {
    const context = { dataset: this.dataset.key, source: this.sourceId };
    this.source.malformedValues += encoded.malformedValues;
    this.source.rejectedRows += encoded.refused.length + write.refused.length;
    this.source.polygons += encoded.polygons;
    for (const column of encoded.strippedNul) {
      if (this.nulColumns.has(column)) continue;
      this.nulColumns.add(column);
      this.log.warn({ ...context, column }, `NUL characters removed from ${column} (PostgreSQL text cannot hold them); said once per column per sync`);
    }
    for (const reject of write.refused) {
      this.log.error({ ...context, row_id: reject.rowId }, `row set aside in the rejects table: ${reject.reason}`);
    }
    for (const collision of [...encoded.collisions, ...write.collisions]) {
      this.source.keyCollisions += 1;
      if (this.source.keyCollisions > COLLISIONS_LOGGED) continue;
      this.log.warn(
        { ...context, key: collision.key, row_ids: collision.rowIds },
        `two portal rows share the key ${this.dataset.primaryKey.join(', ')} = ${collision.key} (rows ${collision.rowIds.join(' and ')}); the later one is stored`,
      );
    }
  }
}

function progress(summary: DatasetSyncSummary, source: SourceSyncSummary) {
  const rows = summary.sources.reduce((total, item) => total + item.rowsRead, 0);
  const pages = summary.sources.reduce((total, item) => total + item.pages, 0);
  return { dataset: summary.dataset, sourceId: source.sourceId, rows, pages, retries: summary.retries };
}


/** How one dataset's pages are written: which columns, into which table. */
export interface WritePlan {
  readonly dataset: DatasetDefinition;
  readonly columns: readonly string[];
  readonly stage: string;
  readonly upsertSql: string;
  /** SQL type of a single-column primary key (for the all-new-keys check); absent for composite keys. */
  readonly keyType?: string;
  /** The table was empty when this sync began (its secondary indexes are deferred meanwhile). */
  readonly intoEmptyTable?: boolean;
}

/**
 * Works out the columns to write. The geo columns are written only when an enricher fills them
 * (otherwise whatever computed them before is left alone). A boundary row without geometry does
 * not erase the stored polygon: a portal that stops serving geometry keeps the previous layer.
 */
export async function planWrites(knex: Knex, dataset: DatasetDefinition, withGeo: boolean): Promise<WritePlan> {
  const result = await knex.raw(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'data' AND table_name = ?`, [dataset.table]);
  const existing = new Set((result.rows as { column_name: string }[]).map((row) => row.column_name));
  if (existing.size === 0) throw new Error(`table data.${dataset.table} does not exist; run "lakefront migrate"`);
  const columns = columnNames(dataset);
  const missing = columns.filter((column) => !existing.has(column));
  if (missing.length) throw new Error(`table data.${dataset.table} lacks column(s) ${missing.join(', ')}; run "lakefront migrate"`);
  if (withGeo && dataset.point) columns.push(...Object.values(GEO_COLUMNS).filter((column) => existing.has(column)));
  const stage = `lakefront_stage_${dataset.table}`;
  const list = columns.map(ident).join(', ');
  const updated = columns.filter((column) => !dataset.primaryKey.includes(column));
  const incoming = updated.map((column) => (column === dataset.geometryColumn ? `COALESCE(EXCLUDED.${ident(column)}, t.${ident(column)})` : `EXCLUDED.${ident(column)}`));
  // A row that would be written with the values it already holds is left alone, so the upsert's
  // row count is the rows that changed: a re-read page that changes nothing keeps the data version
  // (the API's ETags, core/db/data-version.ts) and writes nothing.
  const upsertSql =
    `INSERT INTO ${tableOf(dataset)} AS t (${list}) SELECT ${list} FROM ${ident(stage)} ` +
    `ON CONFLICT (${dataset.primaryKey.map(ident).join(', ')}) DO UPDATE SET ${updated.map((column, index) => `${ident(column)} = ${incoming[index]}`).join(', ')} ` +
    `WHERE (${updated.map((column) => `t.${ident(column)}`).join(', ')}) IS DISTINCT FROM (${incoming.join(', ')})`;
  let keyType: string | undefined;
  if (dataset.primaryKey.length === 1) {
    const type = await knex.raw(`SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = ?::regclass AND attname = ?`, [
      `data.${ident(dataset.table)}`,
      dataset.primaryKey[0]!,
    ]);
    keyType = (type.rows[0] as { type?: string } | undefined)?.type;
  }
  return { dataset, columns, stage, upsertSql, ...(keyType ? { keyType } : {}) };
}

/**
 * Writes one page in one transaction: its rows, its rejects and (for a portal page) its
 * watermark. A crash before COMMIT loses the page and keeps the old watermark, so the rerun reads
 * the page again; after COMMIT all three are there.
 *
 * Staging does not wait for `previous` (the prior page's write): on PostgreSQL this page's COPY
 * runs on its own connection while the prior page is upserted. The upsert and the watermark wait
 * for it, so pages commit strictly in order, and if the prior page failed this one rolls back.
 */
async function writePage(
  db: Database,
  plan: WritePlan,
  sourceId: string,
  page: ReadPage,
  previous: Promise<Outcome<PageWrite>> | undefined,
  checkpoint?: { watermark: Watermark; recordSeen: boolean },
): Promise<PageWrite> {
  const { dataset } = plan;
  const afterPrevious = async () => {
    const prior = await previous;
    if (prior && !prior.ok) throw new Error('an earlier page failed; this one is rolled back');
  };
  return db.knex.transaction(async (trx) => {
    if (db.backend === 'postgres') {
      // Safe to skip the flush wait: a page lost to a server crash loses its watermark with it
      // (one transaction), so the next run reads it again.
      await trx.raw('SET LOCAL synchronous_commit = off');
    }
    let write: PageWrite | undefined;
    const recordSeen = Boolean(checkpoint?.recordSeen);
    if (plan.keyType && !recordSeen) {
      // A page whose keys are all new (a backfill) is an insert whatever the method: COPY it
      // straight into the table. Checked after the prior page committed, under the dataset's
      // lock, so no other writer can add one of these keys before this transaction commits.
      await afterPrevious();
      if (!(await anyKeyExists(trx, plan, page.encoded.keys))) write = await storeRows(trx, db, plan, page, { direct: true, recordSeen, afterPrevious });
    }
    write ??= await storeRows(trx, db, plan, page, { direct: false, recordSeen, afterPrevious });
    const refused = [...page.encoded.refused, ...write.refused];
    await saveRejects(trx, dataset.key, sourceId, refused);
    const stillRefused = new Set(refused.map((row) => row.rowId));
    await clearRejects(trx, dataset.key, sourceId, page.clears.filter((rowId) => !stillRefused.has(rowId)));
    if (checkpoint) await saveWatermark(trx, dataset.key, sourceId, checkpoint.watermark);
    return write;
  });
}

/**
 * Stores a page's rows. Tried whole first (one savepoint); if the database refuses a value
 * (a data exception, a constraint, a program limit), the rows are halved until each refused row
 * is alone, and those are set aside with the database's reason while every other row is stored.
 */
async function storeRows(
  trx: Knex.Transaction,
  db: Database,
  plan: WritePlan,
  page: ReadPage,
  how: { direct: boolean; recordSeen: boolean; afterPrevious: () => Promise<void> },
): Promise<PageWrite> {
  const refused: RefusedRow[] = [];
  const collisions: KeyCollision[] = [];
  let changed = 0;
  let raws: Map<string, string> | undefined;
  const rowIdColumn = plan.columns.indexOf(SYSTEM_COLUMNS.rowId);
  const store = async (lines: readonly string[] | undefined): Promise<void> => {
    const copyText = lines ? `${lines.join('\n')}\n` : page.encoded.copyText;
    try {
      const stored = await trx.transaction((savepoint) => storeChunk(savepoint, db, plan, copyText, how));
      collisions.push(...stored.collisions);
      changed += stored.changed;
      return;
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const all = lines ?? page.encoded.copyText.slice(0, -1).split('\n');
      if (all.length > 1) {
        const middle = all.length >> 1;
        await store(all.slice(0, middle));
        await store(all.slice(middle));
        return;
      }
      raws ??= rawRowsById(page.body);
      const cell = all[0]!.split('\t')[rowIdColumn];
      const rowId = cell && cell !== '\\N' ? cell : '';
      refused.push({ rowId, raw: raws.get(rowId) ?? '{}', reason: refusalReason(error) });
    }
  };
  if (page.encoded.copyText) await store(undefined);
  return { refused, collisions, changed };
}

/**
 * One chunk: COPY it into the table (all keys new), or stage it, note keys already held by a
 * different portal row, upsert, and remember the keys for a full pass's sweep.
 */
async function storeChunk(
  trx: Knex.Transaction,
  db: Database,
  plan: WritePlan,
  copyText: string,
  how: { direct: boolean; recordSeen: boolean; afterPrevious: () => Promise<void> },
): Promise<{ collisions: KeyCollision[]; changed: number }> {
  const { dataset } = plan;
  if (how.direct) {
    await copyRows(db.backend, trx, tableOf(dataset), plan.columns, copyText);
    return { collisions: [], changed: lineCount(copyText) };
  }
  const list = plan.columns.map(ident).join(', ');
  await trx.raw(`CREATE TEMP TABLE IF NOT EXISTS ${ident(plan.stage)} ON COMMIT DROP AS SELECT ${list} FROM ${tableOf(dataset)} WITH NO DATA`);
  await trx.raw(`TRUNCATE ${ident(plan.stage)}`);
  await copyRows(db.backend, trx, ident(plan.stage), plan.columns, copyText);
  await how.afterPrevious();
  const on = dataset.primaryKey.map((column) => `t.${ident(column)} = s.${ident(column)}`).join(' AND ');
  const clashes = await trx.raw(
    `SELECT array_to_string(${keyArray(dataset, 's')}, ', ') AS key, t._row_id AS stored, s._row_id AS incoming
     FROM ${ident(plan.stage)} s JOIN ${tableOf(dataset)} t ON ${on} WHERE t._row_id <> s._row_id`,
  );
  const upserted = (await trx.raw(plan.upsertSql)) as { rowCount?: number | null; affectedRows?: number };
  if (how.recordSeen) {
    await trx.raw(`INSERT INTO lakefront.sync_seen (dataset, source_id, row_key) SELECT ?, _source_id, ${keyArray(dataset, 's')} FROM ${ident(plan.stage)} s`, [dataset.key]);
  }
  return {
    collisions: (clashes.rows as { key: string; stored: string; incoming: string }[]).map((row) => ({ key: row.key, rowIds: [row.stored, row.incoming] as const })),
    changed: Number(upserted.rowCount ?? upserted.affectedRows ?? 0),
  };
}

/** Rows in COPY text: one per line, each ending in a newline. */
function lineCount(copyText: string): number {
  let count = 0;
  for (let at = copyText.indexOf('\n'); at !== -1; at = copyText.indexOf('\n', at + 1)) count += 1;
  return count;
}

async function anyKeyExists(trx: Knex.Transaction, plan: WritePlan, keys: readonly DbValue[]): Promise<boolean> {
  if (keys.length === 0) return false;
  const key = plan.dataset.primaryKey[0]!;
  const result = await trx.raw(`SELECT EXISTS (SELECT 1 FROM ${tableOf(plan.dataset)} WHERE ${ident(key)} = ANY(?::${plan.keyType}[])) AS found`, [
    keys as string[],
  ]);
  return Boolean(result.rows[0].found);
}

/**
 * SQLSTATE classes meaning "this row's values": 22 data exception (a value out of range, an
 * invalid byte sequence), 23 integrity constraint, 54 program limit (an index row too large).
 * Anything else (a lost connection, a missing table) is the database's problem, not the row's.
 */
function isRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|54)/.test(code);
}

function refusalReason(error: unknown): string {
  const { code, message } = error as { code: string; message?: string };
  return `${code} ${String(message ?? '').replace(/\s+/g, ' ').trim()}`;
}

function rawRowsById(body: string): Map<string, string> {
  const rows = JSON.parse(body) as SodaRow[];
  return new Map(rows.map((row) => [String(row[':id'] ?? ''), JSON.stringify(row)]));
}
