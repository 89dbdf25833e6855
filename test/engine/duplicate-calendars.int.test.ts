/**
 * One call listed by two calendars of the user: the same invitation in two calendar sources (an
 * .ics subscription next to the calendar it exports, two calendars that each received the
 * invitation). The iCalendar UID stays the same across them (RFC 5545 §3.8.4.7: "persistent,
 * globally unique identifier"), so the event ids agree. One call gets one set of emails.
 * The engine with its own Redis, two ics files and the Maildir of the harness.
 */
import { describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { syncAccount } from '../../src/engine/sync.js';
import { explanationOf, findEvent } from '../../src/read/explain.js';
import { interviewViews } from '../../src/read/interviews.js';
import { getInterview } from '../../src/store/interviews.js';
import { CANDIDATE, MINUTE, interviewEvent, openSecondEngine, syncOnce, type EngineHarness } from '../support/engine-harness.js';
import { settled, soon, useTwoCalendars } from '../support/two-calendars.js';

const twoCalendars = useTwoCalendars();

const confirmations = async (harness: EngineHarness, folder: 'Drafts' | 'Sent') =>
  (await harness.folder(folder)).filter((f) => f.mail.messageId?.includes('.confirmation.'));

describe('the same invitation in two calendars', () => {
  it('drafts and sends one confirmation to the interviewer', async () => {
    const { harness, listInBoth } = await twoCalendars();
    const event = interviewEvent({ uid: 'same-call-1', start: soon(harness, 40) });
    const { owner, duplicate } = await listInBoth(event, { started: true });
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === owner);
    await harness.advance(26 * MINUTE);
    await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === owner);
    expect((await confirmations(harness, 'Sent')).map((f) => f.mail.messageId)).toEqual([`<ringback.${owner}.confirmation.1@example.org>`]);
    expect(await confirmations(harness, 'Drafts')).toHaveLength(0);
    expect((await harness.audit(duplicate)).filter((r) => r.type === 'drafted' || r.type === 'sent')).toEqual([]);
  });
});

const thankYous = async (harness: EngineHarness) => (await harness.folder('Drafts')).filter((f) => f.mail.messageId?.includes('.thankyou.'));

describe('the owner of a call gone from its calendar while another still lists it', () => {
  it('hands the call over: the confirmation it sent is not sent again, and one thank-you follows', async () => {
    const { harness, set, listInBoth } = await twoCalendars();
    const event = interviewEvent({ uid: 'handover-1', start: soon(harness, 40) });
    const { owner, duplicate: heir } = await listInBoth(event, { started: true });
    await harness.advance(26 * MINUTE);
    await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === owner);

    // The user removes the first calendar's copy (or the whole calendar): the other still lists the call.
    await set('a', []);
    expect((await syncOnce(harness.engine, 'a')).withdrawn).toBe(1);
    const taken = await harness.waitForAudit((r) => r.type === 'updated' && r.interviewId === heir);
    expect(taken.message).toContain(`takes over the call from ${owner}`);
    expect(taken.message).toContain('not sent again: confirmation');
    expect((await getInterview(harness.engine.store, heir))?.duplicateOf).toBeUndefined();
    // The heir plans a confirmation now (the call is inside the lead window): both of its steps
    // run and find it sent already, before the call goes by.
    await settled(harness, heir, ['confirmation-draft', 'confirmation-send']);
    expect((await confirmations(harness, 'Sent')).map((f) => f.mail.messageId)).toEqual([`<ringback.${owner}.confirmation.1@example.org>`]);

    // The call goes by with no outcome: assumed held, a thank-you follows, from the heir only.
    await harness.advance(3 * 60 * MINUTE);
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === heir && r.message.startsWith('thank-you'));
    expect((await thankYous(harness)).map((f) => f.mail.messageId)).toEqual([`<ringback.${heir}.thankyou.1@example.org>`]);
    expect((await confirmations(harness, 'Sent')).map((f) => f.mail.messageId)).toEqual([`<ringback.${owner}.confirmation.1@example.org>`]);
    expect((await harness.audit(heir)).filter((r) => r.type === 'sent')).toEqual([]);

    // The first calendar lists the call again: it is now the duplicate of the one that took over.
    const plannedBefore = (await harness.audit(owner)).filter((r) => r.type === 'planned').length;
    await set('a', [event]);
    await syncOnce(harness.engine, 'a');
    expect((await getInterview(harness.engine.store, owner))?.duplicateOf).toBe(heir);
    expect((await harness.audit(owner)).filter((r) => r.type === 'planned')).toHaveLength(plannedBefore);
    expect((await harness.audit(owner)).some((r) => r.type === 'detected' && r.message.includes(`as ${heir}`))).toBe(true);
  });
});

describe('a duplicate moved to another time than its owner', () => {
  it('is no longer the same call: planned on its own, and the audit says so', async () => {
    const { harness, set, listInBoth } = await twoCalendars();
    const start = soon(harness, 3 * 60);
    const { owner, duplicate: other } = await listInBoth(interviewEvent({ uid: 'moved-1', start }));
    expect((await getInterview(harness.engine.store, other))?.duplicateOf).toBe(owner);
    expect((await harness.audit(other)).filter((r) => r.type === 'planned')).toEqual([]);

    await set('b', [interviewEvent({ uid: 'moved-1', start: start + 2 * 60 * MINUTE })]);
    await syncOnce(harness.engine, 'b');
    const apart = (await harness.audit(other)).find((r) => r.type === 'updated');
    expect(apart?.message).toContain(`no longer the same call as ${owner}`);
    expect((await getInterview(harness.engine.store, other))?.duplicateOf).toBeUndefined();
    expect((await harness.audit(other)).filter((r) => r.type === 'planned')).toHaveLength(1);
  });
});

describe('a copy of the invitation with a UID of its own', () => {
  it('is the same call when it starts at the same time with the same interviewer, shown as a duplicate', async () => {
    const { harness, set } = await twoCalendars();
    const start = soon(harness, 3 * 60);
    await set('a', [interviewEvent({ uid: 'original-9', start })]);
    // Same time, someone else: another call (a panel, a second company), handled on its own.
    const otherCall = interviewEvent({
      uid: 'other-call',
      start,
      title: 'Phone screen with Lee (Globex)',
      organizer: { name: 'Lee Chen', email: 'lee@globex.example' },
      attendees: [
        { name: 'Ada Park', email: 'ada@example.org', status: 'accepted' },
        { name: 'Lee Chen', email: 'lee@globex.example', status: 'accepted' },
      ],
    });
    await set('b', [interviewEvent({ uid: 'copied-4f1e', start }), otherCall]);
    await syncOnce(harness.engine, 'a');
    await syncOnce(harness.engine, 'b');
    const owner = interviewIdFor('a', 'original-9');
    const copy = interviewIdFor('b', 'copied-4f1e');
    const views = await interviewViews(harness.engine.store);
    const byId = new Map(views.map((v) => [v.id, v]));
    expect(byId.get(copy)?.duplicateOf).toBe(owner);
    expect(byId.get(copy)?.actions).toEqual([]);
    expect(byId.get(owner)?.duplicateOf).toBeNull();
    expect(byId.get(interviewIdFor('b', 'other-call'))?.duplicateOf).toBeNull();
    expect(byId.get(interviewIdFor('b', 'other-call'))?.actions.length).toBeGreaterThan(0);
    const explained = explanationOf(await findEvent(harness.engine.store, copy));
    expect(explained.outcome).toContain(`the same call as ${owner}`);
    expect(explained.outcome).toContain('the same time with the same interviewer');
    expect((await harness.audit(copy)).filter((r) => r.type === 'detected')).toHaveLength(1);
  });
});

describe('two processes syncing the two calendars at once', () => {
  it('record one owner for each call', async () => {
    const { harness, set } = await twoCalendars();
    const second = await openSecondEngine(harness);
    try {
      const base = soon(harness, 5 * 60);
      const events = Array.from({ length: 12 }, (_, i) => interviewEvent({ uid: `race-${i}`, start: base + i * 60 * MINUTE }));
      await set('a', events);
      await set('b', events);
      const signal = new AbortController().signal;
      await Promise.all([syncAccount(harness.engine, 'a', signal), syncAccount(second.engine, 'b', signal)]);
      for (const event of events) {
        const pair = await Promise.all(['a', 'b'].map(async (source) => await getInterview(harness.engine.store, interviewIdFor(source, event.uid))));
        const owners = pair.filter((iv) => iv && iv.duplicateOf === undefined);
        expect(owners, event.uid).toHaveLength(1);
      }
    } finally {
      await second.close();
    }
  });
});

describe('a handover with a third listing of the call', () => {
  it('leaves a listing that is not the heir\'s call to take the call itself, without sending again what was sent', async () => {
    const { harness, set } = await twoCalendars(['a', 'b', 'c']);
    const start = soon(harness, 3 * 60);
    // a: the invitation to Dana. b: the same invitation (same UID) as a no-reply ATS copy names no
    // address. c: a copy with a new UID, matched to a by Dana's address only.
    const invitation = interviewEvent({ uid: 'three-1', start });
    const noReply = interviewEvent({
      uid: 'three-1',
      start,
      organizer: { name: 'Acme Recruiting', email: 'no-reply@acme.example' },
      attendees: [{ name: 'Ada Park', email: CANDIDATE.email, status: 'accepted' }],
    });
    await set('a', [invitation]);
    await set('b', [noReply]);
    await set('c', [{ ...invitation, uid: 'copy-of-three-1' }]);
    for (const id of ['a', 'b', 'c']) await syncOnce(harness.engine, id);
    const owner = interviewIdFor('a', 'three-1');
    const heir = interviewIdFor('b', 'three-1');
    const third = interviewIdFor('c', 'copy-of-three-1');
    expect((await getInterview(harness.engine.store, heir))?.duplicateOf).toBe(owner);
    expect((await getInterview(harness.engine.store, third))?.duplicateOf).toBe(owner);

    await set('a', []);
    await syncOnce(harness.engine, 'a');
    expect((await getInterview(harness.engine.store, heir))?.duplicateOf).toBeUndefined();
    // Before: still silent, "a duplicate of" an heir that has no address to write to.
    expect((await getInterview(harness.engine.store, third))?.duplicateOf).toBeUndefined();
    const taken = (await harness.audit(third)).find((r) => r.type === 'updated');
    expect(taken?.message).toContain(`takes over the call from ${owner}`);
    expect((await harness.audit(third)).some((r) => r.type === 'planned')).toBe(true);
  });
});
