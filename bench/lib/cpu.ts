/**
 * CPU profiles of one measured phase (`npm run bench -- <scenario> --cpu-prof`): the same
 * profiler as `node --cpu-prof`, started and stopped around the phase through node:inspector, so
 * that seeding and baselines stay out of it. Writes `<scenario>-<phase>.cpuprofile` (open it in
 * Chrome DevTools) and returns a summary by area and function.
 */
import { Session } from 'node:inspector/promises';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { summarize, type ProfileSummary } from '../profile-summary.js';
import type { ScenarioContext } from './figures.js';

export interface PhaseProfile {
  readonly file: string;
  readonly summary: ProfileSummary;
}

/** Runs `work`; when the run asked for profiles, under the CPU profiler. */
export async function profiled<T>(
  context: ScenarioContext,
  name: string,
  work: () => Promise<T>,
  profiles: Record<string, PhaseProfile>,
): Promise<T> {
  if (!context.cpuProfile) return await work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    const file = `${name}.cpuprofile`;
    await writeFile(join(context.resultsDir, file), JSON.stringify(profile));
    profiles[name] = { file, summary: summarize(profile as Parameters<typeof summarize>[0], 12) };
    context.progress(`CPU profile of ${name} written to ${file}`);
  }
}

/** CPU milliseconds of this process and of the benchmark's Redis over one phase. */
export interface CpuUsed {
  readonly processMs: number;
  readonly redisMs: number;
}

/**
 * Starts counting the CPU of this process (`process.cpuUsage`, user + system) and of the
 * benchmark's Redis (INFO cpu), which runs on the same cores; `stop()` gives what each used since.
 * Wall clock also counts the time a process waits for a core that other work holds: on this
 * shared 2-core machine, schedule at `--scale 0.2` gave the same code 20–79% of raw in wall clock
 * from run to run over 16 runs, and a median of 34–35% on CPU (bench/README.md, 2026-12-06).
 */
export async function cpuMeter(redis: { cpuSeconds(): Promise<number> }): Promise<{ stop(): Promise<CpuUsed> }> {
  const redisBefore = await redis.cpuSeconds();
  const before = process.cpuUsage();
  return {
    async stop() {
      const used = process.cpuUsage(before);
      return { processMs: (used.user + used.system) / 1000, redisMs: ((await redis.cpuSeconds()) - redisBefore) * 1000 };
    },
  };
}
