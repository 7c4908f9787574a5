import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { datasets, type DatasetDefinition } from '../../core/datasets/index.js';
import { composeSpec } from '../compose.js';
import type { DatasetOperation } from '../datasets/parts.js';
import { listOperation } from '../datasets/list.js';
import { DATASET_OPERATIONS } from '../datasets/operations.js';

/**
 * A dataset is one definition: composing the base with a new definition adds its list path,
 * response and schemas, in place, and nothing else; a second per-dataset operation plugs in by
 * being listed. Names that collide fail generation instead of overwriting each other.
 */
const base = readFileSync(new URL('../base.yaml', import.meta.url), 'utf8');

const parks = {
  key: 'park-events',
  title: 'Park District Events',
  sourceIds: ['abcd-1234'],
  table: 'park_events',
  schemaName: 'ParkEvent',
  sync: { schedule: '5 3 * * *', cadence: 'daily' },
  primaryKey: ['event_id'],
  timeColumn: 'starts_at',
  filters: ['category'],
  columns: [
    { name: 'event_id', type: 'text' },
    { name: 'category', type: 'text' },
    { name: 'starts_at', type: 'timestamp' },
  ],
} as const satisfies DatasetDefinition;

describe('composeSpec', () => {
  it('writes the committed spec from the base and the definitions (the drift check in a test)', () => {
    const committed = readFileSync(new URL('../lakefront.yaml', import.meta.url), 'utf8');
    expect(composeSpec(base, datasets, DATASET_OPERATIONS)).toBe(committed);
  });

  it('adds a new definition\'s path after the catalogue and its schemas after DatasetList, and nothing else', () => {
    const without = parse(composeSpec(base, datasets, [listOperation]));
    const withParks = parse(composeSpec(base, [...datasets, parks], [listOperation]));
    const added = (section: Record<string, unknown>, before: Record<string, unknown>) => Object.keys(section).filter((name) => !(name in before));
    expect(added(withParks.paths, without.paths)).toEqual(['/v1/park-events']);
    expect(added(withParks.components.responses, without.components.responses)).toEqual(['ParkEventList']);
    expect(added(withParks.components.schemas, without.components.schemas)).toEqual(['ParkEvent', 'ParkEventPage']);
    const paths = Object.keys(withParks.paths);
    expect(paths.indexOf('/v1/park-events')).toBeLessThan(paths.findIndex((path) => path.startsWith('/v1/reports/')));
    expect(withParks.paths['/v1/park-events'].get.operationId).toBe('listParkEvents');
    expect(Object.keys(withParks.components.schemas.ParkEvent.properties)).toEqual(['event_id', 'category', 'starts_at']);
  });

  it('places a further per-dataset operation after each dataset\'s list', () => {
    const count: DatasetOperation = {
      name: 'count',
      appliesTo: (dataset) => dataset.timeColumn !== undefined,
      parts: (dataset) => ({ paths: { [`/v1/${dataset.key}/count`]: { get: { operationId: `count-${dataset.key}` } } } }),
    };
    const paths = Object.keys(parse(composeSpec(base, [parks], [listOperation, count])).paths);
    expect(paths.slice(paths.indexOf('/v1/datasets'), paths.indexOf('/v1/datasets') + 3)).toEqual(['/v1/datasets', '/v1/park-events', '/v1/park-events/count']);
  });

  it('fails on a name defined twice', () => {
    const clash = { ...parks, key: 'park-events-2', schemaName: 'Dataset' };
    expect(() => composeSpec(base, [clash], [listOperation])).toThrow('park-events-2 (list): components.schemas.Dataset is defined twice');
  });
});
