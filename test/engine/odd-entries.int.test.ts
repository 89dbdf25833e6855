/**
 * Odd entries from real calendars (sources in test/providers/calendar/odd-entries.test.ts) stored
 * in a real Radicale beside an ordinary interview: one sync plans the interview, and each odd
 * entry is either read or audited as left out with its reason, without holding the sync.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { harnessCalendarToIcs } from '../providers/calendar/contract.js';
import { MINUTE, interviewEvent, startEngineHarness, syncOnce, type EngineHarness } from '../support/engine-harness.js';
import { radicaleVersionSync, startRadicale, type TestRadicale } from '../support/radicale.js';
import { DateTime } from 'luxon';
import { clockWithZone } from '../../src/domain/zones.js';
import { explanationOf, findEvent } from '../../src/read/explain.js';
import { listInterviews } from '../../src/store/interviews.js';

let radicale: TestRadicale;
let h: EngineHarness | null = null;

beforeAll(async () => {
  radicale = await startRadicale();
});
afterEach(async () => {
  await h?.stop();
  h = null;
});
afterAll(async () => {
  await radicale?.stop();
});

const stamp = (t: number): string => new Date(t).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

describe(`odd calendar entries over CalDAV (Radicale ${radicaleVersionSync()})`, () => {
  it('plans the interview beside them, and audits each odd entry with its reason; a rule that never matches leaves its start', async () => {
    const calendar = await radicale.makeCalendar(`odd-${randomUUID().slice(0, 8)}`);
    const engine = await startEngineHarness({
      calendars: [{ type: 'caldav', id: 'work', url: radicale.url, username: radicale.username, calendars: [calendar] }],
      secrets: { work: { password: radicale.password } },
    });
    h = engine;
    const start = Math.floor((engine.now() + 3 * 60 * MINUTE) / 1000) * 1000;
    await radicale.putObject(calendar, 'interview.ics', harnessCalendarToIcs([interviewEvent({ uid: 'interview@odd', start })]));
    const odd = (uid: string, rrule: string, begins = start + 24 * 60 * MINUTE): string =>
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//test//EN',
        'BEGIN:VEVENT',
        `UID:${uid}`,
        `DTSTAMP:${stamp(engine.now())}`,
        `DTSTART:${stamp(begins)}`,
        'DURATION:PT30M',
        `RRULE:${rrule}`,
        'SUMMARY:Phone screen with Dana (Acme)',
        'ORGANIZER;CN=Dana Whitfield:mailto:dana@acme.example',
        'END:VEVENT',
        'END:VCALENDAR',
        '',
      ].join('\r\n');
    // The 30th of February (RFC 5545 makes the set empty); ice-cube-ruby/ice_cube#449; sabre-io/vobject#371.
    await radicale.putObject(calendar, 'february.ics', odd('february@odd', 'FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30;BYSETPOS=1'));
    await radicale.putObject(calendar, 'tenth.ics', odd('tenth@odd', 'FREQ=MONTHLY;BYDAY=MO;BYSETPOS=10'));
    await radicale.putObject(calendar, 'ended.ics', odd('ended@odd', `UNTIL=${stamp(start)};FREQ=DAILY`, start + 48 * 60 * MINUTE));

    const summary = await syncOnce(engine.engine, 'work');
    // The interview, and the two entries whose rule never matches, each at its start: Google
    // Calendar and Apple Calendar show that first instance (kewisch/ical.js#294,
    // fmeringdal/rust-rrule#119). The entry whose rule ends before it starts has none.
    expect(summary.interviewsNew).toBe(3);
    const planned = (await listInterviews(engine.engine.store)).map((i) => [i.eventId.split('/')[0], i.start]).sort();
    expect(planned).toEqual([
      ['february@odd', start + 24 * 60 * MINUTE],
      ['interview@odd', start],
      ['tenth@odd', start + 24 * 60 * MINUTE],
    ]);
    const skipped = (await engine.audit()).filter((r) => r.type === 'skipped' && r.accountId === 'work').map((r) => r.message);
    expect(skipped).toHaveLength(3);
    expect(skipped.find((m) => m.includes('february@odd'))).toMatch(/gives no day in any month it repeats in .* never matches/);
    expect(skipped.find((m) => m.includes('tenth@odd'))).toMatch(/BYSETPOS\) past the 5 days .* never matches/);
    expect(skipped.find((m) => m.includes('ended@odd'))).toMatch(/ends \(UNTIL\) before its start \(DTSTART\)/);
  });

  // ical4j/ical4j#585: an invitation (METHOD:REQUEST) whose times carry no zone, the writer's zone
  // left in a stray TZID property that names no time (Outlook showed it hours off); a booking
  // calendar's floating times in tine20/tine20#6691. Adapted: our times, names and addresses. A
  // floating time is the user's clock (RFC 5545 §3.3.5): read in candidate.timezone, and
  // `explain` says so, since the interviewer may have meant another clock.
  it('reads a floating interview on your clock, and explain says which zone it was read in', async () => {
    const calendar = await radicale.makeCalendar(`floating-${randomUUID().slice(0, 8)}`);
    const engine = await startEngineHarness({
      calendars: [{ type: 'caldav', id: 'work', url: radicale.url, username: radicale.username, calendars: [calendar] }],
      secrets: { work: { password: radicale.password } },
    });
    h = engine;
    const start = Math.floor((engine.now() + 3 * 60 * MINUTE) / MINUTE) * MINUTE;
    const local = (t: number): string => DateTime.fromMillis(t, { zone: 'America/New_York' }).toFormat("yyyyMMdd'T'HHmmss");
    const invitation = [
      'BEGIN:VCALENDAR',
      'PRODID:-//Events Calendar//iCal4j 1.0//EN',
      'VERSION:2.0',
      'METHOD:REQUEST',
      'CALSCALE:GREGORIAN',
      'BEGIN:VEVENT',
      `DTSTAMP:${stamp(engine.now())}`,
      `DTSTART:${local(start)}`,
      `DTEND:${local(start + 30 * MINUTE)}`,
      'SUMMARY:Phone screen with Dana (Acme)',
      'TZID:Asia/Shanghai',
      'UID:abd89736-floating@acme.example',
      'ORGANIZER;CN=Dana Whitfield:mailto:dana@acme.example',
      'DESCRIPTION:Dana will call you.',
      'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Ada Park:mailto:ada@example.org',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    await radicale.putObject(calendar, 'floating.ics', invitation);
    const summary = await syncOnce(engine.engine, 'work');
    expect(summary.interviewsNew).toBe(1);
    const [interview] = await listInterviews(engine.engine.store);
    expect(interview?.start).toBe(start);
    const explained = explanationOf(await findEvent(engine.engine.store, interview?.id ?? ''));
    expect(explained.timeRead).toBe(
      `the entry gives its time without a time zone (a floating time): read as ${clockWithZone(start, 'America/New_York')}, on your own clock (candidate.timezone); if the interviewer meant another zone, the call is at another time`,
    );
  });
});
