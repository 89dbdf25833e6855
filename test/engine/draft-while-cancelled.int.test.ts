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
import { runAction } from '../../src/engine/actions.js';
import { draftNoShow, draftThankYou } from '../../src/engine/followups.js';
import { getEmail } from '../../src/store/drafts.js';
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

describe('a late follow-up job of the call as it was', () => {
  it('leaves the draft written meanwhile for the call as it now is', async () => {
    h = await startEngineHarness();
    const event = interviewEvent({ uid: 'late-2', start: Math.floor((h.now() - 3 * 60 * MINUTE) / 1000) * 1000, sequence: 1 });
    const id = interviewIdFor('cal', event.uid);
    await h.setEvents([event]);
    await h.sync();
    const asRead = await getInterview(h.engine.store, id);
    if (!asRead) throw new Error('the interview was not recorded');

    // Moved after the call (the user tidying the calendar), and the thank-you of the new time written.
    await h.setEvents([{ ...event, sequence: 2, start: event.start + 15 * MINUTE, end: event.end + 15 * MINUTE }]);
    await h.sync();
    expect(await runAction(h.engine, { interviewId: id, kind: 'thankyou-draft', revision: 2 })).toMatchObject({ state: 'done' });

    const late = await draftThankYou(h.engine, asRead);

    const thankYous = (await h.folder('Drafts')).filter((f) => f.mail.messageId?.includes('.thankyou.'));
    expect(thankYous.map((f) => f.mail.messageId)).toEqual([`<ringback.${id}.thankyou.2@example.org>`]);
    expect(late).toMatchObject({ state: 'stale' });
    expect(await getEmail(h.engine.store, id, 'thankyou')).toMatchObject({ revision: 2, state: 'draft' });
  });
});
