import { describe, expect, it } from 'vitest';
import { Slots } from '../src/middleware/export-slots.js';

/** The heavy-request bound waits briefly for a slot instead of refusing at once (#23). */
const never = () => undefined;

describe('Slots.acquire', () => {
  it('hands a freed slot to the first waiter, in order', async () => {
    const slots = new Slots(1);
    const first = slots.tryAcquire()!;
    const order: string[] = [];
    const a = slots.acquire(1_000, 8, never).then((release) => (order.push('a'), release));
    const b = slots.acquire(1_000, 8, never).then((release) => (order.push('b'), release));
    expect(slots.waiting).toBe(2);
    first();
    const releaseA = (await a)!;
    expect(order).toEqual(['a']);
    expect(slots.inUse).toBe(1);
    releaseA();
    releaseA(); // idempotent: the slot is handed on once
    expect(await b).toBeTypeOf('function');
    expect(order).toEqual(['a', 'b']);
    expect(slots.inUse).toBe(1);
    expect(slots.waiting).toBe(0);
  });

  it('refuses after the wait, beyond the queue, and at once with no capacity', async () => {
    const slots = new Slots(1);
    slots.tryAcquire();
    const started = Date.now();
    expect(await slots.acquire(50, 8, never)).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    const waiting = slots.acquire(200, 1, never);
    expect(await slots.acquire(10_000, 1, never)).toBeUndefined();
    expect(slots.waiting).toBe(1);
    expect(await new Slots(0).acquire(10_000, 8, never)).toBeUndefined();
    expect(await waiting).toBeUndefined();
  });

  it('drops a waiter whose client left, and the slot goes to the next one', async () => {
    const slots = new Slots(1);
    const held = slots.tryAcquire()!;
    let leave: () => void = () => undefined;
    const gone = slots.acquire(10_000, 8, (cancel) => (leave = cancel));
    const next = slots.acquire(10_000, 8, never);
    leave();
    expect(await gone).toBeUndefined();
    held();
    expect(await next).toBeTypeOf('function');
    expect(slots.inUse).toBe(1);
  });
});
