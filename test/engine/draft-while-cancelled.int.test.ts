/**
 * A follow-up draft written while a sync withdraws its call: the job read the interview as
 * scheduled, the sync cancelled it and deleted the drafts it found recorded, and only then did the
 * job write its draft. Left, that draft of a cancelled call stayed in Drafts until the reconciler's
 * next round. Found by the randomised timelines on a loaded machine (timeline-stories.int.test.ts,
 * seed 7: the call cancelled while ringback was asleep, its no-show draft due on waking).
 *
 * The job's read is the interview as it was before the cancel (the use case takes it as read), so
 * the order is the one the race makes, on every run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { draftNoShow } from '../../src/engine/followups.js';
import { getInterview } from '../../src/store/interviews.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

describe('a follow-up draft written while its call is withdrawn', () => {
  it('is removed, not left in Drafts, and the step says why', async () => {
    h = await startEngineHarness();
    const event = interviewEvent({ uid: 'race-1', start: Math.floor((h.now() + 5 * 60 * MINUTE) / 1000) * 1000, sequence: 1 });
    const id = interviewIdFor('cal', event.uid);
    await h.setEvents([event]);
    await h.sync();
    const asRead = await getInterview(h.engine.store, id);
    expect(asRead?.status).toBe('scheduled');

    await h.setEvents([{ ...event, sequence: 2, status: 'CANCELLED' }]);
    await h.sync();
    expect((await getInterview(h.engine.store, id))?.status).toBe('cancelled');

    if (!asRead) throw new Error('the interview was not recorded');
    const outcome = await draftNoShow(h.engine, asRead);
    expect(outcome).toMatchObject({ state: 'stale' });
    expect(outcome.message).toContain('cancelled while its no-show draft was written');
    const noshows = (await h.folder('Drafts')).filter((f) => f.mail.messageId?.includes('.noshow.'));
    expect(noshows).toHaveLength(0);
    const removed = await h.waitForAudit((r) => r.type === 'deleted-draft' && r.interviewId === id);
    expect(removed.message).toContain('noshow draft removed from Drafts');
  });
});
