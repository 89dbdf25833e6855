/**
 * One real Redis for the whole run (or `REDIS_URL` when given). Each test file takes its own key
 * prefix (see `prefix.ts`), so files never see each other's data.
 */
import type { TestProject } from 'vitest/node';
import { startTestRedis, type TestRedis } from './redis-server.js';

let redis: TestRedis | null = null;

export async function setup(project: TestProject): Promise<void> {
  const given = process.env.REDIS_URL;
  if (given) {
    project.provide('redisUrl', given);
    return;
  }
  redis = await startTestRedis();
  project.provide('redisUrl', redis.url);
}

export async function teardown(): Promise<void> {
  await redis?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
