/**
 * A calendar that answers, for one sync, without several interviews (a feed answering an empty
 * calendar for a while, a partial CalDAV listing: src/domain/vanishing.ts cites the reports): the
 * cancellations wait for the next sync to confirm them. The engine with its own Redis, the ics
 * file and the Maildir of the harness, and the daemon's workers writing the drafts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { getAccountStatus } from '../../src/store/accounts.js';
import { awaitConfirmation } from '../../src/engine/vanishing.js';
import { getActionRecords, listInterviews } from '../../src/store/interviews.js';
import { countRoundTrips } from '../support/round-trips.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { harnessCalendarToIcs, type HarnessEvent } from '../providers/calendar/contract.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

/** Three calls ahead, each with its confirmation drafted in the Maildir. */
async function threeDrafted(harness: EngineHarness): Promise<HarnessEvent[]> {
  const base = Math.floor((harness.now() + 30 * MINUTE) / 1000) * 1000;
  const events = ['a', 'b', 'c'].map((uid, i) => interviewEvent({ uid: `vanish-${uid}`, start: base + i * 20 * MINUTE, title: `Phone screen ${uid} with Dana (Acme)` }));
  await harness.setEvents(events);
  await harness.start();
  await harness.sync();
  for (const event of events) {
    const id = interviewIdFor('cal', event.uid);
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
  }
  expect(await harness.folder('Drafts')).toHaveLength(3);
  return events;
}

const scheduled = async (harness: EngineHarness) =>
  (await listInterviews(harness.runtime.store)).filter((iv) => iv.status === 'scheduled').map((iv) => ({ id: iv.id, revision: iv.revision }));

describe('interviews that disappear from the calendar several at once', () => {
  it('are kept until the next sync, and nothing is written twice when they are listed again', async () => {
    h = await startEngineHarness();
    const events = await threeDrafted(h);
    const before = await scheduled(h);
    expect(before).toHaveLength(3);

    // A feed answering a whole, empty calendar for a while.
    await h.setEvents([]);
    const gone = await h.sync();
    expect(gone.withdrawn).toBe(0);
    const waiting = (await h.audit()).filter((r) => r.type === 'account' && r.message.includes('no longer lists'));
    expect(waiting.map((r) => r.message)).toEqual([
      'calendar cal no longer lists 3 interviews ("Phone screen a with Dana (Acme)", "Phone screen b with Dana (Acme)", "Phone screen c with Dana (Acme)"); waiting for the next sync to confirm before cancelling, nothing is deleted or sent meanwhile',
    ]);
    expect(await scheduled(h)).toEqual(before);
    expect(await h.folder('Drafts')).toHaveLength(3);

    await h.setEvents(events);
    const back = await h.sync();
    expect(back).toMatchObject({ withdrawn: 0, interviewsNew: 0, interviewsUpdated: 0, changed: 0 });
    expect(await scheduled(h)).toEqual(before);
    await h.waitForAudit((r) => r.type === 'account' && r.message === 'calendar cal lists again 3 interviews it had left out: nothing was cancelled');
    const audit = await h.audit();
    expect(audit.filter((r) => r.type === 'cancelled' || r.type === 'deleted-draft')).toEqual([]);
    expect(audit.filter((r) => r.type === 'drafted')).toHaveLength(3);
    expect(await h.folder('Drafts')).toHaveLength(3);

    // The next sync of the same calendar is an ordinary one: no second "lists again".
    await h.sync();
    expect((await h.audit()).filter((r) => r.message.includes('lists again'))).toHaveLength(1);
  });

  it('are cancelled when the next sync confirms it, their drafts deleted then', async () => {
    h = await startEngineHarness();
    await threeDrafted(h);
    await h.setEvents([]);
    expect((await h.sync()).withdrawn).toBe(0);
    expect(await h.folder('Drafts')).toHaveLength(3);

    const confirmed = await h.sync();
    expect(confirmed.withdrawn).toBe(3);
    expect(await scheduled(h)).toEqual([]);
    expect((await h.audit()).filter((r) => r.type === 'cancelled')).toHaveLength(3);
    expect(await h.folder('Drafts')).toHaveLength(0);
    // Once: the wait is over, the next sync has nothing left to confirm.
    expect((await h.sync()).withdrawn).toBe(0);
    expect((await h.audit()).filter((r) => r.message.includes('no longer lists'))).toHaveLength(1);
  });

  it('still cancels a single interview removed by its organizer at once', async () => {
    h = await startEngineHarness();
    const events = await threeDrafted(h);
    await h.setEvents(events.slice(1));
    expect((await h.sync()).withdrawn).toBe(1);
    const id = interviewIdFor('cal', events[0]?.uid ?? '');
    await h.waitForAudit((r) => r.type === 'deleted-draft' && r.interviewId === id);
    expect(await h.folder('Drafts')).toHaveLength(2);
    expect((await h.audit()).filter((r) => r.message.includes('no longer lists'))).toEqual([]);
  });

  it('a calendar file caught half-written withdraws nothing, not even the one interview it cut off', async () => {
    h = await startEngineHarness();
    const events = await threeDrafted(h);
    const before = await scheduled(h);
    const whole = harnessCalendarToIcs(events);
    // Cut inside the last entry, as an editor or a sync tool leaves it for a moment.
    await h.setCalendarText(whole.slice(0, whole.lastIndexOf('SUMMARY:')));
    await expect(h.sync()).rejects.toThrow(/^the file .* is not a whole calendar: its last entry is cut off/);
    expect((await getAccountStatus(h.runtime.store, 'cal')).lastError).toMatch(/not a whole calendar/);
    expect(await scheduled(h)).toEqual(before);
    expect(await h.folder('Drafts')).toHaveLength(3);

    await h.setCalendarText(whole);
    expect(await h.sync()).toMatchObject({ withdrawn: 0, interviewsNew: 0, interviewsUpdated: 0 });
    expect(await scheduled(h)).toEqual(before);
    expect((await h.audit()).filter((r) => r.type === 'cancelled' || r.type === 'deleted-draft' || r.type === 'drafted')).toHaveLength(3);
  });

  it('a recurring call moved is a change, not a disappearance: its old occurrences are withdrawn at once', async () => {
    h = await startEngineHarness();
    const start = Math.floor((h.now() + 60 * MINUTE) / 1000) * 1000;
    const series = interviewEvent({ uid: 'weekly-1', start, recurrence: { freq: 'WEEKLY', count: 3 } });
    await h.setEvents([series]);
    await h.sync();
    const before = await scheduled(h);
    expect(before).toHaveLength(3);

    // Every occurrence gets a new id (uid/original start): three interviews gone, three new.
    await h.setEvents([{ ...series, start: series.start + 40 * MINUTE, end: series.end + 40 * MINUTE }]);
    const moved = await h.sync();
    expect(moved).toMatchObject({ withdrawn: 3, interviewsNew: 3 });
    const after = await scheduled(h);
    expect(after).toHaveLength(3);
    expect(after.map((iv) => iv.id).filter((id) => before.some((b) => b.id === id))).toEqual([]);
    expect((await h.audit()).filter((r) => r.message.includes('no longer lists'))).toEqual([]);
  });

  it('costs an ordinary poll nothing: no Redis command while fewer than two events are gone', async () => {
    h = await startEngineHarness();
    const counting = countRoundTrips(h.runtime.redis);
    expect(await awaitConfirmation(h.engine, 'cal', new Set(), new Set(), new Set(['a', 'b']))).toEqual([]);
    expect(await awaitConfirmation(h.engine, 'cal', new Set(['gone-1']), new Set(), new Set(['a']))).toEqual([]);
    expect(counting.stop().commands).toBe(0);
  });
});

/** The state of an interview's confirmation send, as `ringback interviews` shows it. */
async function sendState(harness: EngineHarness, interviewId: string) {
  return (await getActionRecords(harness.runtime.store, interviewId)).find((r) => r.kind === 'confirmation-send');
}

/**
 * The first call (30 minutes ahead, its confirmation due 15 minutes before it) while the calendar
 * lists none of the three: its send falls due during the wait and is held.
 */
async function heldDuringWait(harness: EngineHarness): Promise<{ events: HarnessEvent[]; first: string }> {
  const events = await threeDrafted(harness);
  const first = interviewIdFor('cal', events[0]?.uid ?? '');
  await harness.setEvents([]);
  expect((await harness.sync()).withdrawn).toBe(0);
  await harness.advance(16 * MINUTE, { sync: false });
  const held = await harness.waitForAudit((r) => r.interviewId === first && r.message.startsWith('confirmation send held'));
  expect(held.message).toBe('confirmation send held: calendar cal no longer lists this call; it is sent if the next sync lists it again, and withdrawn if not');
  expect(await sendState(harness, first)).toMatchObject({ state: 'parked' });
  expect(await harness.folder('Sent')).toHaveLength(0);
  expect(await harness.folder('Drafts')).toHaveLength(3);
  return { events, first };
}

describe('a confirmation that falls due while the calendar waits to confirm its call is gone', () => {
  it('is held, and sent when the next sync lists the call again', async () => {
    h = await startEngineHarness();
    const { events, first } = await heldDuringWait(h);

    await h.setEvents(events);
    expect(await h.sync()).toMatchObject({ withdrawn: 0, interviewsNew: 0, interviewsUpdated: 0 });
    const sent = await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === first);
    expect(sent.message).toContain('dana@acme.example');
    expect(await sendState(h, first)).toMatchObject({ state: 'sent' });
    expect(await h.folder('Sent')).toHaveLength(1);
    expect(await h.folder('Drafts')).toHaveLength(2);
    // Held once, sent once: the other two calls' sends are not due yet.
    const audit = await h.audit();
    expect(audit.filter((r) => r.type === 'sent')).toHaveLength(1);
    expect(audit.filter((r) => r.message.startsWith('confirmation send held'))).toHaveLength(1);
    expect(audit.filter((r) => r.type === 'missed' || r.type === 'cancelled')).toEqual([]);
  });

  it('is withdrawn, never sent, when the next sync confirms the call is gone; the draft\'s text is kept', async () => {
    h = await startEngineHarness();
    const { first } = await heldDuringWait(h);

    expect((await h.sync()).withdrawn).toBe(3);
    const deleted = await h.waitForAudit((r) => r.type === 'deleted-draft' && r.interviewId === first);
    expect(deleted.message).toMatch(/^confirmation draft removed from Drafts \(".*"\); it read: ".+"/);
    expect(await sendState(h, first)).toMatchObject({ state: 'cancelled' });
    expect(await h.folder('Sent')).toHaveLength(0);
    expect(await h.folder('Drafts')).toHaveLength(0);
    expect((await h.audit()).filter((r) => r.type === 'sent')).toEqual([]);
  });

  it('is missed, naming the calendar, when by the time the call is listed again it is less than minLead away', async () => {
    h = await startEngineHarness();
    const { events, first } = await heldDuringWait(h);
    // 22 minutes on, the reconciler not run since: the first call is 8 minutes away (minLeadMinutes 10).
    await h.advance(6 * MINUTE, { reconcile: false, sync: false });

    await h.setEvents(events);
    await h.sync();
    const missed = await h.waitForAudit((r) => r.type === 'missed' && r.interviewId === first);
    expect(missed.message).toMatch(
      /^confirmation send missed: it was held while calendar cal did not list the call \(from \w{3} \d{1,2} \w{3} \d\d:\d\d E[SD]T to \w{3} \d{1,2} \w{3} \d\d:\d\d E[SD]T\), and by then the call was less than 10 minutes away$/,
    );
    expect(await sendState(h, first)).toMatchObject({ state: 'missed' });
    expect(await h.folder('Sent')).toHaveLength(0);
    expect((await h.audit()).filter((r) => r.type === 'sent')).toEqual([]);
  });

  it('is missed while the wait lasts when the reconciler finds its time past, and not sent when the call is listed again', async () => {
    h = await startEngineHarness();
    const { events, first } = await heldDuringWait(h);
    // The reconciler drops the send from the plan (the call is 8 minutes away).
    await h.advance(6 * MINUTE, { sync: false });
    const missed = await h.waitForAudit((r) => r.type === 'missed' && r.interviewId === first);
    expect(missed.message).toMatch(/^confirmation send missed: it was held while calendar cal did not list the call \(since \w{3} \d{1,2} \w{3} \d\d:\d\d E[SD]T\), and by then the call was less than 10 minutes away$/);

    await h.setEvents(events);
    await h.sync();
    await h.waitForAudit((r) => r.message.startsWith('calendar cal lists again'));
    expect(await sendState(h, first)).toMatchObject({ state: 'missed' });
    expect(await h.folder('Sent')).toHaveLength(0);
    const audit = await h.audit();
    expect(audit.filter((r) => r.type === 'sent')).toEqual([]);
    expect(audit.filter((r) => r.type === 'missed')).toHaveLength(1);
  });
});
