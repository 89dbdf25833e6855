/**
 * Malformed calendars through the whole sync: the bad entries are skipped with an audit entry that
 * says why, the good ones become interviews, and nothing crashes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { harnessEventToIcs } from '../providers/calendar/contract.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

function icsTime(t: number): string {
  return new Date(t).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

describe('bad calendar input', () => {
  it('skips broken entries with a reason and keeps the good ones', async () => {
    h = await startEngineHarness();
    const t = Math.floor((h.now() + 5 * 60 * MINUTE) / 1000) * 1000;
    const good = harnessEventToIcs(interviewEvent({ uid: 'good-1', start: t }));
    const hugeDescription = harnessEventToIcs(interviewEvent({ uid: 'huge-1', start: t + 60 * MINUTE, description: `Dana will call you. ${'x'.repeat(5 * 1024 * 1024)}` }));
    const noStart = ['BEGIN:VEVENT', 'UID:nostart-1', 'SUMMARY:Phone screen without a start', `DTEND:${icsTime(t)}`, 'END:VEVENT'].join('\r\n');
    const unknownZone = [
      'BEGIN:VEVENT',
      'UID:tz-1',
      'SUMMARY:Phone interview in a zone nobody knows',
      'DTSTART;TZID=Mars/Olympus_Mons:20300101T100000',
      'DTEND;TZID=Mars/Olympus_Mons:20300101T103000',
      'ORGANIZER;CN=Dana:mailto:dana@acme.example',
      'END:VEVENT',
    ].join('\r\n');
    const truncated = ['BEGIN:VEVENT', 'UID:trunc-1', 'SUMMARY:Phone screen cut o'].join('\r\n');
    // The entry cut off is followed by others: a calendar that ends inside an entry is not read at all (ics-whole.ts).
    await h.setCalendarText(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', truncated, good, hugeDescription, noStart, unknownZone, 'END:VCALENDAR'].join('\r\n'));

    const summary = await h.sync();
    expect(summary.interviewsNew).toBe(2);
    expect(summary.skippedItems).toBeGreaterThanOrEqual(2);
    const audit = await h.audit();
    const skipped = audit.filter((r) => r.type === 'skipped' && r.accountId === 'cal').map((r) => r.message);
    expect(skipped.some((m) => m.includes('nostart-1'))).toBe(true);
    expect(skipped.some((m) => /time zone/i.test(m))).toBe(true);
    // A second sync of the same file does not audit the same problems again.
    await h.setCalendarText(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', truncated, good, hugeDescription, noStart, unknownZone, 'END:VCALENDAR', ''].join('\r\n'));
    await h.sync();
    const again = (await h.audit()).filter((r) => r.type === 'skipped' && r.accountId === 'cal');
    expect(again).toHaveLength(skipped.length);
  });

  it('survives a file that is not a calendar at all', async () => {
    h = await startEngineHarness();
    await h.setCalendarText('\u0000\u0001 this is not iCalendar \uFFFD\n'.repeat(100));
    await expect(h.sync()).rejects.toThrow(/calendar/i);
    const t = Math.floor((h.now() + 5 * 60 * MINUTE) / 1000) * 1000;
    await h.setEvents([interviewEvent({ uid: 'after-1', start: t })]);
    const summary = await h.sync();
    expect(summary.interviewsNew).toBe(1);
  });
});
