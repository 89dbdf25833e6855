/**
 * The run of one scenario on its own Redis: the Redis, and whatever the scenario opens on it
 * (the benchmark engine, the Google stand-in, raw queues, a daemon), closed last-opened first
 * however the run ends.
 */
import { openBenchEngine, type BenchEngine } from './engine.js';
import type { ScenarioContext } from './figures.js';
import { startRedisFor, type BenchRedis } from './redis.js';

export interface BenchSession {
  readonly redis: BenchRedis;
  /** The benchmark engine on this Redis, closed at the end. */
  openEngine(options?: Omit<Parameters<typeof openBenchEngine>[0], 'redisUrl'>): Promise<BenchEngine>;
  /** Runs `close` at the end, before whatever was opened earlier is closed. */
  defer(close: () => Promise<unknown> | undefined): void;
}

/** Starts the scenario's Redis (`--redis`, `--redis-config`), runs `work`, closes everything. */
export async function onOwnRedis<T>(context: ScenarioContext, work: (session: BenchSession) => Promise<T>): Promise<T> {
  const redis = await startRedisFor(context);
  const closers: (() => Promise<unknown> | undefined)[] = [];
  const defer = (close: () => Promise<unknown> | undefined) => void closers.push(close);
  try {
    return await work({
      redis,
      defer,
      async openEngine(options = {}) {
        const bench = await openBenchEngine({ ...options, redisUrl: redis.url });
        defer(() => bench.close());
        return bench;
      },
    });
  } finally {
    for (const close of closers.reverse()) await close();
    await redis.stop();
  }
}
