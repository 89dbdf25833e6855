/**
 * Whether Redis is still the server a sync began on, from the run ids read then and now: one
 * Redis, a cluster's list read at the start, and the one node a script read its id from.
 */
import { describe, expect, it } from 'vitest';
import { sameRedisSince } from '../../src/store/connection.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

describe('sameRedisSince', () => {
  it.each([
    // One Redis: its run id, then and now.
    { started: A, now: A, same: true },
    { started: A, now: B, same: false },
    // A cluster's primaries read at the start: the same list, or a restart somewhere.
    { started: `${A},${B}`, now: `${A},${B}`, same: true },
    { started: `${A},${B}`, now: `${A},${C}`, same: false },
    // The node that holds the keys, read by the lease's script: still one of the primaries.
    { started: B, now: `${A},${B}`, same: true },
    { started: C, now: `${A},${B}`, same: false },
    // Nothing read (no run id in INFO): never taken for a match with something.
    { started: '', now: A, same: false },
    { started: '', now: `${A},`, same: false },
  ])('$started / $now → $same', ({ started, now, same }) => {
    expect(sameRedisSince(started, now)).toBe(same);
  });
});
