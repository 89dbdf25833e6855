/**
 * Child process of the footprint benchmark: exactly `ringback start --quiet --config <file>`
 * (startCommand: the daemon, its reconciler and sync schedule, the dashboard), plus an IPC answer
 * with this process's own process.cpuUsage() and process.memoryUsage() when asked for a sample.
 */
import { startCommand } from '../src/cli/commands/run.js';

process.on('message', (message: unknown) => {
  // 'sample-after-gc' (only at the very end) first collects garbage, to tell live memory from
  // garbage V8 has not collected yet; it needs --expose-gc, which changes nothing else.
  if (message === 'sample-after-gc') (globalThis as { gc?: () => void }).gc?.();
  if (message === 'sample' || message === 'sample-after-gc') process.send?.({ cpu: process.cpuUsage(), memory: process.memoryUsage(), at: Date.now() });
});

startCommand({ config: process.argv[2] as string, quiet: true }).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`footprint daemon: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
