/** The request slots of one mailbox: never more than the limit at once, first come first served, a wait can be abandoned. */
import { describe, expect, it } from 'vitest';
import { createRequestSlots } from '../../../src/providers/microsoft/concurrency.js';

function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe('request slots', () => {
  it('runs at most the limit at once, and the waiting ones in the order they came', async () => {
    const slots = createRequestSlots(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, gate);
    const runs = gates.map((g, i) =>
      slots.run(async () => {
        started.push(i);
        running += 1;
        most = Math.max(most, running);
        await g.promise;
        running -= 1;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    gates[1]!.open();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it('a failing call frees its slot', async () => {
    const slots = createRequestSlots(1);
    await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await slots.run(() => Promise.resolve('next'))).toBe('next');
  });

  it('a wait abandoned by its signal rejects with the reason and takes no slot', async () => {
    const slots = createRequestSlots(1);
    const held = gate();
    const first = slots.run(() => held.promise);
    const controller = new AbortController();
    const abandoned = slots.run(() => Promise.resolve('never'), controller.signal);
    controller.abort(new Error('timed out'));
    await expect(abandoned).rejects.toThrow('timed out');
    held.open();
    await first;
    expect(await slots.run(() => Promise.resolve('free'))).toBe('free');
  });
});
