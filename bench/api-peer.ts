// The peer of bench/api.ts: Platformatic DB (bench/peer/), installed on demand from the npm
// registry into bench/peer/node_modules, started in its own process, and checked to answer the
// same rows as Lakefront before anything is timed.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const PEER_DIR = fileURLToPath(new URL('./peer/', import.meta.url));

/** `npm ci` in bench/peer/ unless its pinned packages are there already: the peer is never a dependency of Lakefront. */
export function installPeer(log: (message: string) => void): void {
  if (existsSync(`${PEER_DIR}node_modules/@platformatic/db/package.json`)) return;
  log('installing the peer (bench/peer: npm ci) ...');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: PEER_DIR, stdio: 'inherit' });
}

export function startPeer(databaseUrl: string, nodeFlags: readonly string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...nodeFlags, `${PEER_DIR}server.mjs`, databaseUrl], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`peer server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}` }));
  });
}

/** The columns of Lakefront's `api.crimes` view, as Platformatic names them (camelCase). */
const COLUMNS = ['id', 'case_number', 'date', 'block', 'iucr', 'primary_type', 'description', 'location_description', 'arrest', 'domestic', 'beat', 'district', 'ward',
  'community_area', 'fbi_code', 'x_coordinate', 'y_coordinate', 'year', 'updated_on', 'latitude', 'longitude', 'geo_zip', 'geo_community_area'];
const camel = (name: string) => name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());

/** Platformatic's query for Lakefront's `primary_type=…&from=…&to=…&limit=…`, in Lakefront's order (date, then id, both descending). */
export function peerListPath(primaryType: string, from: string, to: string, limit: number): string {
  const query = new URLSearchParams({
    'where.primaryType.eq': primaryType,
    'where.date.gte': from,
    'where.date.lt': to,
    'orderby.date': 'desc',
    'orderby.id': 'desc',
    limit: String(limit),
    fields: COLUMNS.map(camel).join(','),
  });
  return `/dataCrimes?${query.toString()}`;
}

/**
 * Fails unless both pages hold the same rows in the same order with the same values. Only the
 * spelling differs: Platformatic names columns in camelCase, writes bigints and numerics as
 * strings, and writes a `timestamp` (without zone) with milliseconds and a `Z` where Lakefront
 * writes the same wall-clock time without them.
 */
export function checkSameRows(lakefront: Record<string, unknown>[], peer: Record<string, unknown>[]): void {
  if (lakefront.length !== peer.length) throw new Error(`the peer answered ${peer.length} rows, Lakefront ${lakefront.length}`);
  if (lakefront.length === 0) throw new Error('both answered no rows: nothing to compare');
  lakefront.forEach((row, index) => {
    for (const column of COLUMNS) {
      const ours = normalize(row[column]);
      const theirs = normalize(peer[index]![camel(column)]);
      if (ours !== theirs) throw new Error(`row ${index} (id ${String(row.id)}), ${column}: Lakefront ${ours}, the peer ${theirs}`);
    }
  });
}

function normalize(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return value.replace(/Z$/, '').replace(/\.0*$/, '');
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return String(Number(value));
  return String(value);
}
