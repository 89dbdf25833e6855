/** Giving start-up memory back: one collection, only while quiet, a few tries, a stop that holds, and the young generation shrunk. */
import { getHeapSpaceStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { fullCollection, releaseStartupMemory } from '../../src/daemon/release-memory.js';

function until(check: () => boolean, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) resolve();
      else if (Date.now() > deadline) reject(new Error('condition not met in time'));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

describe('releaseStartupMemory', () => {
  it('collects once quiet, once only, and says so once', async () => {
    const answers = [false, false, true, true];
    const asked: number[] = [];
    let collected = 0;
    const done: Array<[number, number]> = [];
    releaseStartupMemory({
      quiet: async () => {
        asked.push(Date.now());
        return answers.shift() ?? true;
      },
      retryMs: 10,
      collect: () => {
        collected++;
      },
      onDone: (before, after) => done.push([before, after]),
    });
    await until(() => done.length === 1);
    expect(asked).toHaveLength(3);
    expect(collected).toBe(1);
    expect(done[0]![0]).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(asked).toHaveLength(3);
    expect(collected).toBe(1);
  });

  it('never collects while busy, gives up after its tries, and reports a failed check', async () => {
    let asked = 0;
    const errors: string[] = [];
    let collected = 0;
    releaseStartupMemory({
      quiet: async () => {
        asked++;
        if (asked === 2) throw new Error('redis: connection lost');
        return false;
      },
      retryMs: 5,
      tries: 4,
      collect: () => {
        collected++;
      },
      onError: (error) => errors.push(error.message),
    });
    await until(() => asked === 4);
    await new Promise((r) => setTimeout(r, 60));
    expect(asked).toBe(4);
    expect(collected).toBe(0);
    expect(errors).toEqual(['could not tell whether actions are due: redis: connection lost']);
  });

  it('does nothing once stopped while it waits for a quiet moment', async () => {
    let asked = 0;
    let collected = 0;
    const release = releaseStartupMemory({
      quiet: async () => {
        asked++;
        return asked > 1;
      },
      retryMs: 30,
      collect: () => {
        collected++;
      },
    });
    await until(() => asked === 1);
    release.stop();
    await new Promise((r) => setTimeout(r, 80));
    expect(asked).toBe(1);
    expect(collected).toBe(0);
  });

  it('reports a collection that failed instead of letting it through', async () => {
    const errors: string[] = [];
    const done: number[] = [];
    releaseStartupMemory({
      quiet: async () => true,
      collect: () => {
        throw new Error('no heap');
      },
      onDone: () => done.push(1),
      onError: (error) => errors.push(error.message),
    });
    await until(() => errors.length === 1);
    expect(errors).toEqual(['the collection failed: no heap']);
    expect(done).toEqual([]);
  });

  it("exposes V8's full collection without a command-line flag, and it frees unreachable memory", async () => {
    const gc = fullCollection();
    expect(typeof gc).toBe('function');
    let big: number[][] | null = Array.from({ length: 200 }, () => new Array<number>(10_000).fill(1));
    const withGarbage = process.memoryUsage().heapUsed;
    expect(big.length).toBe(200);
    big = null;
    gc();
    expect(process.memoryUsage().heapUsed).toBeLessThan(withGarbage - 8_000_000);
  });

  it('gives the young generation back at once, in the collection right after the start-up work', async () => {
    // A start-up's allocations grow V8's young generation to its largest; an ordinary full
    // collection keeps it, and V8 shrinks it only in a collection made after 5 s of little
    // allocation. Objects that outlive a few scavenges grow it, as a reconcile's pages do.
    const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
    let kept: { n: number; text: string }[] = [];
    for (let i = 0; i < 3_000_000 && young() < 16_000_000; i++) {
      const item = { n: i, text: `item ${i}` };
      if (i % 10 === 0) kept.push(item);
      if (kept.length > 200_000) kept = [];
    }
    kept = [];
    const grown = young();
    expect(grown).toBeGreaterThanOrEqual(16_000_000);
    const done: Array<[number, number]> = [];
    releaseStartupMemory({ quiet: async () => true, onDone: (before, after) => done.push([before, after]) });
    await until(() => done.length === 1);
    expect(young()).toBeLessThanOrEqual(grown / 4);
    expect(done[0]![1]).toBeLessThan(done[0]![0]);
  });
});
