/**
 * Gives the memory of the start-up work back to the system once the daemon is quiet.
 *
 * The first sync and reconcile allocate a lot (about 620 MB in all over 10,000 interviews), and V8
 * keeps the pages it grew for them until its memory reducer runs, 20–65 s later on the benchmark
 * machine: the idle daemon sat near 200 MB for that long. Two full collections, the second a few
 * seconds after the first (V8 shrinks its young generation only in a collection made while little
 * is being allocated), brought it to about 130 MB. Made just before a burst of due drafts, they
 * made that burst later (bench/README, "Start-up memory given back by two forced collections"), so
 * each runs only while no action runs or falls due within the next minute.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface MemoryReleaseOptions {
  /** True while no action runs, waits or falls due soon. */
  readonly quiet: () => Promise<boolean>;
  /** @defaultValue 5000 */
  readonly secondAfterMs?: number;
  /** How long to wait before asking again when the daemon was busy. @defaultValue 30000 */
  readonly retryMs?: number;
  /** How many times to ask before giving up: a daemon busy that long has no start-up idle to trim. @defaultValue 20 */
  readonly tries?: number;
  /** Called once both collections ran, with the process's RSS before the first and after the second. */
  readonly onDone?: (rssBefore: number, rssAfter: number) => void;
  readonly onError?: (error: Error) => void;
  /** The full collection; the default exposes V8's own without a command-line flag. */
  readonly collect?: () => void;
}

export interface MemoryRelease {
  stop(): void;
}

/** V8's full collection, exposed at run time (the `--expose-gc` flag applies to contexts made after it is set). */
export function fullCollection(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

export function releaseStartupMemory(options: MemoryReleaseOptions): MemoryRelease {
  const secondAfterMs = options.secondAfterMs ?? 5_000;
  const retryMs = options.retryMs ?? 30_000;
  let triesLeft = options.tries ?? 20;
  let collect = options.collect;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let rssBefore = 0;

  const later = (step: 0 | 1, ms: number) => {
    timer = setTimeout(() => void attempt(step), ms);
    timer.unref();
  };
  const attempt = async (step: 0 | 1): Promise<void> => {
    if (stopped) return;
    let quiet = false;
    try {
      quiet = await options.quiet();
    } catch (error) {
      options.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
    if (stopped) return;
    if (!quiet) {
      if (--triesLeft > 0) later(step, retryMs);
      return;
    }
    collect ??= fullCollection();
    if (step === 0) rssBefore = process.memoryUsage.rss();
    collect();
    if (step === 0) later(1, secondAfterMs);
    else options.onDone?.(rssBefore, process.memoryUsage.rss());
  };

  void attempt(0);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
