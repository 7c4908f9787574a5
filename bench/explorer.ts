// The explorer's speed at scale (not a test; never run by `npm test`), issue #19:
//   flock /work/wt/bench.lock npm run bench:explorer -- [--rows 8000000] [--rounds 3]
// Drives /explore in headless chromium (Debian's, through playwright-core, as the browser test
// does) through the same steps on two servers in the same run: the bundled samples (6,957 crimes,
// what the browser test measures) and the shared 8M-crimes database of bench:api with its rollups
// (bench/crimes-database.ts), served by the real API with production settings. Each figure is the
// page's own (explorer/src/timing.ts): from navigation or the interaction until every panel has its
// answer and the next frame is painted.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { buildExplorer } from '../explorer/build.js';
import { launchChromium } from '../explorer/test/chromium.js';
import { startSamplesServer } from '../explorer/test/samples-server.js';
import { startTarget } from './api-target.js';
import { log, prepareBenchCrimes } from './crimes-database.js';
import { percentile } from './percentile.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '8000000' },
    /** Times the whole sequence runs on each server, each time in a fresh browser. */
    rounds: { type: 'string', default: '3' },
  },
});
const ROWS = Number(args.rows);
const ROUNDS = Number(args.rounds);

/** The steps of one round, named as the README reports them. */
type Step = readonly [name: string, run: (page: Page, base: string) => Promise<unknown>];
const STEPS: Step[] = [
  ['first render (crimes, all history)', (page, base) => page.goto(`${base}/explore?dataset=crimes`)],
  ['facet click (primary_type THEFT)', (page) => page.click('[data-testid=facet-value][data-column=primary_type][data-value=THEFT]')],
  ['second facet value (keyboard)', async (page) => {
    await page.focus('[data-testid=facet-value][data-column=primary_type][data-value=BATTERY]');
    await page.keyboard.press('Enter');
  }],
  ['chip removed', (page) => page.click('[data-testid=filter-chip][aria-label="Remove filter primary_type = BATTERY"]')],
  ['map click (community area 25)', (page) => page.click('[data-testid=map] path[data-area="25"]', { force: true })],
  ['next page', (page) => page.click('text=Next page')],
  ['Back', (page) => page.goBack()],
  ['time range (from date)', (page) => page.fill('input[name=from]', '2014-01-01')],
  ['chart: day of week', (page) => page.check('input[name=chart][value=dow]')],
  ['chart: hour of day', (page) => page.check('input[name=chart][value=hour]')],
  ['reload (same view from the URL)', (page) => page.reload()],
];

interface Figures {
  ms: Map<string, number[]>;
  /** API requests (`/v1/…`) the page made during each step, answered from the browser's cache or not. */
  requests: Map<string, number[]>;
}

/** Runs the steps `ROUNDS` times against `base`; returns each step's figures. */
async function drive(base: string): Promise<Figures> {
  const figures = new Map<string, number[]>(STEPS.map(([name]) => [name, []]));
  const requests = new Map<string, number[]>(STEPS.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    // A fresh browser each round: its HTTP cache would answer a repeated view with 304s, not queries.
    const browser = await launchChromium({ width: 1280, height: 800 });
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
      let asked = 0;
      page.on('request', (request) => void (new URL(request.url()).pathname.startsWith('/v1/') && (asked += 1)));
      for (const [name, run] of STEPS) {
        const before = await page.evaluate(() => window.__explorerTimings?.length ?? 0).catch(() => 0);
        asked = 0;
        await run(page, base);
        // The page says "loading" until its panels have settled; a navigation starts its list anew.
        await page.waitForSelector('html[data-status=loading]', { state: 'attached', timeout: 2000 }).catch(() => undefined);
        await page.waitForSelector('html[data-status=ready]', { timeout: 120_000 });
        const recorded = await page.evaluate(() => window.__explorerTimings ?? []);
        const fresh = name.startsWith('first render') || name.startsWith('reload') ? recorded : recorded.slice(before);
        const ms = fresh.at(-1)?.ms;
        if (ms === undefined) throw new Error(`${name}: the page recorded no timing`);
        figures.get(name)!.push(ms);
        requests.get(name)!.push(asked);
        const shownErrors = await page.$$eval('.error', (items) => items.map((item) => item.textContent));
        if (shownErrors.length) throw new Error(`${name}: the page shows ${shownErrors.join('; ')}`);
      }
      if (errors.length) throw new Error(`console errors: ${errors.join('; ')}`);
      log(`round ${round + 1} on ${base}: ${STEPS.map(([name]) => `${name.split(' (')[0]} ${figures.get(name)!.at(-1)}`).join(', ')} ms`);
    } finally {
      await browser.close();
    }
  }
  return { ms: figures, requests };
}

const loadAverage = () => loadavg().map((value) => value.toFixed(1)).join(' ');
const bundle = await buildExplorer();
const loadBefore = loadAverage();
const benchUrl = await prepareBenchCrimes({ rows: ROWS });

const samples = await startSamplesServer();
let onSamples: Figures;
try {
  onSamples = await drive(samples.url);
} finally {
  await samples.stop();
}
const big = await startTarget('api', benchUrl);
let onBig: Figures;
try {
  onBig = await drive(big.url);
} finally {
  big.child.kill();
}

const median = (values: number[]) => percentile(values, 50);
const max = (values: number[]) => Math.max(...values);
process.stdout.write(
  `\nexplorer bundle: ${bundle.map((item) => `${item.file} ${(item.bytes / 1024).toFixed(0)} kB (${(item.gzipBytes / 1024).toFixed(0)} kB gzipped)`).join(', ')}\n` +
    `${ROUNDS} rounds per server, each in a fresh browser (no HTTP cache); median / max ms (targets: first render < 1,000, each interaction < 300)\n` +
    `load average ${loadBefore} before, ${loadAverage()} after\n\n` +
    `| step | samples (6,957 crimes) | ${ROWS.toLocaleString('en-US')} crimes, rollups | ratio of the medians | API requests (median) |\n|---|---:|---:|---:|---:|\n`,
);
for (const [name] of STEPS) {
  const [a, b] = [onSamples.ms.get(name)!, onBig.ms.get(name)!];
  process.stdout.write(
    `| ${name} | ${median(a)} / ${max(a)} | ${median(b)} / ${max(b)} | ${(median(b) / Math.max(1, median(a))).toFixed(1)}x | ${median(onBig.requests.get(name)!)} |\n`,
  );
}
