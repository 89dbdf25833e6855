/**
 * Gives the memory of the start-up work back to the system once the daemon is quiet.
 *
 * The first sync and reconcile allocate a lot (about 620 MB in all over 10,000 interviews), and V8
 * keeps the pages it grew for them until its memory reducer runs, 20–65 s later on the benchmark
 * machine: the idle daemon sat near 200 MB for that long. An ordinary full collection frees the
 * garbage but keeps the young generation at the size the start-up grew it to (about 40 MB of RSS):
 * V8 shrinks it only in a collection made after 5 s of little allocation, so two collections 5 s
 * apart were needed, and the daemon held about 160 MB for those 5 s. V8's collection for low
 * memory (what the memory reducer runs) shrinks it at once: one collection brings the daemon from
 * about 200 MB to about 120 MB (bench/README.md, "Start-up memory given back in one collection").
 * Made just before a burst of due drafts, collections made that burst later (bench/README, "Start-up
 * memory given back by two forced collections"), so it runs only while no action runs or falls due
 * within the next minute.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface MemoryReleaseOptions {
  /** True while no action runs, waits or falls due soon. */
  readonly quiet: () => Promise<boolean>;
  /** How long to wait before asking again when the daemon was busy. @defaultValue 30000 */
  readonly retryMs?: number;
  /** How many times to ask before giving up: a daemon busy that long has no start-up idle to trim. @defaultValue 20 */
  readonly tries?: number;
  /** Called once the collection ran, with the process's RSS before and after it. */
  readonly onDone?: (rssBefore: number, rssAfter: number) => void;
  /** A check of `quiet` that failed (asked again later), or a collection that failed (not tried again). */
  readonly onError?: (error: Error) => void;
  /** The collection. @defaultValue {@link lowMemoryCollection} */
  readonly collect?: () => Promise<void> | void;
}

export interface MemoryRelease {
  stop(): void;
}

/** V8's full collection, exposed at run time (the `--expose-gc` flag applies to contexts made after it is set). */
export function fullCollection(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * V8's collection for low memory (`Isolate::LowMemoryNotification`: full collections until nothing
 * more is freed, the young generation shrunk to its least), reached through this process's own
 * inspector (`HeapProfiler.collectGarbage`, an in-process session: no port is opened). A Node built
 * without the inspector has no way to it: there, a full collection, and V8's memory reducer shrinks
 * the young generation later.
 */
export async function lowMemoryCollection(): Promise<void> {
  let inspector: typeof import('node:inspector/promises');
  try {
    inspector = await import('node:inspector/promises');
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_INSPECTOR_NOT_AVAILABLE') throw error;
    fullCollection()();
    return;
  }
  const session = new inspector.Session();
  session.connect();
  try {
    await session.post('HeapProfiler.collectGarbage');
  } finally {
    session.disconnect();
  }
}

export function releaseStartupMemory(options: MemoryReleaseOptions): MemoryRelease {
  const retryMs = options.retryMs ?? 30_000;
  const collect = options.collect ?? lowMemoryCollection;
  let triesLeft = options.tries ?? 20;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const attempt = async (): Promise<void> => {
    if (stopped) return;
    let quiet = false;
    try {
      quiet = await options.quiet();
    } catch (error) {
      options.onError?.(new Error(`could not tell whether actions are due: ${error instanceof Error ? error.message : String(error)}`));
    }
    if (stopped) return;
    if (!quiet) {
      if (--triesLeft > 0) {
        timer = setTimeout(() => void attempt(), retryMs);
        timer.unref();
      }
      return;
    }
    const rssBefore = process.memoryUsage.rss();
    try {
      await collect();
    } catch (error) {
      options.onError?.(new Error(`the collection failed: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }
    options.onDone?.(rssBefore, process.memoryUsage.rss());
  };

  void attempt();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
