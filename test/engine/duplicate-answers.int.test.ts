/**
 * The user's answers given on a duplicate listing of a call (README, "One call in two calendars")
 * act on the listing with the call's emails and say so; the dashboard offers no review or outcome
 * buttons on the duplicate, it points to that listing. The engine with its own Redis, two ics
 * files and the Maildir of the harness.
 */
import { describe, expect, it } from 'vitest';
import { markEvent } from '../../src/engine/mark.js';
import { renderInterview } from '../../src/http/pages/interview.js';
import { getActionRecords, getInterview } from '../../src/store/interviews.js';
import { interviewEvent, syncOnce } from '../support/engine-harness.js';
import { expectSilent, soon, useTwoCalendars } from '../support/two-calendars.js';

const twoCalendars = useTwoCalendars();


describe("the user's answer given on a duplicate", () => {
  it('"phone" settles the review of the listing with the emails, and the dashboard offers no buttons on the duplicate', async () => {
    const { harness, listInBoth } = await twoCalendars();
    // Says "interview" but not how it is held: planned, but needs review.
    const event = interviewEvent({ uid: 'unsure', start: soon(harness, 5 * 60), title: 'Interview with Acme', description: '' });
    const { owner, duplicate } = await listInBoth(event);
    expect((await getInterview(harness.engine.store, owner))?.review).toBe(true);
    const dup = await getInterview(harness.engine.store, duplicate);
    expect(dup?.duplicateOf).toBe(owner);

    const page = (await renderInterview(harness.engine, dup!, 'token')).toString();
    expect(page).not.toContain('/mark');
    expect(page).not.toContain('/outcome');
    expect(page).toContain(`/interviews/${owner}`);

    const said = await markEvent(harness.engine, { interview: dup! }, { kind: 'phone', direction: 'interviewer-calls' });
    expect(said).toContain(`${duplicate} is the same call as ${owner}`);
    expect(said).toContain(`marked ${owner}`);
    expect((await getInterview(harness.engine.store, owner))?.review).toBe(false);
    expect((await harness.audit(owner)).some((r) => r.type === 'marked')).toBe(true);
  });

  it('"not-interview" withdraws the emails of the listing that has them', async () => {
    const { harness, set, listInBoth } = await twoCalendars();
    const event = interviewEvent({ uid: 'not-one', start: soon(harness, 3 * 60) });
    const { owner, duplicate } = await listInBoth(event);
    expect((await getActionRecords(harness.engine.store, owner)).some((r) => r.state === 'pending')).toBe(true);
    const dup = await getInterview(harness.engine.store, duplicate);
    const said = await markEvent(harness.engine, { interview: dup! }, { kind: 'not-interview' });
    expect(said).toContain(`${duplicate} is the same call as ${owner}`);
    expect((await getInterview(harness.engine.store, owner))?.status).toBe('cancelled');
    expect((await getActionRecords(harness.engine.store, owner)).filter((r) => r.state === 'pending')).toEqual([]);
    // The other listing read again stays silent (the mark sticks to it too).
    await set('b', [{ ...event, location: 'Phone' }]);
    await syncOnce(harness.engine, 'b');
    await expectSilent(harness, duplicate);
  });
});
