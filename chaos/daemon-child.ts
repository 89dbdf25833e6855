/**
 * The daemon as `ringback start` builds it, in a process of its own that the chaos harness can
 * SIGKILL: config file → openRuntime → buildEngine → startDaemon. Short job locks
 * (`lockDurationMs` 3 s, stalled check every 1 s) so that the job of a killed process is picked up
 * again within seconds rather than the production 45 s.
 *
 * Usage: `node --import tsx chaos/daemon-child.ts <ringback.yaml>`
 * Environment: RINGBACK_SECRET_KEY (the vault key), CHAOS_RECONCILE_MS (default 10 min, as in
 * production), CHAOS_LOG_LEVEL (default 'debug', so that the secret scan reads everything).
 * Prints `ready <pid>` on stdout once the workers run, then, as `ringback start` does, one line per
 * decision of the audit stream, so that the harness's secret scan reads what a user's terminal or
 * journal would hold. Every process of a shared Redis prints every audit line, so each action job
 * this process itself starts and finishes is printed too (`job active|completed <job id> <ms>`):
 * that is how a harness running several processes tells which one did what.
 */
import { loadConfig } from '../config/load.js';
import { onShutdownSignal, startDaemon } from '../src/daemon/daemon.js';
import { buildEngine, closeEngine, openRuntime } from '../src/daemon/runtime.js';
import { createLogger } from '../src/cli/io.js';
import { formatAuditLine } from '../src/cli/follow.js';
import { followAuditStream } from '../src/read/audit-follow.js';
import { openRedisConnection } from '../src/store/connection.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: daemon-child.ts <ringback.yaml>\n');
  process.exit(2);
}

const config = await loadConfig({ file, env: process.env, cwd: process.cwd() });
const log = createLogger(process.env.CHAOS_LOG_LEVEL ?? 'debug');
const runtime = await openRuntime(config, { secretKeyEnv: process.env.RINGBACK_SECRET_KEY, log });
const { engine, problems } = await buildEngine(runtime);
for (const problem of problems) log.warn({ account: problem.accountId }, `account left out: ${problem.message}`);
const reconcileEveryMs = Number(process.env.CHAOS_RECONCILE_MS ?? 10 * 60_000);
const daemon = await startDaemon(runtime, engine, { lockDurationMs: 3_000, stalledIntervalMs: 1_000, reconcileEveryMs });
process.stdout.write(`ready ${process.pid}\n`);
for (const event of ['active', 'completed'] as const) {
  daemon.workers.actions.on(event, (job: { id?: string }) => process.stdout.write(`job ${event} ${job.id ?? '?'} ${Date.now()}\n`));
}
const follower = followAuditStream(
  openRedisConnection(runtime.redisUrl),
  runtime.config.prefix,
  (record) => process.stdout.write(`${formatAuditLine(record, runtime.config.candidate.timezone)}\n`),
  (error) => log.warn({ err: error.message }, 'audit follower'),
);

onShutdownSignal(async () => {
  await daemon.stop();
  await follower.stop();
  await closeEngine(engine);
  await runtime.close();
});
