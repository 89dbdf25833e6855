/**
 * The engine as `ringback start` builds it (openRuntime + buildEngine: real Redis, BullMQ queues,
 * the Maildir mailbox), on a benchmark's private Redis. Calendars the factory does not build yet
 * (Google) are put in by the benchmark as ready-made sources, behind the same rate gate.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedConfig } from '../../config/types.js';
import { createLogger } from '../../src/cli/io.js';
import { parseConfigObject } from '../../config/load.js';
import { buildEngine, closeEngine, openRuntime, type Runtime } from '../../src/daemon/runtime.js';
import type { Engine } from '../../src/engine/context.js';
import type { CalendarSource } from '../../src/providers/calendar/types.js';
import { gateCalendar } from '../../src/providers/rate-gate.js';
import { storeRateLimits } from '../../src/store/rate-limits.js';

export const CANDIDATE = { name: 'Ada Park', email: 'ada@example.org', phone: '+1 415 555 0100', timezone: 'America/New_York' };

/** A fixed secret key: benchmarks store no secret worth the name. */
export const BENCH_SECRET_KEY = '11'.repeat(32);

export interface BenchEngine {
  readonly dir: string;
  readonly maildir: string;
  readonly config: ResolvedConfig;
  readonly runtime: Runtime;
  readonly engine: Engine;
  close(): Promise<void>;
}

/** The raw config a benchmark runs with (also written to a file for child processes). */
export function benchConfigObject(options: {
  redisUrl: string;
  dir: string;
  prefix?: string;
  calendars?: readonly Record<string, unknown>[];
  mailbox?: boolean;
}): Record<string, unknown> {
  return {
    candidate: CANDIDATE,
    redis: options.redisUrl,
    dataDir: join(options.dir, 'data'),
    prefix: options.prefix ?? 'bench',
    calendars: options.calendars ?? [],
    mailbox: options.mailbox === false ? null : { type: 'maildir', id: 'mail', path: join(options.dir, 'mail') },
    log: { level: 'warn' },
  };
}

export async function openBenchEngine(options: {
  redisUrl: string;
  prefix?: string;
  /** Sources the benchmark built itself, by account id. */
  sources?: ReadonlyMap<string, CalendarSource>;
  /** Calendars for the factory (ics). */
  calendars?: readonly Record<string, unknown>[];
  mailbox?: boolean;
  dir?: string;
}): Promise<BenchEngine> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'ringback-bench-')));
  const maildir = join(dir, 'mail');
  for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(maildir, sub), { recursive: true });
  const config = parseConfigObject(
    benchConfigObject({ redisUrl: options.redisUrl, dir, ...(options.prefix ? { prefix: options.prefix } : {}), ...(options.calendars ? { calendars: options.calendars } : {}), ...(options.mailbox === false ? { mailbox: false } : {}) }),
    { baseDir: dir, env: {} },
  );
  const runtime = await openRuntime(config, { secretKeyEnv: BENCH_SECRET_KEY, log: createLogger('silent') });
  const built = await buildEngine(runtime);
  if (built.problems.length > 0) throw new Error(`benchmark engine: ${built.problems.map((p) => p.message).join('; ')}`);
  const calendars = new Map(built.engine.calendars);
  // Behind the rate gate, as buildEngine puts every calendar it builds (src/daemon/runtime.ts): the
  // daemon reads the account's wait before each request, and the benchmark counts it too.
  const gating = { limits: storeRateLimits(runtime.store), zone: config.candidate.timezone };
  for (const [id, source] of options.sources ?? []) calendars.set(id, gateCalendar(source, gating));
  const engine: Engine = { ...built.engine, calendars };
  return {
    dir,
    maildir,
    config,
    runtime,
    engine,
    async close() {
      await closeEngine(engine);
      await runtime.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
