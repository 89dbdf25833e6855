/**
 * One call listed by two calendars, cancelled by its organizer (README, "One call in two
 * calendars"): the cancellation is about the call, whichever calendar shows it first. A calendar
 * that has not caught up yet still lists the call as on; its listing must not confirm it.
 * The engine with its own Redis, two ics files and the Maildir of the harness.
 */
import { describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { getActionRecords, getInterview } from '../../src/store/interviews.js';
import { MINUTE, interviewEvent, syncOnce, type EngineHarness } from '../support/engine-harness.js';
import { settled, soon, useTwoCalendars } from '../support/two-calendars.js';

const twoCalendars = useTwoCalendars();

const confirmationsSent = async (harness: EngineHarness) => (await harness.folder('Sent')).filter((f) => f.mail.messageId?.includes('.confirmation.'));

describe('a call its organizer cancelled, shown first by the calendar of its duplicate', () => {
  it('withdraws the listing with the emails too: no confirmation of the cancelled call is sent', async () => {
    const { harness, set } = await twoCalendars();
    // Inside the confirmation lead: the owner's confirmation is due in minutes.
    const event = interviewEvent({ uid: 'cancel-in-duplicate', start: soon(harness, 50) });
    await set('a', [event]);
    await set('b', [event]);
    // b is read first: its listing has the emails, a's is its duplicate.
    await syncOnce(harness.engine, 'b');
    await syncOnce(harness.engine, 'a');
    await harness.start();
    const owner = interviewIdFor('b', 'cancel-in-duplicate');
    const duplicate = interviewIdFor('a', 'cancel-in-duplicate');
    expect((await getInterview(harness.engine.store, duplicate))?.duplicateOf).toBe(owner);

    // The organizer cancels; calendar a shows it, calendar b has not caught up.
    await set('a', [event], 'CANCEL');
    await syncOnce(harness.engine, 'a');
    expect((await getInterview(harness.engine.store, owner))?.status).toBe('cancelled');
    const said = (await harness.audit(owner)).find((r) => r.type === 'cancelled');
    expect(said?.message).toContain('calendar "a"');

    await harness.advance(36 * MINUTE);
    // Both confirmation steps of the cancelled listing taken off (or run), and none planned for the other.
    await settled(harness, owner, ['confirmation-draft', 'confirmation-send']);
    expect((await getActionRecords(harness.engine.store, duplicate)).filter((r) => r.state === 'pending')).toEqual([]);
    expect(await confirmationsSent(harness)).toEqual([]);
    expect((await getInterview(harness.engine.store, owner))?.status).toBe('cancelled');
  });

  it('leaves another invitation at that time alone: a cancelled first invitation, re-sent with a new UID, keeps the new one', async () => {
    const { harness, set } = await twoCalendars();
    const start = soon(harness, 3 * 60);
    // The interviewer cancelled the first invitation and sent a second one (a new UID) for the same
    // time; calendar b holds the second, calendar a the first.
    const first = interviewEvent({ uid: 'first-invitation', start });
    const second = interviewEvent({ uid: 'second-invitation', start });
    await set('b', [second]);
    await set('a', [first]);
    await syncOnce(harness.engine, 'b');
    await syncOnce(harness.engine, 'a');
    const kept = interviewIdFor('b', 'second-invitation');
    await set('a', [first], 'CANCEL');
    await syncOnce(harness.engine, 'a');
    expect((await getInterview(harness.engine.store, kept))?.status).toBe('scheduled');
  });
});
