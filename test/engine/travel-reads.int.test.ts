/**
 * What the reconciler's look at confirmation drafts after a change of `candidate.timezone`
 * (src/engine/travel.ts) costs when nothing changed. It read each upcoming drafted interview's
 * confirmation record at every reconcile (at start, then every ten minutes), for a change that
 * happens when the candidate travels. Now it reads them after a change of zone, once, and again
 * only for a draft that could not be written on the new clock then. Real Redis and the Maildir.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { clockWithZone } from '../../src/domain/zones.js';
import { runAction } from '../../src/engine/actions.js';
import { reconcile } from '../../src/engine/reconcile.js';
import type { RedisConnection } from '../../src/store/connection.js';
import { getEmail } from '../../src/store/drafts.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

const HOUR = 60 * MINUTE;
const LISBON = 'Europe/Lisbon';
let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

type SendCommand = (command: { name: string; args: unknown[] }, ...rest: unknown[]) => unknown;

/**
 * Counts the reads of a confirmation's record sent on the connection: an HGET of an interview's
 * drafts hash, field `confirmation`, or an HGETALL of it (a plan reads every email's record at once).
 */
function countConfirmationReads(connection: RedisConnection): { stop(): number } {
  const target = connection as unknown as { sendCommand: SendCommand };
  const original = target.sendCommand;
  let reads = 0;
  target.sendCommand = function (this: unknown, command, ...rest) {
    const [hash, field] = command.args.map(String);
    if (hash?.endsWith(':drafts') && ((command.name === 'hget' && field === 'confirmation') || command.name === 'hgetall')) reads++;
    return original.call(this, command, ...rest);
  };
  return {
    stop() {
      target.sendCommand = original;
      return reads;
    },
  };
}

/** Three accepted calls hours ahead, each with its confirmation drafted; their ids and starts. */
async function threeDrafted(harness: EngineHarness): Promise<{ id: string; start: number }[]> {
  const starts = [3, 4, 5].map((hours) => Math.floor((harness.now() + hours * HOUR) / 1000) * 1000);
  const events = starts.map((start, i) => interviewEvent({ uid: `travel-${i}`, start, organizer: { name: 'Dana Whitfield', email: `dana${i}@acme.example` } }));
  await harness.setEvents(events);
  await harness.sync();
  const calls = events.map((e) => ({ id: interviewIdFor('cal', e.uid), start: e.start }));
  for (const call of calls) expect((await runAction(harness.engine, { interviewId: call.id, kind: 'confirmation-draft', revision: 1 })).state).toBe('done');
  return calls;
}

async function readsOfOneReconcile(harness: EngineHarness): Promise<{ reads: number; rezoned: number }> {
  const counting = countConfirmationReads(harness.runtime.redis);
  const { rezoned } = await reconcile(harness.engine);
  return { reads: counting.stop(), rezoned };
}

describe('the look at confirmation drafts after a change of zone', () => {
  it('reads the drafts after a change of zone, not at every reconcile', async () => {
    const harness = await startEngineHarness();
    h = harness;
    await threeDrafted(harness);
    // The first reconcile after an upgrade does not know which zone was applied last: it looks once.
    await reconcile(harness.engine);

    // Each plan reads its call's confirmation once (replan.ts, computePlan): 3 for 3 calls. The
    // look at the zone read each again, 6 in all, at every reconcile; a draft it writes again is
    // read twice more (before its lock is taken, and under it): 9.
    expect(await readsOfOneReconcile(harness)).toEqual({ reads: 3, rezoned: 0 });

    await harness.reopenWith({ timezone: LISBON });
    expect(await readsOfOneReconcile(harness)).toEqual({ reads: 9, rezoned: 3 });
    expect(await readsOfOneReconcile(harness)).toEqual({ reads: 3, rezoned: 0 });
  });

  // A guard: the reconciler looked at every draft at every round before, a failed one included.
  it('writes again at the next reconcile a draft it could not write on the new clock, and then stops looking', async () => {
    const harness = await startEngineHarness();
    h = harness;
    const [first] = await threeDrafted(harness);
    if (!first) throw new Error('no call');
    await reconcile(harness.engine);
    await harness.reopenWith({ timezone: LISBON });
    // A mail client's sync that put a file where the Drafts folder was: reading Drafts fails.
    const drafts = join(harness.maildir, '.Drafts');
    await rename(drafts, `${drafts}-away`);
    await writeFile(drafts, '');

    expect((await reconcile(harness.engine)).rezoned).toBe(0);
    expect(await getEmail(harness.runtime.store, first.id, 'confirmation')).toMatchObject({ zone: 'America/New_York' });

    await rm(drafts);
    await rename(`${drafts}-away`, drafts);
    expect(await readsOfOneReconcile(harness)).toEqual({ reads: 9, rezoned: 3 });
    expect(await getEmail(harness.runtime.store, first.id, 'confirmation')).toMatchObject({ zone: LISBON });
    const written = (await harness.folder('Drafts')).find((f) => f.mail.messageId?.includes(`${first.id}.confirmation.`));
    expect(written?.mail.subject).toContain(clockWithZone(first.start, LISBON));
    expect(await readsOfOneReconcile(harness)).toEqual({ reads: 3, rezoned: 0 });
  });
});
