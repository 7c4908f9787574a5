import { describe, expect, it } from 'vitest';
import { heavySlotsForCores, limitsFromEnv } from '../src/limits.js';

describe('production limits', () => {
  it('serve heavy pages on half the cores, never fewer than one', () => {
    expect([1, 2, 3, 4, 16].map(heavySlotsForCores)).toEqual([1, 1, 1, 2, 8]);
  });

  it('take LAKEFRONT_MAX_HEAVY over the default, and refuse a bound that is not a whole number', () => {
    expect(limitsFromEnv({ LAKEFRONT_MAX_HEAVY: '3' }).maxConcurrentHeavy).toBe(3);
    expect(() => limitsFromEnv({ LAKEFRONT_MAX_HEAVY: 'two' })).toThrow('invalid LAKEFRONT_MAX_HEAVY "two": expected a whole number >= 0');
  });
});
