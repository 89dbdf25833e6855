/**
 * The raw BullMQ baseline of schedule and churn: the engine's action jobs (same names, data,
 * options and ids) in a queue of its own, on the engine's connection and prefix.
 */
import { Queue } from 'bullmq';
import type { PlannedAction } from '../../src/domain/types.js';
import { ACTION_JOB_NAME, actionJobId } from '../../src/queue/jobs.js';
import { ACTION_JOB_OPTIONS, bullPrefix } from '../../src/queue/queues.js';
import type { BenchEngine } from './engine.js';

export function openRawQueue(bench: BenchEngine, name: string): Queue {
  return new Queue(name, { connection: bench.runtime.redis, prefix: bullPrefix(bench.config.prefix) });
}

/** The job replan would add for `action`, its delay counted from now. */
export function rawActionJob(interviewId: string, revision: number, action: Pick<PlannedAction, 'kind' | 'dueAt'>) {
  return {
    name: ACTION_JOB_NAME,
    data: {},
    opts: { ...ACTION_JOB_OPTIONS, jobId: actionJobId(interviewId, action.kind, revision), delay: Math.max(0, action.dueAt - Date.now()) },
  };
}

/** addBulk, 1,000 jobs per call. */
export async function addInThousands(queue: Queue, jobs: readonly ReturnType<typeof rawActionJob>[]): Promise<void> {
  for (let i = 0; i < jobs.length; i += 1000) await queue.addBulk(jobs.slice(i, i + 1000));
}
