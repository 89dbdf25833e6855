/**
 * The actions' retry policy, against a real Redis and a real BullMQ worker: jobs are added without
 * it (nothing of it kept in Redis) and the worker gives it to each job it runs, so that a transient
 * failure is retried after the capped backoff rather than failed for good; a job of an earlier
 * version, which carries the policy in its own options, is retried the same.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { TransientError } from '../../src/providers/errors.js';
import { ACTIONS_QUEUE, type ActionJobData } from '../../src/queue/jobs.js';
import { actionJob, bullPrefix, createQueues, type Queues, type StoredActionData } from '../../src/queue/queues.js';
import { openRedis } from '../../src/store/connection.js';
import { runActionJob } from '../../workers/actions.js';
import { backoffStrategy } from '../../workers/policy.js';
import { testPrefix } from '../support/prefix.js';

const prefix = testPrefix('action-retry');
let redis: Redis;
let workerRedis: Redis;
let queues: Queues;
let worker: Worker<StoredActionData, string>;
const runs = new Map<string, number>();
const failures: { id: string; attemptsMade: number; attempts: number | undefined }[] = [];

beforeAll(async () => {
  redis = openRedis(inject('redisUrl'));
  await redis.connect();
  queues = createQueues(redis, prefix);
  workerRedis = openRedis(inject('redisUrl'), { forWorkers: true });
  // Fails the first run of each job with a transient error, then succeeds.
  const process = async (data: ActionJobData) => {
    const key = `${data.interviewId}.${data.kind}`;
    const n = (runs.get(key) ?? 0) + 1;
    runs.set(key, n);
    if (n === 1) throw new TransientError('the provider did not answer');
    return 'done';
  };
  worker = new Worker<StoredActionData, string>(ACTIONS_QUEUE, async (job, token) => await runActionJob(job, token, process), {
    connection: workerRedis,
    prefix: bullPrefix(prefix),
    settings: { backoffStrategy },
  });
  worker.on('failed', (job, error) => {
    if (job && error.message.includes('did not answer')) failures.push({ id: job.id ?? '', attemptsMade: job.attemptsMade, attempts: job.opts.attempts });
  });
});
afterAll(async () => {
  await worker.close();
  await queues.close();
  workerRedis.disconnect();
  redis.disconnect();
});

async function settled(job: Job<StoredActionData>, timeoutMs = 15_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const state = await job.getState();
    if (state === 'completed' || state === 'failed') return state;
    if (Date.now() > until) throw new Error(`job ${job.id ?? ''} still ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the actions worker retries', () => {
  it('a job added without a retry policy: after its first failure it waits the 2 s backoff, then runs again', async () => {
    const added = actionJob('ivretry00001', 1, { kind: 'confirmation-draft', dueAt: Date.now() }, Date.now());
    const job = await queues.actions.add(added.name, added.data, added.opts);
    const stored = JSON.parse((await redis.hget(queues.actions.toKey(job.id ?? ''), 'opts')) ?? '{}') as Record<string, unknown>;
    expect(stored.attempts).toBeUndefined();
    expect(stored.backoff).toBeUndefined();

    const started = Date.now();
    expect(await settled(job)).toBe('completed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(runs.get('ivretry00001.confirmation-draft')).toBe(2);
    expect(failures.find((f) => f.id === job.id)).toEqual({ id: job.id, attemptsMade: 1, attempts: 25 });
  });

  it('a job of an earlier version, its policy in its options, the same', async () => {
    const job = await queues.actions.add(
      'action',
      { interviewId: 'ivretry00002', kind: 'noshow-draft', revision: 1 },
      { jobId: 'ivretry00002.noshow-draft.r1', attempts: 25, backoff: { type: 'capped-exponential', delay: 2_000 } },
    );
    expect(await settled(job)).toBe('completed');
    expect(runs.get('ivretry00002.noshow-draft')).toBe(2);
    expect(failures.find((f) => f.id === job.id)?.attempts).toBe(25);
  });
});
