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
