import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** The filtered list page the read benchmarks time; bench:api asks the peer for the same rows. */
export const LIST = { primaryType: 'THEFT', from: '2019-01-01', to: '2019-02-01', limit: 100 } as const;
export const LIST_PATH = `/v1/crimes?primary_type=${LIST.primaryType}&from=${LIST.from}&to=${LIST.to}&limit=${LIST.limit}`;

/** The API's Node flags in production (deploy/k8s/base/api-deployment.yaml); the bare handler gets the same. */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=32'];

/** The servers of bench/api-targets.ts. */
export type TargetKind = 'api' | 'bare' | 'express';

/**
 * Starts one server of bench/api-targets.ts in its own process (so that it shares no event loop
 * with the load generator): the real API, the bare node:http + pg handler, or Express with one
 * route running the same SQL.
 */
export function startTarget(kind: TargetKind, databaseUrl: string, statementTimeoutMs?: number): Promise<{ child: ChildProcess; url: string }> {
  const argv = [...SERVER_NODE_FLAGS, '--import', 'tsx', 'bench/api-targets.ts', kind, databaseUrl, ...(statementTimeoutMs ? [String(statementTimeoutMs)] : [])];
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}` }));
  });
}
