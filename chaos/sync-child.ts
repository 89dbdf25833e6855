/**
 * One sync of every calendar of a config, in a process of its own, as `ringback sync --once`
 * runs it, so that the harness can read how long it took and how much memory it needed at most.
 *
 * Usage: `node --import tsx chaos/sync-child.ts <ringback.yaml>` with RINGBACK_SECRET_KEY set.
 * Prints one JSON line: { ms, maxRssMb, summaries: [...], error? }.
 */
import { loadConfig } from '../config/load.js';
import { syncWithLease } from '../workers/sync.js';
import { buildEngine, closeEngine, openRuntime } from '../src/daemon/runtime.js';
import { createLogger } from '../src/cli/io.js';
import type { SyncSummary } from '../src/engine/sync.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: sync-child.ts <ringback.yaml>\n');
  process.exit(2);
}
const config = await loadConfig({ file, env: process.env, cwd: process.cwd() });
const runtime = await openRuntime(config, { secretKeyEnv: process.env.RINGBACK_SECRET_KEY, log: createLogger('warn') });
const { engine } = await buildEngine(runtime);
const started = performance.now();
const summaries: SyncSummary[] = [];
let error: string | undefined;
try {
  for (const id of engine.calendars.keys()) {
    const summary = await syncWithLease(engine, id, new AbortController().signal);
    if (summary) summaries.push(summary);
  }
} catch (failure) {
  error = failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure);
}
const ms = Math.round(performance.now() - started);
const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(`${JSON.stringify({ ms, maxRssMb, summaries, ...(error ? { error } : {}) })}\n`);
await closeEngine(engine);
await runtime.close();
