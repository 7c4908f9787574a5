import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler, Response } from 'express';
import type { Knex } from 'knex';
import type { Database } from '../../../core/db/connect.js';
import { HttpProblem } from '../problems.js';
import { whenClosed } from './when-closed.js';

/** The database work of one request: the pool connections it holds right now. */
interface RequestWork {
  abandoned: boolean;
  readonly held: Set<PooledConnection>;
}

interface PooledConnection {
  readonly processID?: number;
}

interface PoolClient {
  acquireConnection(): Promise<PooledConnection>;
  releaseConnection(connection: PooledConnection): Promise<unknown>;
  cancelQuery(connection: PooledConnection): Promise<unknown>;
}

/**
 * How long the query of a client that left may still run before it is cancelled. A cancel opens
 * a connection of its own, so a new PostgreSQL backend (fork, authentication, one query), which
 * costs several times a list page's whole query (about a millisecond). When a load generator
 * closed its 32 connections at once, their 32 cancels forked 32 backends on two cores for queries
 * that were about to end, and the requests of the next second waited up to 0.5 s. A query still
 * running after this long is what the cancel is for: one stuck behind a lock, or scanning.
 */
export const CANCEL_GRACE_MS = 100;

const currentWork = new AsyncLocalStorage<RequestWork>();
/** Cancels in flight per connection: the connection goes back to the pool only once its cancel is done. */
const cancelling = new WeakMap<PooledConnection, Promise<unknown>>();
/** Cancels waiting out CANCEL_GRACE_MS, per connection; a connection released meanwhile needs none. */
const pendingCancels = new WeakMap<PooledConnection, NodeJS.Timeout>();
const instrumented = new WeakSet<Knex>();

/** Marks a response whose client left before it was complete; the problem handler neither answers nor logs it. */
export function wasAbandoned(res: Response): boolean {
  return res.locals.abandoned === true;
}

/**
 * When a client disconnects before its response is complete, its PostgreSQL queries still running
 * CANCEL_GRACE_MS later are cancelled (`pg_cancel_backend`, over a connection of its own, so it
 * works with the pool exhausted) and their pool connections return; a query it had not started yet
 * never runs. Without this a request stuck behind a lock kept its connection after the client had
 * gone, and twelve such requests starved every other dataset of the pool.
 *
 * Each request's connections are tracked through AsyncLocalStorage, by wrapping the pool's acquire
 * and release once per knex instance, so every query path (pages, counts, exports, reports) is
 * covered without threading a signal through each. PGlite runs in-process on one connection and
 * has nothing to cancel.
 */
export function cancelAbandonedWork(db: Database): RequestHandler {
  if (db.backend === 'postgres') trackConnections(db.knex);
  return (_req, res, next) => {
    const work: RequestWork = { abandoned: false, held: new Set() };
    whenClosed(res, () => {
      if (res.writableFinished) return;
      work.abandoned = true;
      res.locals.abandoned = true;
      const client = db.knex.client as unknown as PoolClient;
      for (const connection of work.held) {
        if (cancelling.has(connection) || pendingCancels.has(connection)) continue;
        const timer = setTimeout(() => {
          pendingCancels.delete(connection);
          if (work.held.has(connection)) cancelling.set(connection, client.cancelQuery(connection).catch(() => undefined));
        }, CANCEL_GRACE_MS);
        timer.unref();
        pendingCancels.set(connection, timer);
      }
    });
    currentWork.run(work, next);
  };
}

/**
 * Runs work that several requests share (a cached read that each of them awaits) outside any one
 * request's work. Started inside the request that happened to miss the cache, it would be that
 * request's: when its client left, the shared read was cancelled (or refused its connection with a
 * 499), and every other request waiting on it failed too. bench:api saw it at 32 connections: 14
 * answers of 499 to clients that were still there, when autocannon closed the connections of a
 * finished run.
 */
export function sharedWork<T>(work: () => T): T {
  return currentWork.exit(work);
}

function trackConnections(knex: Knex): void {
  if (instrumented.has(knex)) return;
  instrumented.add(knex);
  const client = knex.client as unknown as PoolClient;
  const acquire = client.acquireConnection.bind(client);
  const release = client.releaseConnection.bind(client);
  const owners = new WeakMap<PooledConnection, RequestWork>();
  client.acquireConnection = async () => {
    const work = currentWork.getStore();
    if (work?.abandoned) throw abandonedProblem();
    const connection = await acquire();
    if (!work) return connection;
    if (work.abandoned) {
      // The client left while this request waited for the pool: hand the connection straight on.
      await release(connection);
      throw abandonedProblem();
    }
    work.held.add(connection);
    owners.set(connection, work);
    return connection;
  };
  client.releaseConnection = async (connection) => {
    owners.get(connection)?.held.delete(connection);
    owners.delete(connection);
    // The query ended within the grace: nothing left to cancel.
    clearTimeout(pendingCancels.get(connection));
    pendingCancels.delete(connection);
    // A cancel must land on the query it was meant for, never on the next borrower's.
    const cancel = cancelling.get(connection);
    if (cancel) {
      await cancel;
      cancelling.delete(connection);
    }
    return release(connection);
  };
}

function abandonedProblem(): HttpProblem {
  return new HttpProblem(499, 'Client Closed Request', 'The client disconnected before the answer was ready.');
}
