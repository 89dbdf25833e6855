/**
 * Child process of the fire benchmark's "two processes" rows: the daemon as `ringback start`
 * builds it (config file → openRuntime → buildEngine → startDaemon, the same actions concurrency
 * as the one-process row), in a process of its own, since one Node process is one event loop.
 *
 * It tells the benchmark over IPC when each action job is handed to its processor (the worker's
 * `active` event) and when it completes, stamped with Date.now() as they happen (one machine, one
 * clock). The stamps go out in batches every 100 ms, so that a burst of 1,000 jobs does not also
 * cost 2,000 IPC messages in the middle of the measurement.
 *
 * Usage: fork('fire-child.ts', [<config file>, <actions concurrency>]); it sends `{ ready }`, then
 * `{ events }`; answers 'stop' by stopping the daemon, sending `{ stopped }` and exiting.
 */
import { loadConfig } from '../../config/load.js';
import { createLogger } from '../../src/cli/io.js';
import { startDaemon } from '../../src/daemon/daemon.js';
import { buildEngine, closeEngine, openRuntime } from '../../src/daemon/runtime.js';
import { BENCH_SECRET_KEY } from './engine.js';

/** One stamp: what happened, the action job's id, when (ms since the epoch). */
export type FireEvent = readonly ['active' | 'completed', string, number];

export type FireChildMessage =
  | { readonly ready: number }
  | { readonly events: readonly FireEvent[] }
  | { readonly stopped: number }
  | { readonly failed: string };

const send = (message: FireChildMessage) => process.send?.(message);

async function main(): Promise<void> {
  const [file, concurrency] = process.argv.slice(2);
  if (!file) throw new Error('usage: fire-child.ts <config file> <actions concurrency>');
  const config = await loadConfig({ file, env: {}, cwd: process.cwd() });
  const runtime = await openRuntime(config, { secretKeyEnv: BENCH_SECRET_KEY, log: createLogger('silent') });
  const { engine } = await buildEngine(runtime);
  const daemon = await startDaemon(runtime, engine, { actionConcurrency: Number(concurrency ?? 4) });
  let batch: FireEvent[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    send({ events: batch });
    batch = [];
  };
  const timer = setInterval(flush, 100);
  daemon.workers.actions.on('active', (job: { id?: string }) => batch.push(['active', job.id ?? '', Date.now()]));
  daemon.workers.actions.on('completed', (job: { id?: string }) => batch.push(['completed', job.id ?? '', Date.now()]));
  process.on('message', (message: unknown) => {
    if (message !== 'stop') return;
    const stop = async () => {
      await daemon.stop();
      clearInterval(timer);
      flush();
      await closeEngine(engine);
      await runtime.close();
      send({ stopped: process.pid });
    };
    stop().then(
      () => process.disconnect(),
      (error: unknown) => {
        send({ failed: error instanceof Error ? error.message : String(error) });
        process.exit(1);
      },
    );
  });
  // The benchmark died: nobody reads the figures, and the daemon must not outlive it.
  process.on('disconnect', () => process.exit(0));
  send({ ready: process.pid });
}

main().catch((error: unknown) => {
  send({ failed: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
