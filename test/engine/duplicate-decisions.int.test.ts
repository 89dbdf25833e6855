/**
 * One call listed by two calendars (README, "One call in two calendars"): what the user decides
 * and what the organizer cancels is about the call, so the duplicate listing stays silent, in
 * whichever order the calendars were read; only a listing gone from its calendar hands the call
 * over, and then an email whose send was under way counts as sent.
 * The engine with its own Redis, two ics files and the Maildir of the harness.
 */
import { describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { cancelInterview } from '../../src/engine/cancel.js';
import { markEvent } from '../../src/engine/mark.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { claimSend, emailLockKey, getEmails, saveEmail } from '../../src/store/drafts.js';
import { getStoredInterview } from '../../src/store/interview-writes.js';
import { releaseLease } from '../../src/store/lease.js';
import type { Store } from '../../src/store/store.js';
import { getActionRecords, getInterview, listInterviews } from '../../src/store/interviews.js';
import { type HarnessEvent } from '../providers/calendar/contract.js';
import { CANDIDATE, MINUTE, interviewEvent, syncOnce } from '../support/engine-harness.js';
import { expectSilent, settled, soon, useTwoCalendars } from '../support/two-calendars.js';

const twoCalendars = useTwoCalendars();

/** The candidate declined the invitation (PARTSTAT=DECLINED, RFC 5545 §3.2.12). */
const declinedBy = (event: HarnessEvent): HarnessEvent => ({
  ...event,
  attendees: [
    { name: 'Ada Park', email: CANDIDATE.email, status: 'declined' },
    { name: 'Dana Whitfield', email: 'dana@acme.example', status: 'accepted' },
  ],
});

/** One invitation listed by calendars a and b (listInBoth): a's listing owns the call, b's is its duplicate. */
async function listedInBoth(uid: string, minutesAhead: number, options: { started?: boolean } = {}) {
  const calendars = await twoCalendars();
  const event = interviewEvent({ uid, start: soon(calendars.harness, minutesAhead) });
  return { ...calendars, event, ...(await calendars.listInBoth(event, options)) };
}

describe('a call declined in one calendar', () => {
  it('after the other listing was recorded: the duplicate stays silent when its own listing changes', async () => {
    const { harness, set, event, owner, duplicate } = await listedInBoth('decline-after', 3 * 60);
    await set('a', [declinedBy(event)]);
    await syncOnce(harness.engine, 'a');
    expect((await getInterview(harness.engine.store, owner))?.status).toBe('declined');

    // Any change of the other calendar's entry is read again (so is every kept event after a detection upgrade).
    await set('b', [{ ...event, description: 'Dana will call you. Agenda attached.' }]);
    await syncOnce(harness.engine, 'b');
    expect((await getInterview(harness.engine.store, duplicate))?.duplicateOf).toBe(owner);
    await expectSilent(harness, duplicate);
    expect((await harness.audit(duplicate)).filter((r) => r.message.includes('no longer the same call'))).toEqual([]);
  });

  it('before the other listing was recorded: that listing is its duplicate all the same', async () => {
    const { harness, set } = await twoCalendars();
    const event = interviewEvent({ uid: 'decline-before', start: soon(harness, 3 * 60) });
    await set('a', [declinedBy(event)]);
    await set('b', [event]);
    await syncOnce(harness.engine, 'a');
    await syncOnce(harness.engine, 'b');
    const owner = interviewIdFor('a', 'decline-before');
    const duplicate = interviewIdFor('b', 'decline-before');
    expect((await getInterview(harness.engine.store, owner))?.status).toBe('declined');
    expect((await getInterview(harness.engine.store, duplicate))?.duplicateOf).toBe(owner);
    await expectSilent(harness, duplicate);
  });
});

describe('a call declined only in the calendar of its duplicate', () => {
  it('withdraws the emails of the listing that has them, which an edit in its own calendar does not bring back', async () => {
    // Inside the confirmation lead: the owner would confirm it at once.
    const { harness, set, event, owner, duplicate } = await listedInBoth('decline-in-duplicate', 40, { started: true });
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === owner);
    await set('b', [declinedBy(event)]);
    await syncOnce(harness.engine, 'b');
    expect((await getInterview(harness.engine.store, duplicate))?.status).toBe('declined');
    expect((await getInterview(harness.engine.store, owner))?.status).toBe('declined');
    const said = await harness.waitForAudit((r) => r.type === 'declined' && r.interviewId === owner);
    expect(said.message).toContain(`calendar "b"`);
    // The owner's calendar has not caught up, and its entry changes meanwhile.
    await set('a', [{ ...event, location: 'Phone' }]);
    await syncOnce(harness.engine, 'a');
    expect((await getInterview(harness.engine.store, owner))?.status).toBe('declined');
    await harness.advance(30 * MINUTE);
    expect((await getActionRecords(harness.engine.store, owner)).filter((r) => r.state === 'pending')).toEqual([]);
    expect((await harness.folder('Drafts')).filter((f) => f.mail.messageId?.includes('.confirmation.'))).toEqual([]);
    expect(await harness.folder('Sent')).toEqual([]);
  });

  it('accepted again there, gives the call its emails back', async () => {
    const { harness, set, event, owner, duplicate } = await listedInBoth('decline-then-accept', 3 * 60);
    await set('b', [declinedBy(event)]);
    await syncOnce(harness.engine, 'b');
    expect((await getInterview(harness.engine.store, owner))?.status).toBe('declined');
    await set('b', [event]);
    await syncOnce(harness.engine, 'b');
    expect((await getInterview(harness.engine.store, owner))?.status).toBe('scheduled');
    expect((await getInterview(harness.engine.store, duplicate))?.duplicateOf).toBe(owner);
    expect((await getActionRecords(harness.engine.store, owner)).some((r) => r.kind === 'confirmation-send' && r.state === 'pending')).toBe(true);
    await expectSilent(harness, duplicate);
  });

  it('accepted again there after the withdrawn listing left its own calendar, leaves the call to the listing still there', async () => {
    const { harness, set, listInBoth } = await twoCalendars();
    const start = soon(harness, 3 * 60);
    const event = interviewEvent({ uid: 'decline-gone-accept', start });
    const { owner, duplicate } = await listInBoth(event);
    await set('b', [declinedBy(event)]);
    await syncOnce(harness.engine, 'b');
    expect((await getInterview(harness.engine.store, owner))?.status).toBe('declined');
    // The user removes the entry from calendar a, then accepts the call again in calendar b.
    await set('a', []);
    await syncOnce(harness.engine, 'a');
    await set('b', [event]);
    await syncOnce(harness.engine, 'b');
    const gone = await getInterview(harness.engine.store, owner);
    expect(gone?.status).not.toBe('scheduled');
    expect((await getActionRecords(harness.engine.store, owner)).filter((r) => r.state === 'pending')).toEqual([]);
    expect((await getInterview(harness.engine.store, duplicate))?.duplicateOf).toBeUndefined();
    expect((await getActionRecords(harness.engine.store, duplicate)).some((r) => r.kind === 'confirmation-send' && r.state === 'pending')).toBe(true);

    // Calendar b then moves the call: one listing plans it, at the new time only.
    await set('b', [{ ...event, start: start + 60 * MINUTE, end: start + 90 * MINUTE }]);
    await syncOnce(harness.engine, 'b');
    expect((await getActionRecords(harness.engine.store, owner)).filter((r) => r.state === 'pending')).toEqual([]);
  });

  it('with a third calendar, stays declined after the withdrawn listing left its calendar, and goes to one listing when accepted again', async () => {
    const { harness, set } = await twoCalendars(['a', 'b', 'c']);
    const event = interviewEvent({ uid: 'decline-gone-third', start: soon(harness, 3 * 60) });
    for (const which of ['a', 'b', 'c']) await set(which, [event]);
    for (const which of ['a', 'b', 'c']) await syncOnce(harness.engine, which);
    const [a, b, c] = ['a', 'b', 'c'].map((which) => interviewIdFor(which, 'decline-gone-third')) as [string, string, string];
    await set('b', [declinedBy(event)]);
    await syncOnce(harness.engine, 'b');
    await set('a', []);
    await syncOnce(harness.engine, 'a');
    // The reconciler runs, and calendar c's entry changes: the call is still declined in calendar b.
    await reconcile(harness.engine);
    await set('c', [{ ...event, location: 'Phone' }]);
    await syncOnce(harness.engine, 'c');
    for (const id of [a, b, c]) expect((await getActionRecords(harness.engine.store, id)).filter((r) => r.state === 'pending')).toEqual([]);

    await set('b', [event]);
    await syncOnce(harness.engine, 'b');
    await reconcile(harness.engine);
    const planned = [];
    for (const id of [a, b, c]) {
      if ((await getActionRecords(harness.engine.store, id)).some((r) => r.kind === 'confirmation-send' && r.state === 'pending')) planned.push(id);
    }
    expect(planned).toHaveLength(1);
  });

  it('accepted again there after the confirmation went, does not confirm the call a second time', async () => {
    const { harness, set, event, owner } = await listedInBoth('sent-decline-accept', 40, { started: true });
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === owner);
    await harness.advance(26 * MINUTE);
    await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === owner);
    await set('b', [declinedBy(event)]);
    await syncOnce(harness.engine, 'b');
    expect((await getInterview(harness.engine.store, owner))?.status).toBe('declined');
    await set('b', [event]);
    await syncOnce(harness.engine, 'b');
    expect((await getInterview(harness.engine.store, owner))?.status).toBe('scheduled');
    await harness.advance(1 * MINUTE);
    await settled(harness, owner, ['confirmation-draft', 'confirmation-send']);
    expect((await harness.folder('Sent')).filter((f) => f.mail.messageId?.includes('.confirmation.'))).toHaveLength(1);
    // The call never moved: the draft kept back must not say it did.
    const kept = (await harness.audit(owner)).filter((r) => r.type === 'kept-as-draft' || r.type === 'drafted');
    expect(kept.length).toBeGreaterThan(0);
    for (const entry of kept) expect(entry.message).not.toContain('moved');
  });

  it('does not withdraw the emails of another invitation matched only by its time and interviewer', async () => {
    const { harness, set } = await twoCalendars();
    const start = soon(harness, 3 * 60);
    // The interviewer sent a second invitation (a new UID) to the address of calendar a, and the
    // user declines the first one, which reached calendar b, to keep the second.
    const second = interviewEvent({ uid: 'second-invitation', start });
    const first = interviewEvent({ uid: 'first-invitation', start });
    await set('a', [second]);
    await set('b', [first]);
    await syncOnce(harness.engine, 'a');
    await syncOnce(harness.engine, 'b');
    const kept = interviewIdFor('a', 'second-invitation');
    expect((await getInterview(harness.engine.store, interviewIdFor('b', 'first-invitation')))?.duplicateBy).toBe('counterpart');
    await set('b', [declinedBy(first)]);
    await syncOnce(harness.engine, 'b');
    expect((await getInterview(harness.engine.store, kept))?.status).toBe('scheduled');
    expect((await getActionRecords(harness.engine.store, kept)).some((r) => r.kind === 'confirmation-send' && r.state === 'pending')).toBe(true);
    // Its own entry changes: still planned.
    await set('a', [{ ...second, location: 'Phone' }]);
    await syncOnce(harness.engine, 'a');
    expect((await getInterview(harness.engine.store, kept))?.status).toBe('scheduled');
  });

  it('of one occurrence of a weekly call, withdraws that occurrence only', async () => {
    const { harness, set } = await twoCalendars();
    const start = soon(harness, 3 * 60);
    const WEEK = 7 * 24 * 60 * MINUTE;
    const series = interviewEvent({ uid: 'weekly-call', start, recurrence: { freq: 'WEEKLY', count: 3 } });
    // Calendar b holds the invitation to the second occurrence alone (same UID), declined there.
    const second = interviewEvent({ uid: 'weekly-call', start: start + WEEK, end: start + WEEK + 30 * MINUTE });
    await set('a', [series]);
    await set('b', [declinedBy(second)]);
    await syncOnce(harness.engine, 'a');
    await syncOnce(harness.engine, 'b');
    const occurrences = (await listInterviews(harness.engine.store)).filter((iv) => iv.sourceId === 'a').sort((x, y) => x.start - y.start);
    expect(occurrences.map((iv) => iv.status)).toEqual(['scheduled', 'declined', 'scheduled']);
  });

  it('when that calendar lists it declined from the first read, withdraws the emails of the listing that has them', async () => {
    const { harness, set } = await twoCalendars();
    const event = interviewEvent({ uid: 'declined-on-arrival', start: soon(harness, 3 * 60) });
    await set('a', [event]);
    await set('b', [declinedBy(event)]);
    await syncOnce(harness.engine, 'a');
    await syncOnce(harness.engine, 'b');
    const owner = interviewIdFor('a', 'declined-on-arrival');
    expect((await getInterview(harness.engine.store, owner))?.status).toBe('declined');
    expect((await getActionRecords(harness.engine.store, owner)).filter((r) => r.state === 'pending')).toEqual([]);
  });
});

describe('a call marked as no phone interview on its first listing', () => {
  it('keeps the other listing silent when it is read again', async () => {
    const { harness, set, event, owner, duplicate } = await listedInBoth('marked-owner', 3 * 60);
    const iv = await getInterview(harness.engine.store, owner);
    await markEvent(harness.engine, { interview: iv! }, { kind: 'not-interview' });
    await set('b', [{ ...event, location: 'Phone' }]);
    await syncOnce(harness.engine, 'b');
    expect((await getInterview(harness.engine.store, duplicate))?.duplicateOf).toBe(owner);
    await expectSilent(harness, duplicate);
  });
});

describe('a call its organizer cancelled, in a calendar the other has not caught up with', () => {
  it('is not handed over: the other listing sends nothing, even once the cancelled entry is removed', async () => {
    // Inside the confirmation lead: a listing that took the call over would confirm it at once.
    const { harness, set, event, owner, duplicate } = await listedInBoth('org-cancel', 50, { started: true });
    await set('a', [event], 'CANCEL');
    await syncOnce(harness.engine, 'a');
    expect((await getInterview(harness.engine.store, owner))?.status).toBe('cancelled');
    expect((await getInterview(harness.engine.store, duplicate))?.duplicateOf).toBe(owner);
    // The cancelled entry then leaves its calendar, as clients clean up: still nothing for the other listing.
    await set('a', []);
    await syncOnce(harness.engine, 'a');
    await set('b', [{ ...event, location: 'Phone' }]);
    await syncOnce(harness.engine, 'b');
    await harness.advance(10 * MINUTE);
    expect((await getInterview(harness.engine.store, duplicate))?.duplicateOf).toBe(owner);
    await expectSilent(harness, duplicate);
  });
});

describe('a call moved in the owner\'s calendar before the duplicate\'s calendar follows', () => {
  it('keeps the duplicate silent at the old time, even when its own entry changes, and it follows once its calendar moves it', async () => {
    const { harness, set, listInBoth } = await twoCalendars();
    // Inside the confirmation lead at the old time: a listing freed there would confirm it at once.
    const start = soon(harness, 40);
    const moved = start + 60 * MINUTE;
    const event = interviewEvent({ uid: 'owner-moved', start });
    const { owner, duplicate } = await listInBoth(event, { started: true });
    await set('a', [{ ...event, start: moved, end: moved + 30 * MINUTE }]);
    await syncOnce(harness.engine, 'a');
    // Calendar b has not caught up with the move, and its entry changes meanwhile.
    await set('b', [{ ...event, location: 'Phone' }]);
    await syncOnce(harness.engine, 'b');
    await harness.advance(10 * MINUTE);
    expect((await getInterview(harness.engine.store, duplicate))?.duplicateOf).toBe(owner);
    await expectSilent(harness, duplicate);
    expect((await harness.audit(duplicate)).filter((r) => r.message.includes('no longer the same call'))).toEqual([]);

    // Calendar b moves it too: the same call at the new time, still the owner's.
    await set('b', [{ ...event, location: 'Phone', start: moved, end: moved + 30 * MINUTE }]);
    await syncOnce(harness.engine, 'b');
    const after = await getInterview(harness.engine.store, duplicate);
    expect({ start: after?.start, duplicateOf: after?.duplicateOf }).toEqual({ start: moved, duplicateOf: owner });
    await expectSilent(harness, duplicate);
  });

  it('gone from the owner\'s calendar after the move, leaves the call to the duplicate at its time', async () => {
    const { harness, set, listInBoth } = await twoCalendars();
    const start = soon(harness, 3 * 60);
    const event = interviewEvent({ uid: 'moved-then-gone', start });
    const { owner, duplicate } = await listInBoth(event);
    await set('a', [{ ...event, start: start + 60 * MINUTE, end: start + 90 * MINUTE }]);
    await syncOnce(harness.engine, 'a');
    await set('a', []);
    await syncOnce(harness.engine, 'a');
    expect((await getInterview(harness.engine.store, owner))?.vanished).toBe(true);
    await reconcile(harness.engine);
    const taken = await getInterview(harness.engine.store, duplicate);
    expect({ start: taken?.start, duplicateOf: taken?.duplicateOf }).toEqual({ start, duplicateOf: undefined });
    expect((await harness.audit(duplicate)).filter((r) => r.message.includes(`takes over the call from ${owner}`))).toHaveLength(1);
    expect((await getActionRecords(harness.engine.store, duplicate)).some((r) => r.kind === 'confirmation-send' && r.state === 'pending')).toBe(true);
  });

  it('frees the duplicate when its own calendar moves it to a time of its own', async () => {
    const { harness, set, listInBoth } = await twoCalendars();
    const start = soon(harness, 3 * 60);
    const event = interviewEvent({ uid: 'both-moved-apart', start });
    const { owner, duplicate } = await listInBoth(event);
    await set('a', [{ ...event, start: start + 60 * MINUTE, end: start + 90 * MINUTE }]);
    await syncOnce(harness.engine, 'a');
    await set('b', [{ ...event, start: start + 120 * MINUTE, end: start + 150 * MINUTE }]);
    await syncOnce(harness.engine, 'b');
    expect((await getInterview(harness.engine.store, duplicate))?.duplicateOf).toBeUndefined();
    const apart = (await harness.audit(duplicate)).find((r) => r.type === 'updated' && r.message.includes(`no longer the same call as ${owner}`));
    expect(apart?.message).toContain(`it is now at ${new Date(start + 120 * MINUTE).toISOString()}`);
  });
});

/** A send step claims the confirmation's Message-ID, as the call stands, and its process stops there (its lock then expires). */
async function claimedByStoppedSend(store: Store, interviewId: string, messageId: string): Promise<string> {
  const stored = await getStoredInterview(store, interviewId);
  const claim = await claimSend(store, { interviewId, kind: 'confirmation', messageId, read: stored!.raw, owner: 'send-in-flight' }, { token: 'send-in-flight', ttlMs: 10_000 });
  await releaseLease(store, emailLockKey(interviewId, 'confirmation'), 'send-in-flight');
  return claim;
}

describe('a listing gone from its calendar while its confirmation was being sent', () => {
  it.each([
    ['claimed and handed to the mailbox', true],
    ['claimed, not yet handed over', false],
  ])('hands the call over with that confirmation counted as sent (%s)', async (_, submitted) => {
    const { harness, set, owner } = await listedInBoth('in-flight', 40, { started: true });
    const heir = interviewIdFor('b', 'in-flight');
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === owner);
    // The send step has claimed the Message-ID (store/drafts.ts), and maybe recorded the hand-off
    // to the mailbox (engine/submitted.ts), when the listing leaves its calendar: the cancel then
    // deletes the draft still in Drafts and records it deleted.
    const record = (await getEmails(harness.engine.store, owner)).find((e) => e.kind === 'confirmation');
    expect(record?.state).toBe('draft');
    expect(await claimedByStoppedSend(harness.engine.store, owner, record!.ref.messageId)).toBe('first');
    if (submitted) await saveEmail(harness.engine.store, owner, { ...record!, state: 'submitted', submittedAt: harness.now(), updatedAt: harness.now() });
    await set('a', []);
    await syncOnce(harness.engine, 'a');
    const taken = await harness.waitForAudit((r) => r.type === 'updated' && r.interviewId === heir);
    expect(taken.message).toContain('not sent again: confirmation');
    await harness.advance(26 * MINUTE);
    await settled(harness, heir, ['confirmation-send']);
    expect((await harness.folder('Sent')).filter((f) => f.mail.messageId?.includes(`.${heir}.confirmation.`))).toEqual([]);
    expect((await harness.audit(heir)).filter((r) => r.type === 'sent')).toEqual([]);
  });
});

describe('a handover cut short after the listing that left its calendar was withdrawn', () => {
  it('leaves the confirmation the listing that left had sent counted as sent, when the duplicate changes first', async () => {
    const { harness, set, event, owner } = await listedInBoth('handover-duplicate-first', 40, { started: true });
    const heir = interviewIdFor('b', 'handover-duplicate-first');
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === owner);
    const record = (await getEmails(harness.engine.store, owner)).find((e) => e.kind === 'confirmation');
    expect(await claimedByStoppedSend(harness.engine.store, owner, record!.ref.messageId)).toBe('first');
    await saveEmail(harness.engine.store, owner, { ...record!, state: 'submitted', submittedAt: harness.now(), updatedAt: harness.now() });
    // Withdrawn as gone, and the process stopped before the handover; calendar b's entry changes
    // and is read before calendar a is read again.
    await set('a', []);
    const gone = await getInterview(harness.engine.store, owner);
    await cancelInterview(harness.engine, gone!, 'cancelled', `"${gone!.title}" was removed from the calendar`, { vanished: true });
    await set('b', [{ ...event, location: 'Phone' }]);
    await syncOnce(harness.engine, 'b');
    expect((await getInterview(harness.engine.store, heir))?.duplicateOf).toBeUndefined();
    await harness.advance(26 * MINUTE);
    await settled(harness, heir, ['confirmation-send']);
    expect((await harness.folder('Sent')).filter((f) => f.mail.messageId?.includes(`.${heir}.confirmation.`))).toEqual([]);
    expect((await harness.audit(heir)).filter((r) => r.type === 'sent')).toEqual([]);
  });

  it('with a third calendar, leaves the call to one listing when a duplicate changes first and the reconciler runs after', async () => {
    const { harness, set } = await twoCalendars(['a', 'b', 'c']);
    const event = interviewEvent({ uid: 'handover-three', start: soon(harness, 3 * 60) });
    for (const which of ['a', 'b', 'c']) await set(which, [event]);
    for (const which of ['a', 'b', 'c']) await syncOnce(harness.engine, which);
    const [a, b, c] = ['a', 'b', 'c'].map((which) => interviewIdFor(which, 'handover-three')) as [string, string, string];
    await set('a', []);
    const gone = await getInterview(harness.engine.store, a);
    await cancelInterview(harness.engine, gone!, 'cancelled', `"${gone!.title}" was removed from the calendar`, { vanished: true });
    await set('b', [{ ...event, location: 'Phone' }]);
    await syncOnce(harness.engine, 'b');
    await reconcile(harness.engine);
    const planned = [];
    for (const id of [a, b, c]) {
      if ((await getActionRecords(harness.engine.store, id)).some((r) => r.kind === 'confirmation-send' && r.state === 'pending')) planned.push(id);
    }
    expect(planned).toEqual([b]);
    expect((await getInterview(harness.engine.store, c))?.duplicateOf).toBe(b);
  });

  it.each([['the next sync of that calendar'], ['the reconciler']])('is made by %s', async (by) => {
    const { harness, set, owner } = await listedInBoth('handover-cut-short', 3 * 60);
    const heir = interviewIdFor('b', 'handover-cut-short');
    // The sync that read the removal withdrew the listing as gone and the process died there,
    // before the other calendar's listing took the call over (and before the sync was stored).
    await set('a', []);
    const gone = await getInterview(harness.engine.store, owner);
    await cancelInterview(harness.engine, gone!, 'cancelled', `"${gone!.title}" was removed from the calendar`, { vanished: true });
    expect((await getInterview(harness.engine.store, heir))?.duplicateOf).toBe(owner);

    if (by === 'the reconciler') await reconcile(harness.engine);
    else await syncOnce(harness.engine, 'a');
    expect((await getInterview(harness.engine.store, heir))?.duplicateOf).toBeUndefined();
    expect((await harness.audit(heir)).filter((r) => r.message.includes(`takes over the call from ${owner}`))).toHaveLength(1);
    expect((await getActionRecords(harness.engine.store, heir)).some((r) => r.kind === 'confirmation-send' && r.state === 'pending')).toBe(true);
  });
});
