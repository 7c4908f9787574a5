/*
 * The explorer in a real browser (Debian's chromium through playwright-core) over the bundled
 * samples. Screenshots go to .ci/out/screenshots/ and the measured timings to
 * .ci/out/explorer-timings.json (CI artifacts; .ci/out is gitignored).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveServer } from '../../server/test/helpers.js';
import { buildExplorer } from '../build.js';
import { launchChromium, type Browser } from './chromium.js';
import { startSamplesServer } from './samples-server.js';

const OUT = fileURLToPath(new URL('../../.ci/out/', import.meta.url));
const SCREENSHOTS = `${OUT}screenshots/`;
/** Rows of the bundled crimes sample (core/datasets/samples/README.md). */
const SAMPLE_CRIMES = 6957;
const COMMUNITY_AREAS = 77;

let server: LiveServer;
let browser: Browser;
let page: Page;
const outside: string[] = [];
const consoleErrors: string[] = [];
const timings: Array<{ label: string; ms: number }> = [];
/** Figures of the current page load already taken (a reload starts the page's list anew). */
let seen = 0;

beforeAll(async () => {
  const [, started] = await Promise.all([buildExplorer(), startSamplesServer()]);
  server = started;
  browser = await launchChromium({ width: 1280, height: 800 });
  page = await browser.context.newPage();
  const origin = new URL(server.url).origin;
  page.on('request', (request) => {
    if (new URL(request.url()).origin !== origin) outside.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
});

afterAll(async () => {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(`${OUT}explorer-timings.json`, `${JSON.stringify(timings, null, 2)}\n`);
  console.log(`explorer timings (ms): ${timings.map((timing) => `${timing.label} ${timing.ms}`).join(', ')}`);
  await browser?.close();
  await server?.stop();
});

/** Waits until every panel has its answer, and keeps the page's own figure for that view. */
async function settled(): Promise<void> {
  await page.waitForSelector('html[data-status=ready]');
  const recorded = await page.evaluate(() => window.__explorerTimings ?? []);
  timings.push(...recorded.slice(seen));
  seen = recorded.length;
}

/** Loads a URL (or reloads) and waits for the first render. */
async function load(go: () => Promise<unknown>): Promise<void> {
  seen = 0;
  await go();
  await settled();
}

/** Starts an interaction: the page reports it ready again only once it has settled. */
async function act(action: () => Promise<unknown>): Promise<void> {
  await action();
  await page.waitForSelector('html[data-status=loading]', { state: 'attached', timeout: 2000 }).catch(() => undefined);
  await settled();
}

const tableIds = () => page.$$eval('[data-testid=rows] tbody tr', (rows) => rows.map((row) => row.querySelector('td')?.textContent ?? ''));
const search = () => new URL(page.url()).searchParams;

describe('the explorer at /explore', () => {
  it('opens from / on the largest dataset, with its rows and a map of the community areas', async () => {
    await load(() => page.goto(`${server.url}/`));
    expect(new URL(page.url()).pathname).toBe('/explore');
    expect(search().get('dataset')).toBe('crimes');

    const listed = (await server.get('/v1/datasets')).body.data.map((dataset: { key: string }) => dataset.key);
    const options = await page.$$eval('[data-testid=dataset-picker] option', (items) => items.map((item) => (item as HTMLOptionElement).value));
    expect(options).toEqual(listed);
    expect(await page.inputValue('[data-testid=dataset-picker]')).toBe('crimes');

    expect(await tableIds()).toHaveLength(50);
    await expect(page.textContent('.rows-panel')).resolves.toContain(`${SAMPLE_CRIMES.toLocaleString('en-US')} match`);
    expect(await page.$$eval('[data-testid=map] path[data-area]', (paths) => paths.length)).toBe(COMMUNITY_AREAS);
    // More rows than the points threshold: areas only.
    expect(await page.$$('[data-testid=map] circle')).toHaveLength(0);
  });

  it('filters by clicking a ZIP code on the map: table, map, chips and URL follow, and points are drawn', async () => {
    const { rows } = await server.db.knex.raw<{ rows: Array<{ zip: string; count: number; located: number }> }>(
      `SELECT geo_zip AS zip, count(*)::int AS count, count(latitude)::int AS located
         FROM data.crimes WHERE geo_zip IS NOT NULL GROUP BY geo_zip ORDER BY count(*) DESC, geo_zip LIMIT 1`,
    );
    const busiest = rows[0]!;
    await act(() => page.check('input[name=areas][value=zip]'));
    expect(search().get('areas')).toBe('zip');

    await act(() => page.click(`[data-testid=map] path[data-area="${busiest.zip}"]`, { force: true }));
    expect(search().getAll('zip')).toEqual([busiest.zip]);
    await expect(page.textContent('.rows-panel')).resolves.toContain(`${busiest.count.toLocaleString('en-US')} match`);
    expect(await page.textContent('[data-testid=filter-chip]')).toContain(`zip: ${busiest.zip}`);
    expect(await page.getAttribute(`[data-testid=map] path[data-area="${busiest.zip}"]`, 'class')).toContain('chosen');
    expect(await page.$$('[data-testid=map] circle.point')).toHaveLength(busiest.located);
  });

  it('copies a curl command that returns exactly the rows shown', async () => {
    const curl = (await page.textContent('[data-testid=copy-curl]'))!;
    expect(curl).toMatch(/^curl -s '/);
    const { stdout } = await promisify(execFile)('bash', ['-c', curl]);
    const answer = JSON.parse(stdout) as { data: Array<{ id: string | number }> };
    expect(answer.data.map((row) => String(row.id))).toEqual(await tableIds());
  });

  it('pages with the cursor, and Back returns to the page before', async () => {
    const first = await tableIds();
    await act(() => page.click('text=Next page'));
    expect(search().get('cursor')).toBeTruthy();
    const second = await tableIds();
    expect(second.length).toBeGreaterThan(0);
    expect(second.some((id) => first.includes(id))).toBe(false);
    await act(() => page.goBack());
    expect(search().get('cursor')).toBeNull();
    expect(await tableIds()).toEqual(first);
  });

  it('reloads the same view from the URL', async () => {
    const before = { url: page.url(), ids: await tableIds(), chips: await page.textContent('.chips') };
    await load(() => page.reload());
    expect(page.url()).toBe(before.url);
    expect(await tableIds()).toEqual(before.ids);
    expect(await page.textContent('.chips')).toBe(before.chips);
  });

  it('works at phone width, and nothing left the origin or logged an error', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOTS}explorer-desktop.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await load(() => page.reload());
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOTS}explorer-phone.png`, fullPage: true });
    expect(outside).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
