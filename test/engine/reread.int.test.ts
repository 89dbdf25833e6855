/**
 * After an upgrade that improves detection, the events an earlier version left out are read again
 * at the next sync, although the calendar reports no change: real Redis, the ics source and the
 * Maildir. The earlier version's state is written as it wrote it: the calendar's events listed by
 * the ics source, their hashes and busy times and the cursor the sync keeps, and each invitation
 * from a no-reply address kept for `ringback explain` with the reason it gave then
 * ("no-counterpart"), and no detection version (none was kept then).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DETECTION_VERSION, analyse } from '../../src/domain/detect.js';
import { eventHash, interviewIdFor } from '../../src/domain/ids.js';
import type { CalendarEvent } from '../../src/domain/types.js';
import type { Engine } from '../../src/engine/context.js';
import { markEvent } from '../../src/engine/mark.js';
import { describeSkip } from '../../src/engine/process-event.js';
import { getDetectionVersion, setCursor, setDetectionVersion } from '../../src/store/accounts.js';
import { getSeen, saveSeen } from '../../src/store/detections.js';
import { forgetEvents, setEventsSeen } from '../../src/store/events.js';
import { getActionRecords, getInterview } from '../../src/store/interviews.js';
import type { HarnessEvent } from '../providers/calendar/contract.js';
import { MINUTE, openSecondEngine, startEngineHarness, syncOnce, type EngineHarness } from '../support/engine-harness.js';

const HOUR = 60 * MINUTE;
let h: EngineHarness | null = null;
const closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
  await h?.stop();
  h = null;
});

/** An ATS invitation: sent from a no-reply address, only the candidate invited, the interviewer named in the text. */
function noReplyInvitation(uid: string, start: number, company = 'Fabrikam'): HarnessEvent {
  const domain = `${company.toLowerCase()}.example`;
  return {
    uid,
    title: `Interview with ${company}`,
    start,
    end: start + 30 * MINUTE,
    description:
      `Hi Ada,\n\nHere are the details of your upcoming interview for Senior Analyst.\n\n` +
      `Interview: Recruiter Phone Screen\nInterviewer: Sam Lee, Talent Partner\nDuration: 30 minutes\n\n` +
      `Sam will call you at (415) 555-0100 at the time above.\n\nBest,\nThe ${company} Recruiting Team`,
    organizer: { name: `${company} Recruiting`, email: `no-reply@${domain}` },
    attendees: [{ name: 'Ada Park', email: 'ada@example.org', status: 'accepted' }],
  };
}

/**
 * The calendar and the store as a sync of the version before the no-reply change left them: every
 * event's hash and busy time, the cursor, and each event kept as skipped for want of a counterpart.
 */
async function writtenByEarlierVersion(harness: EngineHarness, events: readonly HarnessEvent[]): Promise<CalendarEvent[]> {
  await harness.setEvents(events);
  const source = harness.engine.calendars.get('cal');
  if (!source) throw new Error('no calendar "cal"');
  const listed: CalendarEvent[] = [];
  let cursor: string | null = null;
  for await (const page of source.sync(null, new AbortController().signal)) {
    listed.push(...page.upserts);
    if (page.nextCursor !== undefined) cursor = page.nextCursor;
  }
  expect(new Set(listed.map((e) => e.seriesId ?? e.id))).toEqual(new Set(events.map((e) => e.uid)));
  const store = harness.engine.store;
  await setEventsSeen(store, 'cal', new Map(listed.map((e) => [e.id, { hash: eventHash(e), busy: { start: e.start, end: e.end } }])));
  await setCursor(store, 'cal', cursor);
  const settings = { candidate: harness.config.candidate, detection: harness.config.detection };
  for (const event of listed) {
    const analysis = analyse(event, settings);
    const seen = {
      id: interviewIdFor('cal', event.id),
      sourceId: 'cal',
      event,
      kind: analysis.kind,
      confidence: analysis.confidence,
      reason: describeSkip({ reason: 'no-counterpart' }),
      evidence: analysis.evidence,
    };
    await saveSeen(store, seen, harness.now());
  }
  expect(await getDetectionVersion(store, 'cal')).toBeNull();
  return listed;
}

async function secondEngine(harness: EngineHarness): Promise<Engine> {
  const second = await openSecondEngine(harness);
  closing.push(second.close);
  return second.engine;
}

const found = (harness: EngineHarness, id: string) => harness.audit(id).then((records) => records.filter((r) => r.type === 'detected'));
const readAgainLines = (harness: EngineHarness) => harness.audit().then((records) => records.filter((r) => r.type === 'account' && r.message.includes('read again after an upgrade')));

describe('reading kept events again after detection improved', () => {
  it('makes a kept invitation still ahead an interview at the next sync, once, and leaves a past one kept', async () => {
    h = await startEngineHarness();
    const harness = h;
    const start = Math.floor((harness.now() + 3 * HOUR) / 1000) * 1000;
    await writtenByEarlierVersion(harness, [noReplyInvitation('ahead', start), noReplyInvitation('past', start - 6 * HOUR, 'Contoso')]);
    const ahead = interviewIdFor('cal', 'ahead');
    const past = interviewIdFor('cal', 'past');

    const first = await harness.sync();
    // Nothing changed in the calendar: the interview comes from the kept event.
    expect(first).toMatchObject({ changed: 0, interviewsNew: 1, readAgain: { events: 1, interviews: 1 } });
    expect(await getInterview(harness.engine.store, ahead)).toMatchObject({
      status: 'scheduled',
      revision: 1,
      counterpart: { name: 'Sam Lee', email: null },
      direction: 'interviewer-calls',
      number: '+14155550100',
    });
    expect(await found(harness, ahead)).toHaveLength(1);
    expect((await found(harness, ahead))[0]?.message).toContain('with Sam Lee (no address)');
    const planned = await getActionRecords(harness.engine.store, ahead);
    expect(planned.map((a) => a.kind)).toContain('confirmation-draft');
    const [line] = await readAgainLines(harness);
    expect(line?.message).toContain(`rules 1 → ${DETECTION_VERSION}`);
    expect(line?.message).toContain('1 event of cal still ahead, 1 now phone interview');
    expect(await getDetectionVersion(harness.engine.store, 'cal')).toBe(DETECTION_VERSION);

    // The past invitation is not made an interview, and stays kept for `explain`.
    expect(await getInterview(harness.engine.store, past)).toBeNull();
    expect(await found(harness, past)).toHaveLength(0);
    expect((await getSeen(harness.engine.store, past))?.reason).toBe(describeSkip({ reason: 'no-counterpart' }));

    // Once: the next sync reads nothing again.
    const second = await harness.sync();
    expect(second).toMatchObject({ changed: 0, interviewsNew: 0, interviewsUpdated: 0, readAgain: null });
    expect(await found(harness, ahead)).toHaveLength(1);
    expect(await readAgainLines(harness)).toHaveLength(1);

    // The version lost (a crash before it was stored): read again, nothing changes.
    await harness.engine.store.redis.hdel(`{${harness.config.prefix}}:account:cal`, 'detection');
    const again = await harness.sync();
    expect(again).toMatchObject({ interviewsNew: 0, interviewsUpdated: 0, readAgain: { events: 1, interviews: 0 } });
    expect(await getInterview(harness.engine.store, ahead)).toMatchObject({ status: 'scheduled', revision: 1 });
    expect(await found(harness, ahead)).toHaveLength(1);
    // (A draft due "now" is due at the new now; every step stays of revision 1.)
    expect((await getActionRecords(harness.engine.store, ahead)).map((a) => [a.kind, a.revision])).toEqual(planned.map((a) => [a.kind, a.revision]));
    expect((await harness.audit(ahead)).filter((r) => r.type === 'planned')).toHaveLength(1);

    // The workers write its confirmation as a draft without a recipient, as for a new one.
    await harness.start();
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === ahead);
    const draft = (await harness.folder('Drafts')).find((f) => f.mail.messageId?.includes(`${ahead}.confirmation`));
    expect(draft?.mail.to).toBeUndefined();
    expect(draft?.mail.text).toMatch(/^Hi Sam,\n/);
  });

  it('keeps what the user marked: one marked not an interview stays out, one marked phone keeps its answer', async () => {
    h = await startEngineHarness();
    const harness = h;
    const start = Math.floor((harness.now() + 5 * HOUR) / 1000) * 1000;
    await writtenByEarlierVersion(harness, [
      noReplyInvitation('marked-not', start, 'Contoso'),
      noReplyInvitation('marked-phone', start + HOUR, 'Globex'),
      noReplyInvitation('unmarked', start + 2 * HOUR, 'Initech'),
    ]);
    const [notId, phoneId, unmarkedId] = ['marked-not', 'marked-phone', 'unmarked'].map((uid) => interviewIdFor('cal', uid)) as [string, string, string];
    const kept = async (id: string) => {
      const seen = await getSeen(harness.engine.store, id);
      if (!seen) throw new Error(`${id} is not kept`);
      return { seen };
    };
    // What `ringback mark` did under the earlier version.
    await markEvent(harness.engine, await kept(notId), { kind: 'not-interview' });
    await markEvent(harness.engine, await kept(phoneId), { kind: 'phone', direction: 'candidate-calls', number: '+1 212 555 0177' });
    const marked = await getInterview(harness.engine.store, phoneId);
    expect(marked).toMatchObject({ decidedBy: 'you', direction: 'candidate-calls', number: '+12125550177', revision: 1 });

    const summary = await harness.sync();
    expect(summary).toMatchObject({ changed: 0, interviewsNew: 1, interviewsUpdated: 0, withdrawn: 0, readAgain: { events: 3, interviews: 1 } });
    expect(await getInterview(harness.engine.store, notId)).toBeNull();
    expect(await getInterview(harness.engine.store, phoneId)).toMatchObject({ decidedBy: 'you', direction: 'candidate-calls', number: '+12125550177', revision: 1, review: false });
    expect(await getInterview(harness.engine.store, unmarkedId)).toMatchObject({ decidedBy: 'detection', direction: 'interviewer-calls', counterpart: { email: null } });
    expect(await found(harness, phoneId)).toHaveLength(1);
  });

  it('reads only what the calendar still says: not an event deleted or changed since it was kept; each occurrence of a series', async () => {
    h = await startEngineHarness();
    const harness = h;
    const start = Math.floor((harness.now() + 3 * HOUR) / 1000) * 1000;
    const gone = noReplyInvitation('gone', start, 'Contoso');
    const lunch = noReplyInvitation('lunch', start + HOUR, 'Initech');
    const series = { ...noReplyInvitation('series', start + 2 * HOUR, 'Globex'), recurrence: { freq: 'WEEKLY' as const, count: 2 } };
    const listed = await writtenByEarlierVersion(harness, [gone, lunch, series]);
    expect(listed.filter((e) => e.seriesId === 'series')).toHaveLength(2);
    // Then the earlier version synced again: one event deleted, one changed into a lunch (not kept,
    // so its kept record stays as it was).
    await harness.setEvents([{ ...lunch, title: 'Lunch', description: 'Sandwiches at noon.' }, series]);
    const store = harness.engine.store;
    const source = harness.engine.calendars.get('cal');
    if (!source) throw new Error('no calendar "cal"');
    const now: CalendarEvent[] = [];
    let cursor: string | null = null;
    for await (const page of source.sync(null, new AbortController().signal)) {
      now.push(...page.upserts);
      if (page.nextCursor !== undefined) cursor = page.nextCursor;
    }
    const changed = now.find((e) => e.id === 'lunch');
    if (!changed) throw new Error('the lunch is not listed');
    await setEventsSeen(store, 'cal', new Map([['lunch', { hash: eventHash(changed), busy: { start: changed.start, end: changed.end } }]]));
    await forgetEvents(store, 'cal', ['gone']);
    await setCursor(store, 'cal', cursor);
    expect(await getSeen(store, interviewIdFor('cal', 'gone'))).not.toBeNull();
    expect(await getSeen(store, interviewIdFor('cal', 'lunch'))).not.toBeNull();

    const summary = await harness.sync();
    expect(summary).toMatchObject({ changed: 0, interviewsNew: 2, readAgain: { events: 2, interviews: 2 } });
    expect(await getInterview(store, interviewIdFor('cal', 'gone'))).toBeNull();
    expect(await getInterview(store, interviewIdFor('cal', 'lunch'))).toBeNull();
    for (const occurrence of listed.filter((e) => e.seriesId === 'series')) {
      expect(await getInterview(store, interviewIdFor('cal', occurrence.id))).toMatchObject({ status: 'scheduled', start: occurrence.start });
    }
  });

  it('reads them again once when two processes sync the calendar at the same moment', async () => {
    h = await startEngineHarness();
    const harness = h;
    const start = Math.floor((harness.now() + 4 * HOUR) / 1000) * 1000;
    await writtenByEarlierVersion(harness, [noReplyInvitation('one', start), noReplyInvitation('two', start + HOUR, 'Globex')]);
    // An earlier stored version counts as the absence of one does.
    await setDetectionVersion(harness.engine.store, 'cal', DETECTION_VERSION - 1);
    const other = await secondEngine(harness);

    const summaries = await Promise.all([syncOnce(harness.engine, 'cal'), syncOnce(other, 'cal')]);
    expect(summaries.map((s) => s.readAgain).filter((r) => r !== null)).toEqual([{ events: 2, interviews: 2 }]);
    expect(summaries.reduce((n, s) => n + s.interviewsNew, 0)).toBe(2);
    for (const uid of ['one', 'two']) {
      const id = interviewIdFor('cal', uid);
      expect(await found(harness, id)).toHaveLength(1);
      expect((await harness.audit(id)).filter((r) => r.type === 'planned')).toHaveLength(1);
      expect(await getInterview(harness.engine.store, id)).toMatchObject({ status: 'scheduled', revision: 1 });
    }
    expect(await readAgainLines(harness)).toHaveLength(1);
  });
});
