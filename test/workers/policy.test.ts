/**
 * The action's backoff, as the workers compute it from a job's options: doubling from the job's
 * delay, capped at a minute, and an unknown strategy refused rather than run with no wait.
 */
import { describe, expect, it } from 'vitest';
import type { MinimalJob } from 'bullmq';
import { ACTION_RETRY } from '../../src/queue/queues.js';
import { backoffStrategy } from '../../workers/policy.js';

const jobWith = (opts: MinimalJob['opts']) => ({ opts }) as MinimalJob;

describe('backoffStrategy', () => {
  it('doubles from the delay of the action job options and never waits more than a minute', () => {
    const job = jobWith(ACTION_RETRY);
    expect([1, 2, 3, 5, 6, 7, 25].map((n) => backoffStrategy(n, 'capped-exponential', undefined, job))).toEqual([
      2_000, 4_000, 8_000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });

  it('runs jobs of this version (strategy `capped`, no delay) and of earlier ones alike', () => {
    const type = ACTION_RETRY.backoff.type;
    expect(type).toBe('capped');
    const now = jobWith(ACTION_RETRY);
    const earlier = jobWith({ attempts: 25, backoff: { type: 'capped-exponential', delay: 2_000 } });
    for (const n of [1, 2, 6, 25]) {
      expect(backoffStrategy(n, type, undefined, now)).toBe(backoffStrategy(n, 'capped-exponential', undefined, earlier));
    }
    expect(backoffStrategy(3, type, undefined, now)).toBe(8_000);
  });

  it('takes 2 s when the job gives no delay', () => {
    expect(backoffStrategy(2, 'capped-exponential', undefined, jobWith({ backoff: { type: 'capped-exponential' } }))).toBe(4_000);
    expect(backoffStrategy(1, 'capped-exponential')).toBe(2_000);
  });

  it('refuses a strategy it does not know', () => {
    expect(() => backoffStrategy(1, 'exponential')).toThrow(/unknown backoff exponential/);
    expect(() => backoffStrategy(1)).toThrow(/unknown backoff \(none\)/);
  });
});
