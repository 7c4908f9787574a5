import { parseOrder, parseSelect, parseWhere, SYSTEM_FIELDS, type Row, type SodaType } from './soql.js';

export interface StoreQuery {
  readonly select?: string | null;
  readonly where?: string | null;
  readonly order?: string | null;
  readonly limit: number;
  readonly offset: number;
}

interface StoredDataset {
  readonly types: Map<string, SodaType>;
  rows: Row[];
  version: number;
  sorted?: { order: string; version: number; rows: Row[] };
}

/**
 * The rows a test portal serves, per portal id, mutable the way the real portal changes:
 * every insert or update stamps a new `:updated_at` (one stamp per call, so a batch ties).
 */
export class SodaStore {
  private readonly datasets = new Map<string, StoredDataset>();
  private clock = Date.parse('2020-01-01T00:00:00.000Z');
  private rowCounter = 0;

  /** Adds (or replaces) a dataset. Rows without system fields get them. */
  define(portalId: string, columns: Readonly<Record<string, SodaType>>, rows: readonly Row[] = []): void {
    const types = new Map<string, SodaType>([...Object.entries(SYSTEM_FIELDS), ...Object.entries(columns)]);
    for (const row of rows) {
      const at = Date.parse(String(row[':updated_at']));
      if (at >= this.clock) this.clock = at + 1;
    }
    const stamp = this.tick();
    this.datasets.set(portalId, { types, rows: rows.map((row) => (row[':id'] ? row : this.stamped({ ...row }, stamp, true))), version: 0 });
  }

  has(portalId: string): boolean {
    return this.datasets.has(portalId);
  }

  types(portalId: string): ReadonlyMap<string, SodaType> {
    return this.dataset(portalId).types;
  }

  /** Every row as it stands, in insertion order. */
  rows(portalId: string): readonly Row[] {
    return this.dataset(portalId).rows;
  }

  insert(portalId: string, rows: readonly Row[]): Row[] {
    const dataset = this.dataset(portalId);
    const stamp = this.tick();
    const added = rows.map((row) => this.stamped({ ...row }, stamp, true));
    dataset.rows.push(...added);
    dataset.version += 1;
    return added;
  }

  /** Applies `changes` (undefined deletes a field) to matching rows; returns how many changed. */
  update(portalId: string, match: (row: Row) => boolean, changes: Readonly<Record<string, unknown>>): number {
    const dataset = this.dataset(portalId);
    const stamp = this.tick();
    let count = 0;
    dataset.rows = dataset.rows.map((row) => {
      if (!match(row)) return row;
      count += 1;
      const next: Row = { ...row, ...changes };
      for (const [field, value] of Object.entries(changes)) if (value === undefined) delete next[field];
      return this.stamped(next, stamp, false);
    });
    dataset.version += 1;
    return count;
  }

  /**
   * Changes a dataset's columns the way a portal publisher does: `rename` moves a field (values
   * and type), `drop` removes one, `add` declares a new one (values come with later rows).
   * Rows are restamped, as the portal's republishing does.
   */
  alterColumns(
    portalId: string,
    changes: { rename?: Readonly<Record<string, string>>; drop?: readonly string[]; add?: Readonly<Record<string, SodaType>>; retype?: Readonly<Record<string, SodaType>> },
  ): void {
    const dataset = this.dataset(portalId);
    for (const [from, to] of Object.entries(changes.rename ?? {})) {
      dataset.types.set(to, dataset.types.get(from)!);
      dataset.types.delete(from);
    }
    for (const field of changes.drop ?? []) dataset.types.delete(field);
    for (const [field, type] of Object.entries({ ...changes.add, ...changes.retype })) dataset.types.set(field, type);
    const stamp = this.tick();
    dataset.rows = dataset.rows.map((row) => {
      const next: Row = { ...row };
      for (const [from, to] of Object.entries(changes.rename ?? {})) {
        if (from in next) next[to] = next[from];
        delete next[from];
      }
      for (const field of changes.drop ?? []) delete next[field];
      return this.stamped(next, stamp, false);
    });
    dataset.version += 1;
  }

  remove(portalId: string, match: (row: Row) => boolean): number {
    const dataset = this.dataset(portalId);
    const before = dataset.rows.length;
    dataset.rows = dataset.rows.filter((row) => !match(row));
    dataset.version += 1;
    return before - dataset.rows.length;
  }

  /** Runs a SODA query; throws `SoqlError` for bad SoQL, like the portal answers 400. */
  query(portalId: string, query: StoreQuery): Row[] {
    const dataset = this.dataset(portalId);
    const columns = query.select ? parseSelect(query.select, dataset.types) : [...dataset.types.keys()].filter((name) => !name.startsWith(':'));
    const predicate = query.where ? parseWhere(query.where, dataset.types) : () => true;
    const rows = query.order ? this.sorted(dataset, query.order) : dataset.rows;
    const wanted = query.offset + query.limit;
    const matches: Row[] = [];
    const start = query.order && query.where ? seekKeyset(rows, query.order, query.where) : 0;
    for (let index = start; index < rows.length; index += 1) {
      const row = rows[index]!;
      if (predicate(row) !== true) continue;
      matches.push(row);
      if (matches.length >= wanted) break;
    }
    const page = matches.slice(query.offset);
    const everything = columns.length >= dataset.types.size;
    return everything ? page : page.map((row) => project(row, columns));
  }

  private sorted(dataset: StoredDataset, order: string): Row[] {
    // Sorting a million rows per page would dominate the benchmark: keep the last ordering.
    if (dataset.sorted?.order === order && dataset.sorted.version === dataset.version) return dataset.sorted.rows;
    const rows = [...dataset.rows].sort(parseOrder(order, dataset.types));
    dataset.sorted = { order, version: dataset.version, rows };
    return rows;
  }

  private dataset(portalId: string): StoredDataset {
    const dataset = this.datasets.get(portalId);
    if (!dataset) throw new Error(`no dataset ${portalId} in the test portal`);
    return dataset;
  }

  private tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }

  private stamped(row: Row, stamp: string, created: boolean): Row {
    if (created) {
      this.rowCounter += 1;
      row[':id'] = `row-lf${this.rowCounter.toString(36).padStart(8, '0')}`;
      row[':created_at'] = stamp;
    }
    row[':version'] = `rv-lf${this.clock.toString(36)}`;
    row[':updated_at'] = stamp;
    return row;
  }
}

const STABLE_ORDER = /^\s*:updated_at(\s+ASC)?\s*,\s*:id(\s+ASC)?\s*$/i;
const KEYSET = /\(:updated_at > '((?:[^']|'')*)' OR \(:updated_at = '\1' AND :id > '((?:[^']|'')*)'\)\)/;

/**
 * What the portal's index does for a keyset query: rows before the watermark in `:updated_at,
 * :id` order cannot match `(:updated_at > W OR (:updated_at = W AND :id > I))`, so the scan may
 * start after them (found by binary search). The full predicate still decides every row scanned.
 * Only for UTC stamps in one shape, where text order is time order.
 */
function seekKeyset(rows: readonly Row[], order: string, where: string): number {
  const match = STABLE_ORDER.test(order) ? KEYSET.exec(where) : null;
  if (!match || match.index + match[0].length !== where.trimEnd().length) return 0;
  // The keyset must be a top-level conjunct: nothing before it but plain `… AND` conditions.
  const before = where.slice(0, match.index);
  if (before && (!/\sAND\s+$/i.test(before) || /[()]|\bOR\b/i.test(before))) return 0;
  const [at, id] = [match[1]!.replaceAll("''", "'"), match[2]!.replaceAll("''", "'")];
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(at)) return 0;
  let [low, high] = [0, rows.length];
  while (low < high) {
    const middle = (low + high) >>> 1;
    const row = rows[middle]!;
    const rowAt = String(row[':updated_at']);
    if (rowAt.length !== at.length || !rowAt.endsWith('Z')) return 0; // another shape: no shortcut
    if (rowAt < at || (rowAt === at && String(row[':id']) <= id)) low = middle + 1;
    else high = middle;
  }
  return low;
}

function project(row: Row, columns: readonly string[]): Row {
  const result: Row = {};
  for (const column of columns) if (row[column] !== undefined) result[column] = row[column];
  return result;
}
