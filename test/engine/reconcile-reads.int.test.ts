/**
 * What the reconciler's round costs Redis for interviews no longer scheduled: whether each still
 * has drafts a withdrawal deletes (its emails, and for a call that is off its notes) was a round
 * trip of its own per interview, at every round (at start, then every ten minutes). It is asked
 * for the page's interviews together, beside the page's look at the call index. Real Redis, the
 * ics file and the Maildir of the engine harness.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../src/engine/reconcile.js';
import { listInterviews } from '../../src/store/interviews.js';
import type { HarnessEvent } from '../providers/calendar/contract.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { countRoundTrips } from '../support/round-trips.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

/** The organizer's cancellation (RFC 5545 STATUS:CANCELLED), as cancel-missed-notice.int.test.ts makes it. */
const cancelled = (event: HarnessEvent): HarnessEvent => ({ ...event, status: 'CANCELLED', sequence: 1 });

async function roundTripsOfOneReconcile(harness: EngineHarness): Promise<number> {
  const counting = countRoundTrips(harness.runtime.redis);
  await reconcile(harness.engine);
  return counting.stop().roundTrips;
}

describe('the reconciler, for interviews no longer scheduled', () => {
  it('asks whether their drafts are left in one round trip for all, not one each', async () => {
    const harness = await startEngineHarness();
    h = harness;
    const start = Math.floor((harness.now() + 48 * 60 * MINUTE) / MINUTE) * MINUTE;
    const events = [0, 1, 2, 3].map((i) => interviewEvent({ uid: `off-${i}`, start: start + i * 60 * MINUTE, organizer: { name: 'Dana Whitfield', email: `dana${i}@acme.example` } }));
    await harness.setEvents(events.slice(0, 1));
    await harness.sync();
    await harness.setEvents(events.slice(0, 1).map(cancelled));
    await harness.sync();
    // Settled: the first round after a change may have work of its own to do.
    await reconcile(harness.engine);
    const withOne = await roundTripsOfOneReconcile(harness);

    await harness.setEvents([...events.slice(0, 1).map(cancelled), ...events.slice(1)]);
    await harness.sync();
    await harness.setEvents(events.map(cancelled));
    await harness.sync();
    expect((await listInterviews(harness.runtime.store)).map((iv) => iv.status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
    await reconcile(harness.engine);

    expect(await roundTripsOfOneReconcile(harness)).toBe(withOne);
  });
});
