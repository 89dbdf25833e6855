/** Giving start-up memory back: two collections, only while quiet, a few tries, and a stop that holds. */
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
  it('collects twice once quiet, the second after its delay, and says so once', async () => {
    const answers = [false, false, true, true];
    const asked: number[] = [];
    const collections: number[] = [];
    const done: Array<[number, number]> = [];
    releaseStartupMemory({
      quiet: async () => {
        asked.push(Date.now());
        return answers.shift() ?? true;
      },
      retryMs: 10,
      secondAfterMs: 40,
      collect: () => collections.push(Date.now()),
      onDone: (before, after) => done.push([before, after]),
    });
    await until(() => done.length === 1);
    expect(asked).toHaveLength(4);
    expect(collections).toHaveLength(2);
    expect(collections[1]! - collections[0]!).toBeGreaterThanOrEqual(35);
    expect(done[0]![0]).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(collections).toHaveLength(2);
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
      collect: () => collected++,
      onError: (error) => errors.push(error.message),
    });
    await until(() => asked === 4);
    await new Promise((r) => setTimeout(r, 60));
    expect(asked).toBe(4);
    expect(collected).toBe(0);
    expect(errors).toEqual(['redis: connection lost']);
  });

  it('does nothing more once stopped', async () => {
    let collected = 0;
    const release = releaseStartupMemory({ quiet: async () => true, secondAfterMs: 30, collect: () => collected++ });
    await until(() => collected === 1);
    release.stop();
    await new Promise((r) => setTimeout(r, 80));
    expect(collected).toBe(1);
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
});
