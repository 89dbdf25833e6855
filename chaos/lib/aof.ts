/**
 * What `appendfsync everysec` may lose. A SIGKILLed redis-server loses nothing it acknowledged:
 * its AOF writes are in the OS page cache already, and the OS writes them out. A power cut loses
 * what was not yet fsynced, up to about a second. To play that, the harness samples the size of
 * the AOF's newest incremental file and, after the kill, cuts it back to its size of a second ago
 * (Redis loads a truncated AOF: `aof-load-truncated yes` is the default).
 */
import { readdir, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';

interface Sample {
  readonly at: number;
  readonly file: string;
  readonly size: number;
}

export interface AofWatch {
  /** Cuts the AOF back to what it held `ms` ago; returns the bytes dropped. */
  dropLast(ms: number): Promise<number>;
  stop(): void;
}

async function newestIncrement(dir: string): Promise<string | null> {
  const names = (await readdir(dir)).filter((name) => /\.incr\.aof$/.test(name));
  const number = (name: string) => Number(/\.(\d+)\.incr\.aof$/.exec(name)?.[1] ?? 0);
  return names.sort((a, b) => number(b) - number(a))[0] ?? null;
}

export function watchAof(redisDir: string): AofWatch {
  const dir = join(redisDir, 'appendonlydir');
  const samples: Sample[] = [];
  let sampling: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  const sample = async () => {
    const file = await newestIncrement(dir);
    if (!file) return;
    const { size } = await stat(join(dir, file));
    samples.push({ at: Date.now(), file, size });
    while (samples.length > 200) samples.shift();
  };
  const timer = setInterval(() => {
    sampling = sample().catch((error: unknown) => {
      // ENOENT: Redis is rewriting its AOF; the next sample will do. Anything else is reported by dropLast.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') failure ??= error;
    });
  }, 50);
  return {
    async dropLast(ms) {
      await sampling;
      if (failure) throw failure;
      const file = await newestIncrement(dir);
      if (!file) return 0;
      const { size } = await stat(join(dir, file));
      const cutoff = Date.now() - ms;
      const ofFile = samples.filter((s) => s.file === file);
      const before = [...ofFile].reverse().find((s) => s.at <= cutoff) ?? ofFile[0];
      const keep = before ? before.size : 0;
      if (keep >= size) return 0;
      await truncate(join(dir, file), keep);
      return size - keep;
    },
    stop: () => clearInterval(timer),
  };
}
