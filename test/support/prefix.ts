import { randomUUID } from 'node:crypto';

/** A key prefix of its own for one test, so that tests sharing a Redis never meet. */
export function testPrefix(label = 'test'): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}
