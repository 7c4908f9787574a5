import { describe, expect, it } from 'vitest';
import { bucketStarts, fittingBucket } from '../src/buckets.js';
import type { DatasetInfo } from '../src/catalog.js';
import { curlCommand, csvHref, sdkCode } from '../src/exports.js';
import { formatAxisCount } from '../src/format.js';
import { EMPTY_STATE, parseState, stateToSearch, toggleFilter, withDataset } from '../src/state.js';

const crimes: DatasetInfo = {
  key: 'crimes',
  sdkName: 'crimes',
  title: 'Crimes',
  rowCount: 6957,
  lastLoadedAt: null,
  timeColumn: 'date',
  points: true,
  filters: ['primary_type', 'ward', 'zip'],
  groupable: ['primary_type', 'ward'],
  buckets: ['year', 'quarter', 'month', 'week', 'day', 'dow', 'hour'],
};

describe('the URL state', () => {
  it('reads back what it writes, values in the order chosen', () => {
    const state = { ...EMPTY_STATE, dataset: 'crimes', from: '2014-03-01', to: '2014-03-08', chart: 'dow' as const, cursor: 'abc' };
    const chosen = toggleFilter(toggleFilter(state, 'primary_type', 'THEFT'), 'primary_type', 'CRIMINAL DAMAGE');
    const search = stateToSearch(chosen);
    expect(search).toBe('?dataset=crimes&from=2014-03-01&to=2014-03-08&primary_type=THEFT&primary_type=CRIMINAL+DAMAGE&chart=dow');
    expect(parseState(search)).toEqual({ ...chosen, cursor: null });
  });

  it('toggling a chosen value removes it, and another dataset starts without filters', () => {
    const once = toggleFilter(EMPTY_STATE, 'ward', '3');
    expect(toggleFilter(once, 'ward', '3').filters).toEqual({});
    expect(withDataset({ ...once, chart: 'hour' }, 'business-licenses')).toEqual({ ...EMPTY_STATE, dataset: 'business-licenses', chart: 'hour' });
  });

  it('ignores malformed dates and unknown views', () => {
    expect(parseState('?from=March&to=2014-3-1&chart=pie&areas=moon')).toMatchObject({ from: null, to: null, chart: 'time', areas: 'community' });
  });
});

describe('the chart buckets', () => {
  it('fit the range: days up to a quarter, then weeks, months, years', () => {
    expect(fittingBucket('2014-02-28', '2014-03-16', crimes.buckets)).toBe('day');
    expect(fittingBucket('2014-01-01', '2015-01-01', crimes.buckets)).toBe('week');
    expect(fittingBucket('2010-01-01', '2015-01-01', crimes.buckets)).toBe('month');
    expect(fittingBucket('2001-01-01', '2026-01-01', crimes.buckets)).toBe('year');
  });

  it('start weeks on Monday and cover the range', () => {
    // 2014-03-01 was a Saturday.
    expect(bucketStarts('2014-03-01', '2014-03-17', 'week')).toEqual(['2014-02-24', '2014-03-03', '2014-03-10']);
    expect(bucketStarts('2014-11-15', '2015-03-01', 'quarter')).toEqual(['2014-10-01', '2015-01-01']);
  });
});

describe('the exports', () => {
  const state = toggleFilter({ ...EMPTY_STATE, dataset: 'crimes', from: '2014-03-01' }, 'primary_type', "O'HARE & CO");
  it('quote the curl URL safely and page like the table', () => {
    expect(curlCommand('http://localhost:3000', crimes, state)).toBe(
      "curl -s 'http://localhost:3000/v1/crimes?from=2014-03-01&primary_type=O%27HARE%20%26%20CO&limit=50'",
    );
    expect(csvHref(crimes, state)).toBe('/v1/crimes?from=2014-03-01&primary_type=O%27HARE%20%26%20CO&format=csv');
  });

  it('write SDK code with camelCase parameters', () => {
    expect(sdkCode('http://localhost:3000', crimes, state)).toContain(
      `lf.crimes.list({ from: "2014-03-01", primaryType: ["O'HARE & CO"], limit: 50 })`,
    );
  });
});

describe('the chart axis', () => {
  it('labels the highest bar in at most six characters, which the 44 px margin holds', () => {
    expect([165, 9999, 26469, 326469, 1476461, 8000000].map(formatAxisCount)).toEqual(['165', '9,999', '26.5K', '326K', '1.48M', '8M']);
  });
});
