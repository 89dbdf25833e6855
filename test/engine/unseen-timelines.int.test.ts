/**
 * Timelines the other engine tests do not walk: the recruiter moves the call to an hour ago (the
 * call took place earlier than booked, or the entry was corrected after the fact), and an all-day
 * entry that the recruiter turns into a timed phone screen. Both are guards: the engine already did
 * the right thing when they were written (a move is a new revision planned from now, DESIGN.md
 * "event moved"; an all-day entry is no call). Real Redis and workers, the ics source and the Maildir.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { listPendingActions } from '../../src/queue/queues.js';
import { getInterview } from '../../src/store/interviews.js';
import { MINUTE, draftedAhead, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

describe('the call is moved into the past', () => {
  it('removes the confirmation draft of the old time, sends no confirmation and no no-show note, and keeps the thank-you', async () => {
    const harness = await startEngineHarness();
    h = harness;
    const { id } = await draftedAhead(harness, 'past', 3 * HOUR);
    expect(await harness.folder('Drafts')).toHaveLength(1);

    // The recruiter moves the entry to an hour ago.
    const past = Math.floor((harness.now() - HOUR) / 1000) * 1000;
    await harness.setEvents([interviewEvent({ uid: 'past', start: past })]);
    await harness.sync();
    expect((await getInterview(harness.runtime.store, id))?.start).toBe(past);
    // The draft of the old time does not stay in Drafts to be sent or read as the call's time.
    await harness.waitForAudit((r) => r.type === 'deleted-draft' && r.interviewId === id);
    expect((await harness.folder('Drafts')).filter((f) => f.mail.messageId?.includes(`${id}.confirmation.`))).toHaveLength(0);
    // Nothing is planned before now: no confirmation, no no-show note for a call already over.
    const pending = (await listPendingActions(harness.runtime.queues)).filter((p) => p.interviewId === id);
    expect(pending.map((p) => p.kind)).not.toContain('confirmation-send');
    expect(pending.map((p) => p.kind)).not.toContain('noshow-draft');

    // Past the thank-you's time: a thank-you draft, and never a confirmation or a no-show note in Sent or Drafts.
    await harness.advance(past + 30 * MINUTE + 61 * MINUTE - harness.now());
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.startsWith('thank-you'));
    expect(await harness.folder('Sent')).toHaveLength(0);
    const drafts = await harness.folder('Drafts');
    expect(drafts.map((f) => f.mail.messageId?.split('.')[2])).toEqual(['thankyou']);
  });
});

describe('an all-day entry becomes a timed phone screen', () => {
  it('is left out while all-day, and planned like any call once it has a time', async () => {
    const harness = await startEngineHarness();
    h = harness;
    const day = Math.ceil((harness.now() + DAY) / DAY) * DAY;
    await harness.setEvents([interviewEvent({ uid: 'allday', start: day, end: day + DAY, allDay: true })]);
    await harness.start();
    await harness.sync();
    const id = interviewIdFor('cal', 'allday');
    expect(await getInterview(harness.runtime.store, id)).toBeNull();

    const at = day + 15 * HOUR;
    await harness.setEvents([interviewEvent({ uid: 'allday', start: at })]);
    await harness.sync();
    expect((await getInterview(harness.runtime.store, id))?.start).toBe(at);
    await harness.advance(at - 24 * HOUR + MINUTE - harness.now());
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    expect((await harness.folder('Drafts')).filter((f) => f.mail.messageId?.includes(`${id}.confirmation.`))).toHaveLength(1);
  });
});
