/**
 * The candidate travels: `candidate.timezone` in ringback.yaml changes from New York to Lisbon and
 * the daemon starts again while calls are pending (one whose confirmation is drafted and not
 * sent, one whose confirmation went and whose follow-ups are to come, one a week out). A call is
 * an instant: none moves. The draft ringback wrote on Eastern time and the user left as it was
 * goes out on the candidate's new clock; the confirmation already sent is not sent again; what is
 * written after the change (the no-show note and the times it offers, the audit) speaks the new
 * zone, and the free times it proposes fall in working hours in Lisbon. Real Redis and workers,
 * the ics source and the Maildir.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { recordOutcome } from '../../src/engine/outcome.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { clockWithZone } from '../../src/domain/zones.js';
import { getActionRecords, getInterview } from '../../src/store/interviews.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness, type MailFile } from '../support/engine-harness.js';

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const LISBON = 'Europe/Lisbon';
const NEW_YORK = 'America/New_York';
let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const flat = (text: string | undefined): string => (text ?? '').replace(/\s+/g, ' ');
/** The Lisbon hours of the times an email offers: each inside working hours there (08:00–18:00). */
function expectLisbonDay(text: string): void {
  const offered = [...text.matchAll(/(\d{1,2}):(\d{2})(?: (AM|PM))? (WET|WEST)/g)];
  expect(offered.length).toBeGreaterThan(0);
  for (const [, hh, , half] of offered) {
    const hour = half === undefined ? Number(hh) : (Number(hh) % 12) + (half === 'PM' ? 12 : 0);
    expect(hour).toBeGreaterThanOrEqual(8);
    expect(hour).toBeLessThan(18);
  }
}

const of = (files: readonly MailFile[], id: string, kind: string): MailFile | undefined => files.find((f) => f.mail.messageId?.includes(`${id}.${kind}.`));

describe('the candidate moves to another zone while calls are pending', () => {
  it('keeps every call at its instant and writes what leaves after the move on the new clock', async () => {
    const harness = await startEngineHarness({ timing: { confirmLeadMinutes: 60 } });
    h = harness;
    // 14:00 UTC of a coming day: 9 AM in New York, 2 PM in Lisbon (WET, UTC+0 in winter; WEST in summer).
    const base = Math.ceil((harness.now() + HOUR) / DAY) * DAY + 14 * HOUR;
    await harness.advance(base - harness.now());
    const sentFirst = base + 70 * MINUTE; // its confirmation leaves at base + 10 min, before the move
    const drafted = base + 3 * HOUR; // its confirmation is drafted before the move, due after it
    const nextWeek = base + 7 * DAY;
    const edited = base + 4 * HOUR; // drafted before the move and edited by the user

    await harness.setEvents([
      interviewEvent({ uid: 'sent-first', start: sentFirst }),
      interviewEvent({ uid: 'drafted', start: drafted, organizer: { name: 'Sam Ortiz', email: 'sam@globex.example' }, attendees: [{ name: 'Ada Park', email: 'ada@example.org', status: 'accepted' }, { name: 'Sam Ortiz', email: 'sam@globex.example', status: 'accepted' }], title: 'Phone screen with Sam (Globex)', description: 'Sam will call you.' }),
      interviewEvent({ uid: 'edited', start: edited, organizer: { name: 'Kim Roy', email: 'kim@umbrella.example' }, attendees: [{ name: 'Ada Park', email: 'ada@example.org', status: 'accepted' }, { name: 'Kim Roy', email: 'kim@umbrella.example', status: 'accepted' }], title: 'Phone screen with Kim (Umbrella)', description: 'Kim will call you.' }),
      interviewEvent({ uid: 'next-week', start: nextWeek, organizer: { name: 'Lee Chen', email: 'lee@initech.example' }, attendees: [{ name: 'Ada Park', email: 'ada@example.org', status: 'accepted' }, { name: 'Lee Chen', email: 'lee@initech.example', status: 'accepted' }], title: 'Phone screen with Lee (Initech)', description: 'Lee will call you.' }),
    ]);
    await harness.sync();
    await harness.start();
    const [a, b, c, e] = ['sent-first', 'drafted', 'next-week', 'edited'].map((uid) => interviewIdFor('cal', uid)) as [string, string, string, string];
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === b);
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === e);
    // The user's edit: their edits win, the old clock with them (it names the same instant).
    const mine = of(await harness.folder('Drafts'), e, 'confirmation');
    await writeFile(mine?.path as string, (await readFile(mine?.path as string, 'utf8')).replaceAll('I look forward', 'P.S. edited by Ada. I look forward'));
    await harness.advance(15 * MINUTE);
    await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === a);
    const eastern = of(await harness.folder('Drafts'), b, 'confirmation');
    expect(flat(eastern?.mail.text)).toContain(clockWithZone(drafted, NEW_YORK));
    const before = await Promise.all([a, b, c].map(async (id) => ({ start: (await getInterview(harness.runtime.store, id))?.start, due: (await getActionRecords(harness.runtime.store, id)).map((r) => [r.kind, r.dueAt]) })));

    await harness.reopenWith({ timezone: LISBON });
    await harness.start();
    // Instants never move: the calls and every planned step are where they were.
    const after = await Promise.all([a, b, c].map(async (id) => ({ start: (await getInterview(harness.runtime.store, id))?.start, due: (await getActionRecords(harness.runtime.store, id)).map((r) => [r.kind, r.dueAt]) })));
    expect(after).toEqual(before);

    // The first call's no-show note (15 min after it): Lisbon's clock, and free times inside working hours there.
    await harness.advance(sentFirst + 16 * MINUTE - harness.now());
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === a && r.message.includes('no-show'));
    const noshow = flat(of(await harness.folder('Drafts'), a, 'noshow')?.mail.text);
    expect(noshow).toContain(clockWithZone(sentFirst, LISBON).split(' ')[0] ?? '');
    expect(noshow).not.toMatch(/Eastern/);
    expectLisbonDay(noshow);

    // The drafted confirmation leaves on the new clock; the sent one is not sent again.
    await harness.advance(drafted - HOUR + MINUTE - harness.now());
    await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === b);
    const sent = await harness.folder('Sent');
    expect(sent.filter((f) => f.mail.messageId?.includes(`${a}.confirmation.`))).toHaveLength(1);
    const confirmation = flat(of(sent, b, 'confirmation')?.mail.text);
    expect(confirmation).toContain(clockWithZone(drafted, LISBON));
    expect(confirmation).not.toContain('Eastern');
    expect(of(sent, b, 'confirmation')?.mail.subject).toContain(clockWithZone(drafted, LISBON));

    await harness.advance(edited - HOUR + MINUTE - harness.now());
    await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === e);
    const theirs = flat(of(await harness.folder('Sent'), e, 'confirmation')?.mail.text);
    expect(theirs).toContain('P.S. edited by Ada.');
    expect(theirs).toContain(clockWithZone(edited, NEW_YORK));

    // The candidate missed that call: the apology's free times are in their day in Lisbon.
    await harness.advance(drafted + 40 * MINUTE - harness.now());
    await recordOutcome(harness.engine, b, 'candidate-missed', 'cli');
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === b && r.message.includes('apology'), 60_000);
    const apology = flat(of(await harness.folder('Drafts'), b, 'apology')?.mail.text);
    expect(apology).not.toContain('Eastern');
    expectLisbonDay(apology);

    // The call a week out: drafted on the new clock, and the audit says when it leaves on it.
    await harness.advance(nextWeek - 20 * HOUR - harness.now());
    const written = await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === c);
    expect(written.message).toMatch(/WE(S)?T/);
    expect(flat(of(await harness.folder('Drafts'), c, 'confirmation')?.mail.text)).toContain(clockWithZone(nextWeek, LISBON));
  });
});

/**
 * What the user reviews is what will go: the drafts in Drafts follow the new zone as ringback starts
 * (engine/travel.ts), before their send; an edited one is left, and the user told once.
 */
describe('the candidate changes zone while confirmations wait in Drafts', () => {
  it('rewrites the draft left as written on the new clock at once, and leaves an edited one with a word to the user', async () => {
    const harness = await startEngineHarness({ timing: { confirmLeadMinutes: 60 } });
    h = harness;
    const base = Math.ceil((harness.now() + HOUR) / DAY) * DAY + 14 * HOUR;
    await harness.advance(base - harness.now());
    const left = base + 3 * HOUR;
    const edited = base + 4 * HOUR;
    await harness.setEvents([
      interviewEvent({ uid: 'left', start: left, organizer: { name: 'Sam Ortiz', email: 'sam@globex.example' }, attendees: [{ name: 'Ada Park', email: 'ada@example.org', status: 'accepted' }, { name: 'Sam Ortiz', email: 'sam@globex.example', status: 'accepted' }], title: 'Phone screen with Sam (Globex)', description: 'Sam will call you.' }),
      interviewEvent({ uid: 'edited', start: edited, organizer: { name: 'Kim Roy', email: 'kim@umbrella.example' }, attendees: [{ name: 'Ada Park', email: 'ada@example.org', status: 'accepted' }, { name: 'Kim Roy', email: 'kim@umbrella.example', status: 'accepted' }], title: 'Phone screen with Kim (Umbrella)', description: 'Kim will call you.' }),
    ]);
    await harness.sync();
    await harness.start();
    const [l, e] = ['left', 'edited'].map((uid) => interviewIdFor('cal', uid)) as [string, string];
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === l);
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === e);
    const mine = of(await harness.folder('Drafts'), e, 'confirmation');
    await writeFile(mine?.path as string, (await readFile(mine?.path as string, 'utf8')).replaceAll('I look forward', 'P.S. edited by Ada. I look forward'));
    expect(flat(of(await harness.folder('Drafts'), l, 'confirmation')?.mail.text)).toContain(clockWithZone(left, NEW_YORK));

    await harness.reopenWith({ timezone: LISBON });
    await harness.start();
    // The start's reconcile: the draft left as written now reads the new clock, in Drafts, before its send.
    const rewritten = await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === l && r.message.includes(LISBON));
    expect(rewritten.message).toContain(clockWithZone(left, LISBON));
    const drafts = await harness.folder('Drafts');
    const now = of(drafts, l, 'confirmation');
    expect(flat(now?.mail.text)).toContain(clockWithZone(left, LISBON));
    expect(flat(now?.mail.text)).not.toContain('Eastern');
    expect(now?.mail.subject).toContain(clockWithZone(left, LISBON));
    // Still one draft of it: written again in place, not beside.
    expect(drafts.filter((f) => f.mail.messageId?.includes(`${l}.confirmation.`))).toHaveLength(1);

    // The edited draft keeps the user's words and the old clock; the user is told, once.
    const told = await harness.waitForAudit((r) => r.type === 'kept-as-draft' && r.interviewId === e);
    expect(told.message).toContain('you changed');
    expect(told.message).toContain(clockWithZone(edited, NEW_YORK));
    expect(told.message).toContain(clockWithZone(edited, LISBON));
    const theirs = flat(of(await harness.folder('Drafts'), e, 'confirmation')?.mail.text);
    expect(theirs).toContain('P.S. edited by Ada.');
    expect(theirs).toContain(clockWithZone(edited, NEW_YORK));
    await reconcile(harness.engine);
    expect((await harness.audit(e)).filter((r) => r.type === 'kept-as-draft' && r.message.includes('you changed'))).toHaveLength(1);

    // Each goes as it stands in Drafts now.
    await harness.advance(left - HOUR + MINUTE - harness.now());
    await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === l);
    const sent = of(await harness.folder('Sent'), l, 'confirmation');
    expect(flat(sent?.mail.text)).toBe(flat(now?.mail.text));
    await harness.advance(edited - HOUR + MINUTE - harness.now());
    await harness.waitForAudit((r) => r.type === 'sent' && r.interviewId === e);
    expect(flat(of(await harness.folder('Sent'), e, 'confirmation')?.mail.text)).toContain('P.S. edited by Ada.');
  });
});
