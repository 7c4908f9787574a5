import { Agent, request } from 'node:http';
import { percentile } from './percentile.js';

export interface OpenLoopResult {
  /** Requests answered per second over the run. */
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  /** Answers that were not a 2xx, and requests that failed, by status or error name. */
  readonly failures: Record<string, number>;
}

/**
 * An open-loop load: one request every 1/rate seconds, evenly spaced, whatever the answers'
 * speed, on up to `sockets` keep-alive connections. Latency is counted from when a request was
 * due, not from when it went out, so a generator that falls behind shows as latency (no
 * coordinated omission).
 *
 * autocannon's `overallRate` is not an open loop: each connection sends its share of a second's
 * requests back to back at the start of every second, then waits for the next. At 64 connections
 * that is a burst of 64 concurrent requests each second, and the bare handler's list p99 measured
 * that way was 688 ms at half its capacity (README, "Read API").
 */
export async function openLoop(url: string, { rate, seconds, sockets = 64 }: { rate: number; seconds: number; sockets?: number }): Promise<OpenLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const fail = (reason: string) => (failures[reason] = (failures[reason] ?? 0) + 1);
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const started = performance.now();
  const pending: Promise<void>[] = [];

  const send = (due: number) =>
    new Promise<void>((resolve) => {
      const req = request(url, { agent }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => {
          if (res.statusCode! >= 200 && res.statusCode! < 300) latencies.push(performance.now() - due);
          else fail(String(res.statusCode));
          resolve();
        });
      });
      req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
      req.on('error', (error) => {
        fail(error.message === 'timeout' ? 'timeout' : error.name);
        resolve();
      });
      req.end();
    });

  await new Promise<void>((done) => {
    let sent = 0;
    const tick = () => {
      // Everything due by now goes out now; then sleep until the next one is due.
      const now = performance.now();
      while (sent < total && started + sent * interval <= now) pending.push(send(started + sent++ * interval));
      if (sent >= total) done();
      else setTimeout(tick, Math.max(0, started + sent * interval - performance.now()));
    };
    tick();
  });
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { rps: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failures };
}
