/**
 * A benchmark portal in its own process (so its memory is not counted as the ingest's):
 * serves N cloned crimes rows and prints its URL on stdout. Usage: tsx bench/soda-bench-server.ts N
 */
import { serveFixtureTypes } from './crimes-types.js';
import { clonedCrimes, CRIMES_PORTAL_ID } from './cloned-crimes.js';
import { serializeAhead, startSodaServer } from '../testing/soda-server.js';
import { SodaStore } from '../testing/soda-store.js';
import { STABLE_ORDER } from '../ingest/socrata/soql.js';

const count = Number(process.argv[2]);
const store = new SodaStore();
store.define(CRIMES_PORTAL_ID, serveFixtureTypes, [...clonedCrimes(count)]);
// Sort once before the clock starts; the store caches the order between pages.
store.query(CRIMES_PORTAL_ID, { select: ':*,*', order: STABLE_ORDER, limit: 1, offset: 0 });
// Likewise each row's JSON: the real portal serializes on its own machines, not on ours.
serializeAhead(store.rows(CRIMES_PORTAL_ID));
const server = await startSodaServer({ store });
process.stdout.write(`${server.url}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
