// Run as `node --expose-gc --import tsx cancel-under-gc.ts` (transport.test.ts does): calls
// against a server that accepts connections and never answers, with a full garbage collection
// every 20 ms, each ended by a signal or a timeout. Prints, per case, the error's name and when
// it came. undici loses a cloned Request's signal after a GC (nodejs/undici#4068): an SDK that
// passes fetch such a clone hangs here instead of answering.
import { createServer } from 'node:http';
import { createLakefront } from '../../src/index.js';

const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error('run with --expose-gc');

// Never answers: not the headers, not a byte.
const silent = createServer(() => undefined);
// Answers headers and one NDJSON line, then nothing more.
const stalling = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  res.write('{"id":1}\n');
});
const listen = (server: ReturnType<typeof createServer>) =>
  new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)));
const [silentUrl, stallingUrl] = await Promise.all([listen(silent), listen(stalling)]);
const gcTimer = setInterval(collect, 20);

async function outcome(work: () => Promise<unknown>): Promise<{ error: string; ms: number }> {
  const started = performance.now();
  try {
    await work();
    return { error: 'none', ms: Math.round(performance.now() - started) };
  } catch (error) {
    return { error: (error as Error).name, ms: Math.round(performance.now() - started) };
  }
}

const quiet = createLakefront({ baseUrl: silentUrl, retries: 0, timeout: 0 });
const results = {
  signal: await outcome(() => quiet.crimes.list({ limit: 1 }, { signal: AbortSignal.timeout(1500) })),
  callTimeout: await outcome(() => quiet.crimes.list({ limit: 1 }, { timeout: 1000 })),
  clientTimeout: await outcome(() => createLakefront({ baseUrl: silentUrl, retries: 0, timeout: 1000 }).reports.crimesByZip({ from: '2014-03-01', to: '2014-04-01' })),
  rowsSignal: await outcome(async () => {
    for await (const _row of quiet.crimes.rows({}, { signal: AbortSignal.timeout(1500) }));
  }),
  bodyTimeout: await outcome(async () => {
    for await (const _row of createLakefront({ baseUrl: stallingUrl, retries: 0, timeout: 1000 }).crimes.ndjson());
  }),
};
clearInterval(gcTimer);
console.log(JSON.stringify(results));
silent.closeAllConnections();
stalling.closeAllConnections();
silent.close();
stalling.close();
