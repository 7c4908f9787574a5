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
/**
 * Facets, the chart and the choropleth's counts need `GET /v1/{key}/aggregate` (issue #18): their
 * tests run once the spec has it. Read from the spec file, as the test list is made before the server starts.
 */

let server: LiveServer;
let browser: Browser;
let page: Page;
const outside: string[] = [];
/** The API requests the page made (path and query), in order. */
const asked: string[] = [];
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
    const url = new URL(request.url());
    if (url.origin !== origin) outside.push(request.url());
    else if (url.pathname.startsWith('/v1/')) asked.push(decodeURIComponent(`${url.pathname}${url.search}`));
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
  const byLabel = new Map<string, typeof timings>();
  for (const timing of timings) byLabel.set(timing.label, [...(byLabel.get(timing.label) ?? []), timing]);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  console.log(
    `explorer timings by kind (median / max ms, n): ${[...byLabel]
      .map(([label, items]) => `${label} ${median(items.map((item) => item.ms))} / ${Math.max(...items.map((item) => item.ms))} (${items.length})`)
      .join(', ')}`,
  );
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

/** Starts an interaction: the page reports it ready again only once it has settled. Returns the API requests it made. */
async function act(action: () => Promise<unknown>): Promise<string[]> {
  const before = asked.length;
  await action();
  await page.waitForSelector('html[data-status=loading]', { state: 'attached', timeout: 2000 }).catch(() => undefined);
  await settled();
  return asked.slice(before);
}

const tableIds = () => page.$$eval('[data-testid=rows] tbody tr', (rows) => rows.map((row) => row.querySelector('td')?.textContent ?? ''));
const search = () => new URL(page.url()).searchParams;

/** A plain count over the crimes table, written here independently of the API. */
async function countCrimes(where = 'TRUE', bindings: unknown[] = []): Promise<number> {
  const { rows } = await server.db.knex.raw<{ rows: Array<{ count: number }> }>(`SELECT count(*)::int AS count FROM data.crimes WHERE ${where}`, bindings as never);
  return rows[0]!.count;
}

const sumOf = (selector: string) =>
  page.$$eval(selector, (items) => items.reduce((sum, item) => sum + Number(item.getAttribute('data-count') ?? 0), 0));
const rowsMatching = async () => Number(/([\d,]+) match/.exec((await page.textContent('.rows-panel')) ?? '')?.[1]?.replace(/,/g, '') ?? NaN);

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
    // The row count comes from the aggregate endpoint (its rollups at scale), never a count=exact of the list.
    expect(await rowsMatching()).toBe(SAMPLE_CRIMES);
    expect(asked.filter((path) => path.includes('count=exact'))).toEqual([]);
    expect(await page.$$eval('[data-testid=map] path[data-area]', (paths) => paths.length)).toBe(COMMUNITY_AREAS);
    // More rows than the points threshold: areas only.
    expect(await page.$$('[data-testid=map] circle')).toHaveLength(0);
  });

  it('counts by facet value, by day and by community area', async () => {
    expect(await sumOf('[data-testid=map] path[data-area]')).toBe(await countCrimes('geo_community_area IS NOT NULL'));
    expect(await sumOf('[data-testid=chart] rect.bar')).toBe(SAMPLE_CRIMES);
    // The sample spans 28 February to 15 March 2014: one bar per day.
    expect(await page.getAttribute('[data-testid=chart]', 'data-bucket')).toBe('day');
    const theft = page.locator('[data-testid=facet-value][data-column=primary_type][data-value=THEFT]');
    expect(await theft.textContent()).toContain((await countCrimes(`primary_type = 'THEFT'`)).toLocaleString('en-US'));
  });

  it('counts a facet below the fold once it is scrolled near, not before', async () => {
    const domestic = '[data-testid=facet-value][data-column=domestic]';
    expect(await page.$$(domestic)).toHaveLength(0);
    expect(asked.some((path) => path.includes('group_by=domestic'))).toBe(false);
    const made = await act(() => page.locator('section[aria-label="Facet domestic"]').scrollIntoViewIfNeeded());
    expect(made.filter((path) => path.includes('group_by=domestic'))).toHaveLength(1);
    expect(await page.textContent(`${domestic}[data-value=true]`)).toContain((await countCrimes('domestic')).toLocaleString('en-US'));
    await page.evaluate(() => scrollTo(0, 0));
  });

  it('loads every facet once the keyboard is in them, so Tab goes from one facet to the next', async () => {
    await load(() => page.goto(`${server.url}/explore?dataset=crimes&primary_type=NARCOTICS`));
    expect(await page.$$('[data-testid=facet-value][data-column=arrest]')).toHaveLength(0);
    // Focus on the first facet, at the top: nothing scrolls, and the facets below the fold load.
    await act(() => page.locator('[data-testid=facet-value][data-column=primary_type]').first().focus());
    expect(await page.evaluate(() => scrollY)).toBe(0);
    expect(await page.textContent('[data-testid=facet-value][data-column=arrest][data-value=true]')).toContain(
      (await countCrimes(`primary_type = 'NARCOTICS' AND arrest`)).toLocaleString('en-US'),
    );
    await page.locator('[data-testid=facet-value][data-column=ward]').last().focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-column'))).toBe('community_area');
    await load(() => page.goto(`${server.url}/explore?dataset=crimes`));
  });

  it('filters by clicking a facet value: table, chart, map and URL follow', async () => {
    const before = { ids: await tableIds(), map: await sumOf('[data-testid=map] path[data-area]') };
    await act(() => page.click('[data-testid=facet-value][data-column=primary_type][data-value=THEFT]'));
    const thefts = await countCrimes(`primary_type = 'THEFT'`);
    expect(search().getAll('primary_type')).toEqual(['THEFT']);
    expect(await rowsMatching()).toBe(thefts);
    const types = await page.$$eval('[data-testid=rows] tbody tr', (rows) => rows.map((row) => row.children[5]?.textContent));
    expect(new Set(types)).toEqual(new Set(['THEFT']));
    expect(await tableIds()).not.toEqual(before.ids);
    expect(await sumOf('[data-testid=chart] rect.bar')).toBe(thefts);
    const mapped = await sumOf('[data-testid=map] path[data-area]');
    expect(mapped).toBe(await countCrimes(`primary_type = 'THEFT' AND geo_community_area IS NOT NULL`));
    expect(mapped).not.toBe(before.map);
    expect(await page.getAttribute('[data-testid=facet-value][data-column=primary_type][data-value=THEFT]', 'aria-pressed')).toBe('true');
  });

  it('adds a second value and removes a filter from the keyboard', async () => {
    await page.focus('[data-testid=facet-value][data-column=primary_type][data-value=BATTERY]');
    await act(() => page.keyboard.press('Enter'));
    expect(search().getAll('primary_type')).toEqual(['THEFT', 'BATTERY']);
    expect(await rowsMatching()).toBe(await countCrimes(`primary_type IN ('THEFT', 'BATTERY')`));
    expect(await page.$$eval('[data-testid=filter-chip]', (chips) => chips.map((chip) => chip.textContent?.replace(/\s+/g, ' ').trim()))).toEqual([
      'primary_type: THEFT ×',
      'primary_type: BATTERY ×',
    ]);
    await page.focus('[data-testid=filter-chip][aria-label="Remove filter primary_type = BATTERY"]');
    await act(() => page.keyboard.press('Space'));
    expect(search().getAll('primary_type')).toEqual(['THEFT']);
  });

  it('asks for points only when this view has 5,000 rows or fewer, not on the count of the view before', async () => {
    const thefts = await countCrimes(`primary_type = 'THEFT' AND latitude IS NOT NULL`);
    expect(await page.$$('[data-testid=map] circle.point')).toHaveLength(thefts);
    const made = await act(() => page.click('[data-testid=filter-chip][aria-label="Remove filter primary_type = THEFT"]'));
    expect(await rowsMatching()).toBe(SAMPLE_CRIMES);
    expect(made.filter((path) => path.includes('format=geojson'))).toEqual([]);
    expect(await page.$$('[data-testid=map] circle.point')).toHaveLength(0);
    await act(() => page.goBack());
    expect(search().getAll('primary_type')).toEqual(['THEFT']);
  });

  it('sets the time range by brushing the chart, and the date inputs show it', async () => {
    const bars = page.locator('[data-testid=chart] rect.bar');
    const [first, last] = [bars.nth(3), bars.nth(6)];
    const [from, lastDay] = [await first.getAttribute('data-period'), await last.getAttribute('data-period')];
    const [a, b] = [(await first.boundingBox())!, (await last.boundingBox())!];
    const y = a.y + a.height / 2;
    await act(async () => {
      await page.mouse.move(a.x + a.width / 2, y);
      await page.mouse.down();
      await page.mouse.move(b.x + b.width / 2, y, { steps: 5 });
      await page.mouse.up();
    });
    const to = new Date(Date.parse(`${lastDay}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect([search().get('from'), search().get('to')]).toEqual([from, to]);
    expect(await page.inputValue('input[name=from]')).toBe(from);
    expect(await page.inputValue('input[name=to]')).toBe(to);
    expect(await rowsMatching()).toBe(await countCrimes(`primary_type = 'THEFT' AND date >= ? AND date < ?`, [from, to]));
    expect(await page.$$eval('[data-testid=chart] rect.bar', (items) => items.length)).toBe(4);
  });

  it('copies a curl command and SDK code that return exactly the rows shown, and downloads them as CSV', async () => {
    const shown = await tableIds();
    const curl = (await page.textContent('[data-testid=copy-curl]'))!;
    expect(curl).toMatch(/^curl -s '/);
    const { stdout } = await promisify(execFile)('bash', ['-c', curl]);
    const answer = JSON.parse(stdout) as { data: Array<{ id: string | number }> };
    expect(answer.data.length).toBeGreaterThan(0);
    expect(answer.data.map((row) => String(row.id))).toEqual(shown);

    // The SDK code, saved as a module beside the repository's node_modules, runs with plain node.
    mkdirSync(OUT, { recursive: true });
    writeFileSync(`${OUT}explorer-sdk-code.mjs`, (await page.textContent('[data-testid=copy-sdk]'))!);
    const printed = (await promisify(execFile)(process.execPath, [`${OUT}explorer-sdk-code.mjs`])).stdout;
    for (const id of shown) expect(printed).toContain(id);

    const href = (await page.getAttribute('a[download]', 'href'))!;
    const csv = await (await fetch(new URL(href, server.url))).text();
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id,/);
    expect(lines.length - 1).toBe(await rowsMatching());
  });

  it('filters by clicking a ZIP code on the map: table, chips and URL follow, and points are drawn', async () => {
    await load(() => page.goto(`${server.url}/explore?dataset=crimes`));
    const { rows } = await server.db.knex.raw<{ rows: Array<{ zip: string; count: number; located: number }> }>(
      `SELECT geo_zip AS zip, count(*)::int AS count, count(latitude)::int AS located
         FROM data.crimes WHERE geo_zip IS NOT NULL GROUP BY geo_zip ORDER BY count(*) DESC, geo_zip LIMIT 1`,
    );
    const busiest = rows[0]!;
    await act(() => page.check('input[name=areas][value=zip]'));
    expect(search().get('areas')).toBe('zip');

    const everyZip = await sumOf('[data-testid=map] path[data-area]');
    expect(everyZip).toBe(await countCrimes('geo_zip IS NOT NULL'));
    await act(() => page.click(`[data-testid=map] path[data-area="${busiest.zip}"]`, { force: true }));
    expect(search().getAll('geo_zip')).toEqual([busiest.zip]);
    expect(await rowsMatching()).toBe(busiest.count);
    // The map counts under every filter but its own: the other ZIP codes keep their counts.
    expect(await sumOf('[data-testid=map] path[data-area]')).toBe(everyZip);
    expect(await page.getAttribute(`[data-testid=map] path[data-area="${busiest.zip}"]`, 'data-count')).toBe(String(busiest.count));
    expect(await page.textContent('[data-testid=filter-chip]')).toContain(`geo_zip: ${busiest.zip}`);
    expect(await page.getAttribute(`[data-testid=map] path[data-area="${busiest.zip}"]`, 'class')).toContain('chosen');
    expect(await page.$$('[data-testid=map] circle.point')).toHaveLength(busiest.located);
  });

  it('filters by clicking a community area on the map (the computed one, geo_community_area)', async () => {
    await load(() => page.goto(`${server.url}/explore?dataset=business-licenses`));
    const { rows } = await server.db.knex.raw<{ rows: Array<{ area: number; count: number }> }>(
      `SELECT geo_community_area AS area, count(*)::int AS count
         FROM data.business_licenses WHERE geo_community_area IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
    );
    const busiest = rows[0]!;
    expect(busiest.count).toBeGreaterThan(0);
    await act(() => page.click(`[data-testid=map] path[data-area="${busiest.area}"]`, { force: true }));
    expect(search().getAll('geo_community_area')).toEqual([String(busiest.area)]);
    expect(await rowsMatching()).toBe(busiest.count);
    expect(await page.getAttribute(`[data-testid=map] path[data-area="${busiest.area}"]`, 'class')).toContain('chosen');
  });
  it('pages with the cursor, and Back returns to the page before', async () => {
    const first = await tableIds();
    const shownCount = await rowsMatching();
    const made = await act(() => page.click('text=Next page'));
    expect(search().get('cursor')).toBeTruthy();
    // The next page asks for its rows; the count is the same and is not asked again. (Clicking
    // scrolls the pager into view, which may bring facets below the fold near: they load then.)
    const lists = made.filter((path) => !path.includes('/aggregate'));
    expect(lists).toHaveLength(1);
    expect(lists[0]).toContain('cursor=');
    expect(made.filter((path) => path.includes('/aggregate') && !path.includes('group_by=') && !path.includes('bucket='))).toEqual([]);
    expect(await rowsMatching()).toBe(shownCount);
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

  it('shows every dataset the API serves without an error, with a chart wherever it can count by time', async () => {
    const { body } = await server.get('/v1/datasets');
    const spec = (await server.get('/openapi.json')).body as { paths: Record<string, { get?: { parameters?: Array<{ name?: string }> } }> };
    for (const { key, row_count } of body.data as Array<{ key: string; row_count: number }>) {
      await act(() => page.selectOption('[data-testid=dataset-picker]', key));
      expect(search().get('dataset')).toBe(key);
      expect(await page.$$eval('.error', (errors) => errors.map((error) => error.textContent))).toEqual([]);
      expect(await page.$$eval('[data-testid=rows] tbody tr', (rows) => rows.length)).toBe(Math.min(50, row_count));
      if (row_count > 0) expect(await rowsMatching()).toBe(row_count);
      const bucketed = spec.paths[`/v1/${key}/aggregate`]?.get?.parameters?.some((parameter) => parameter.name === 'bucket');
      if (bucketed && row_count > 0) expect(await sumOf('[data-testid=chart] rect.bar'), key).toBeGreaterThan(0);
    }
    await act(() => page.goBack());
    expect(search().get('dataset')).not.toBe(body.data.at(-1).key);
  });

  it('reproduces a link at desktop and phone width; nothing left the origin or logged an error', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await load(() => page.goto(`${server.url}/explore?dataset=crimes&primary_type=THEFT&areas=community`));
    expect(await rowsMatching()).toBe(await countCrimes(`primary_type = 'THEFT'`));
    expect(await page.textContent('[data-testid=filter-chip]')).toContain('primary_type: THEFT');
    expect(await page.getAttribute('[data-testid=facet-value][data-column=primary_type][data-value=THEFT]', 'aria-pressed')).toBe('true');
    // Facets below the fold load when scrolled near: the full-page screenshot shows them loaded.
    await act(() => page.evaluate(() => scrollTo(0, document.body.scrollHeight)));
    await page.evaluate(() => scrollTo(0, 0));
    await page.screenshot({ path: `${SCREENSHOTS}explorer-desktop.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    const before = asked.length;
    await load(() => page.reload());
    // At phone width the map is below the fold: it asks for its counts once scrolled near.
    expect(asked.slice(before).filter((path) => path.includes('group_by=geo_community_area'))).toEqual([]);
    const made = await act(() => page.locator('[data-testid=map]').scrollIntoViewIfNeeded());
    expect(made.filter((path) => path.includes('group_by=geo_community_area'))).toHaveLength(1);
    expect(await sumOf('[data-testid=map] path[data-area]')).toBe(await countCrimes(`primary_type = 'THEFT' AND geo_community_area IS NOT NULL`));
    await act(() => page.evaluate(() => scrollTo(0, document.body.scrollHeight)));
    await page.evaluate(() => scrollTo(0, 0));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOTS}explorer-phone.png`, fullPage: true });
    expect(outside).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
