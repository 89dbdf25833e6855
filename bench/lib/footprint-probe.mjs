/**
 * Preloaded (`node --import`) into the footprint benchmark's daemon, which is exactly
 * `bin/ringback.js start --quiet --config <file>` as a user runs it: compiled when the build is
 * current, the sources through tsx otherwise (bin/compiled.js). Plain JavaScript, so that it adds
 * no loader of its own. It answers an IPC sample with this process's own process.cpuUsage() and
 * process.memoryUsage().
 */
import process from 'node:process';
import { clearInterval, setInterval } from 'node:timers';

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

process.on('message', (message) => {
  clearInterval(watch);
  // 'sample-after-gc' (only at the very end) first collects garbage, to tell live memory from
  // garbage V8 has not collected yet; it needs --expose-gc, which changes nothing else.
  if (message === 'sample-after-gc') globalThis.gc?.();
  if (message === 'sample' || message === 'sample-after-gc') process.send?.({ cpu: process.cpuUsage(), memory: process.memoryUsage(), startupPeak: startup, at: Date.now() });
});
// The IPC channel must not keep the daemon alive once `ringback start` has stopped.
process.channel?.unref();
