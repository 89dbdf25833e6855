/**
 * Child process of the footprint benchmark: exactly `ringback start --quiet --config <file>`
 * (startCommand: the daemon, its reconciler and sync schedule, the dashboard), plus an IPC answer
 * with this process's own process.cpuUsage() and process.memoryUsage() when asked for a sample.
 */
import { startCommand } from '../src/cli/commands/run.js';

// Start-up (first sync, reconcile over every interview) is where the memory peaks: RSS and heap
// are watched every 50 ms until the first sample, then the watch stops so as not to add to the
// idle CPU being measured.
const startup = { rss: 0, heapUsed: 0 };
const watch = setInterval(() => {
  const { rss, heapUsed } = process.memoryUsage();
  startup.rss = Math.max(startup.rss, rss);
  startup.heapUsed = Math.max(startup.heapUsed, heapUsed);
}, 50);
watch.unref();

process.on('message', (message: unknown) => {
  clearInterval(watch);
  // 'sample-after-gc' (only at the very end) first collects garbage, to tell live memory from
  // garbage V8 has not collected yet; it needs --expose-gc, which changes nothing else.
  if (message === 'sample-after-gc') (globalThis as { gc?: () => void }).gc?.();
  if (message === 'sample' || message === 'sample-after-gc') process.send?.({ cpu: process.cpuUsage(), memory: process.memoryUsage(), startupPeak: startup, at: Date.now() });
});

startCommand({ config: process.argv[2] as string, quiet: true }).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`footprint daemon: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
