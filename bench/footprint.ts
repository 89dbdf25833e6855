/**
 * footprint: `ringback start` idle for 60 s with 10,000 scheduled interviews.
 *
 * The interviews come from an ics calendar of 10,000 phone interviews over the next four weeks,
 * synced once through the engine (syncWithLease), so that Redis holds what a real install holds:
 * interview records, action records, 50,000 delayed jobs, audit lines, event hashes. Then a child
 * process runs `bin/ringback.js start --quiet` on the same config (compiled when the build is current,
 * as for a user; bench/lib/footprint-probe.mjs preloaded to answer samples); once its start-up sync
 * and reconcile are done, it is sampled (process.cpuUsage, memoryUsage over IPC) across an idle
 * minute in which nothing falls due; at the very end once more after a forced GC, to tell live
 * memory from garbage not yet collected. Redis per interview: INFO used_memory after the sync minus
 * before, divided by the interviews.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { currentCompiledEntry } from '../bin/compiled.js';
import { syncWithLease } from '../workers/sync.js';
import { bullPrefix } from '../src/queue/queues.js';
import { SYNC_QUEUE } from '../src/queue/jobs.js';
import { listInterviewIds } from '../src/store/interviews.js';
import { freePort } from '../test/support/redis-server.js';
import { makeCalendar, todayUtc, toIcs } from './lib/calendar-data.js';
import { BENCH_SECRET_KEY, benchConfigObject, openBenchEngine } from './lib/engine.js';
import { info, limit, scaled, sleep, type Scenario, type ScenarioResult } from './lib/figures.js';
import { memoryByKeyKind, startRedisFor } from './lib/redis.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/ringback.js', import.meta.url));
const PROBE = fileURLToPath(new URL('./lib/footprint-probe.mjs', import.meta.url));

interface Sample {
  readonly cpu: { user: number; system: number };
  readonly memory: { rss: number; heapUsed: number };
  /** Highest RSS and heap seen from the daemon's start to its first sample (the start-up). */
  readonly startupPeak: { rss: number; heapUsed: number };
  readonly at: number;
}

function sampler(child: ChildProcess): (kind?: 'sample' | 'sample-after-gc') => Promise<Sample> {
  return (kind = 'sample') =>
    new Promise<Sample>((resolve, reject) => {
      const onMessage = (message: Sample) => {
        child.off('exit', onExit);
        resolve(message);
      };
      const onExit = (code: number | null) => reject(new Error(`the daemon exited (${code}) while being sampled`));
      child.once('message', onMessage);
      child.once('exit', onExit);
      child.send(kind);
    });
}

export const footprint: Scenario = {
  name: 'footprint',
  what: '`ringback start` idle for 60 s with 10,000 scheduled interviews: RSS, CPU, Redis memory per interview',
  async run(context): Promise<ScenarioResult> {
    const began = Date.now();
    const interviews = scaled(10_000, context, 100, 50);
    const idleSeconds = context.tiny ? 3 : 60;
    const redis = await startRedisFor(context);
    const dir = await mkdtemp(join(tmpdir(), 'ringback-footprint-'));
    let child: ChildProcess | null = null;
    let queue: Queue | null = null;
    try {
      const calendarFile = join(dir, 'calendar.ics');
      await writeFile(calendarFile, toIcs(makeCalendar({ account: 0, count: interviews, interviewShare: 1, base: todayUtc() })));
      await mkdir(join(dir, 'mail', 'cur'), { recursive: true });
      const calendars = [{ type: 'ics', id: 'cal', path: calendarFile }];
      const raw = { ...benchConfigObject({ redisUrl: redis.url, dir, calendars }), dashboard: { port: await freePort() } };
      const configFile = join(dir, 'ringback.yaml');
      await writeFile(configFile, `${JSON.stringify(raw, null, 2)}\n`);

      const before = await redis.usedMemory();
      const bench = await openBenchEngine({ redisUrl: redis.url, dir, calendars });
      const t0 = performance.now();
      const summary = await syncWithLease(bench.engine, 'cal', new AbortController().signal);
      const syncSeconds = (performance.now() - t0) / 1000;
      const recorded = (await listInterviewIds(bench.engine.store)).length;
      const jobs = await bench.engine.queues.actions.getDelayedCount();
      await bench.engine.queues.close();
      bench.runtime.redis.disconnect();
      if (!summary || recorded !== interviews) throw new Error(`the first sync recorded ${recorded} of ${interviews} interviews`);
      const after = await redis.usedMemory();
      const byKind = (await memoryByKeyKind(redis.admin)).slice(0, 10).map((g) => ({ ...g, bytesPerInterview: Math.round(g.bytes / interviews) }));
      context.progress(`first sync: ${recorded} interviews, ${jobs} jobs in ${syncSeconds.toFixed(1)} s; Redis +${((after - before) / 1_048_576).toFixed(1)} MB`);

      const env: NodeJS.ProcessEnv = { ...process.env, RINGBACK_SECRET_KEY: BENCH_SECRET_KEY };
      delete env.REDIS_URL;
      delete env.RINGBACK_CONFIG;
      const compiled = currentCompiledEntry(ROOT) !== null;
      context.progress(`daemon: ${compiled ? 'compiled (dist/cli)' : 'the sources through tsx (no current build)'}`);
      child = fork(BIN, ['--config', configFile, 'start', '--quiet'], { cwd: ROOT, env, execArgv: ['--expose-gc', '--import', PROBE], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      const sample = sampler(child);
      const startedAt = Date.now();
      // Start-up: the first sync (the ics file is unchanged) and the reconcile over every interview.
      queue = new Queue(SYNC_QUEUE, { connection: redis.admin, prefix: bullPrefix('bench') });
      for (;;) {
        const counts = await queue.getJobCounts('active', 'waiting', 'completed', 'failed');
        if ((counts.completed ?? 0) + (counts.failed ?? 0) >= 2 && (counts.active ?? 0) === 0 && (counts.waiting ?? 0) === 0) break;
        if (Date.now() - startedAt > 600_000) throw new Error('the daemon did not finish its start-up sync and reconcile in 10 minutes');
        await sleep(250);
      }
      const startupSample = await sample();
      const startupSeconds = (Date.now() - startedAt) / 1000;
      context.progress(`daemon up, start-up sync and reconcile done in ${startupSeconds.toFixed(1)} s; idle for ${idleSeconds} s`);
      await sleep(context.tiny ? 500 : 5_000);

      const first = await sample();
      const redisCpuBefore = await redis.cpuSeconds();
      let peakRss = first.memory.rss;
      const until = Date.now() + idleSeconds * 1000;
      while (Date.now() < until) {
        await sleep(Math.min(5_000, Math.max(0, until - Date.now())));
        peakRss = Math.max(peakRss, (await sample()).memory.rss);
      }
      const last = await sample();
      const redisCpu = (await redis.cpuSeconds()) - redisCpuBefore;
      const collected = await sample('sample-after-gc');
      const elapsedUs = (last.at - first.at) * 1000;
      const cpuShare = (last.cpu.user - first.cpu.user + (last.cpu.system - first.cpu.system)) / elapsedUs;
      const mb = (bytes: number) => bytes / 1_048_576;

      return {
        scenario: 'footprint',
        what: this.what,
        size: { interviews, jobs, idleSeconds },
        figures: [
          limit('daemon RSS, peak over the idle minute', mb(peakRss), 'MB', { max: 150 }),
          limit('daemon CPU over the idle minute', cpuShare * 100, '% of a core', { max: 1 }),
          limit('Redis memory per interview', (after - before) / interviews / 1024, 'KB', { max: 3 }),
          info('daemon heap used at the end of the minute', mb(last.memory.heapUsed), 'MB'),
          info('daemon heap used after a full GC (live data)', mb(collected.memory.heapUsed), 'MB'),
          info('daemon RSS after a full GC', mb(collected.memory.rss), 'MB'),
          info('Redis CPU over the idle minute', (redisCpu / ((last.at - first.at) / 1000)) * 100, '% of a core'),
          info('start-up: sync and reconcile over every interview', startupSeconds, 's'),
          info('start-up: daemon RSS, peak', mb(startupSample.startupPeak.rss), 'MB'),
          info('start-up: daemon heap used, peak', mb(startupSample.startupPeak.heapUsed), 'MB'),
          info('start-up CPU of the daemon', (startupSample.cpu.user + startupSample.cpu.system) / 1e6, 's'),
          info('first sync of the calendar (parent, through the engine)', syncSeconds, 's'),
        ],
        notes: [
          `The child is \`ringback start --quiet\` (bin/ringback.js: daemon, reconciler, sync every 60 s, dashboard), ${compiled ? 'compiled (dist/cli, current with the sources)' : 'through tsx (no current build in dist/cli): the TypeScript loader is part of its RSS'}.`,
          `The calendar is an ics file of ${interviews} interviews (one account); during the idle minute the daemon polls it once (unchanged: read and hashed, not parsed) and nothing falls due.`,
          'Redis memory covers everything the sync wrote: interview and action records, jobs, audit lines, event hashes and busy times.',
        ],
        profile: {
          redisMemoryByKeyKind: byKind,
          summary: `Redis memory per interview by key kind: ${byKind.map((g) => `${g.kind} ${g.bytesPerInterview} B`).join('; ')}`,
        },
        durationMs: Date.now() - began,
        files: [],
      };
    } finally {
      await queue?.close();
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child?.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await exited;
      }
      await redis.stop();
      await rm(dir, { recursive: true, force: true });
    }
  },
};
