/**
 * Entries of far years in a zone the file defines with Outlook's rules from 1601, stored on a real
 * CalDAV server (Radicale), where every object carries its own VTIMEZONE and is read on its own.
 *
 * - The VTIMEZONE is Outlook 16.0's `W. Europe Standard Time` as mangstadt/biweekly#85 quotes it
 *   (`DTSTART:16011028T030000` / `16010325T020000`, yearly rules).
 * - Far ends: iCloud birthdays repeat until the year 4500 (u01jmg3/ics-parser#219) and iOS writes
 *   entries of the year 4500 (sabre-io/dav#44); a Home Assistant calendar's series walked to the
 *   year 9999 and one failed at 10000 (allenporter/ical#688, home-assistant/core#117202), as a
 *   "repeat until" date field lets anyone write 31 December 9999. Adapted: the series and entries
 *   are ours, in that zone.
 *
 * Each such entry made ical.js list every clock change of the zone from 1601 to the entry's year
 * (16,800 of them for 9999) at every read: about half a second of CPU per object at each sync.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaldavSource } from '../../../src/providers/calendar/caldav.js';
import { startRadicale, type TestRadicale } from '../../support/radicale.js';
import { syncAll } from './contract.js';

let radicale: TestRadicale;
beforeAll(async () => {
  radicale = await startRadicale();
});
afterAll(async () => {
  await radicale.stop();
});

const OUTLOOK_ZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:W. Europe Standard Time',
  'BEGIN:STANDARD',
  'DTSTART:16011028T030000',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:16010325T020000',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
];
const TZID = 'TZID="W. Europe Standard Time"';

function outlook(uid: string, lines: readonly string[]): string {
  return ['BEGIN:VCALENDAR', 'PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN', 'VERSION:2.0', ...OUTLOOK_ZONE, 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20270301T120000Z', ...lines, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
}

describe('entries of far years in a zone defined from 1601, over CalDAV', () => {
  it('cost no more than their neighbours, and keep the zone\'s offsets in their own years', async () => {
    const calendar = await radicale.makeCalendar(`far-${randomUUID().slice(0, 8)}`);
    await radicale.putObject(calendar, 'call.ics', outlook('call', [`DTSTART;${TZID}:20270317T100000`, `DTEND;${TZID}:20270317T103000`, 'SUMMARY:Phone screen with Dana (Acme)']));
    // Radicale itself walks a series to its end when it stores it (seconds for one to 9999): one such series.
    await radicale.putObject(calendar, 'until.ics', outlook('until', [`DTSTART;${TZID}:20270228T090000`, `DTEND;${TZID}:20270228T093000`, 'RRULE:FREQ=MONTHLY;UNTIL=99991231', 'SUMMARY:Monthly']));
    for (let i = 0; i < 16; i += 1) {
      await radicale.putObject(calendar, `far-${i}.ics`, outlook(`far-${i}`, [`DTSTART;${TZID}:99990610T1000${String(i).padStart(2, '0')}`, `DTEND;${TZID}:99990610T1100${String(i).padStart(2, '0')}`, 'SUMMARY:Far']));
    }
    for (let i = 0; i < 2; i += 1) {
      await radicale.putObject(calendar, `birthday-${i}.ics`, outlook(`birthday-${i}`, [`DTSTART;${TZID}:2027031${i + 5}T120000`, `DTEND;${TZID}:2027031${i + 5}T130000`, 'RRULE:FREQ=YEARLY;UNTIL=45001231T000000Z', 'SUMMARY:Birthday']));
    }
    const read = async (now: number) => {
      const source = createCaldavSource({ id: 'far', url: radicale.url, username: radicale.username, password: radicale.password, calendars: [calendar], horizonDays: 30, now: () => now });
      try {
        const started = process.cpuUsage();
        const result = await syncAll(source, null);
        const used = process.cpuUsage(started);
        return { ...result, cpuMs: (used.user + used.system) / 1_000 };
      } finally {
        await source.close();
      }
    };

    const march = await read(Date.parse('2027-03-14T12:00:00Z'));
    expect(march.skipped).toEqual([]);
    // 10:00 CET on 17 March; the monthly series on 28 March, the day summer time begins (09:00 CEST).
    expect(march.upserts.map((e) => [e.id, new Date(e.start).toISOString()]).sort()).toEqual([
      ['birthday-0/2027-03-15T11:00:00.000Z', '2027-03-15T11:00:00.000Z'],
      ['birthday-1/2027-03-16T11:00:00.000Z', '2027-03-16T11:00:00.000Z'],
      ['call', '2027-03-17T09:00:00.000Z'],
      ['until/2027-03-28T07:00:00.000Z', '2027-03-28T07:00:00.000Z'],
    ]);
    // Measured here: 3.4-3.8 s before, for these 19 objects beside the call; 0.6 s now.
    expect(march.cpuMs).toBeLessThan(1_500);

    // In 9999: summer time (UTC+2) from the last Sunday of March, as in every year of the rules.
    const june = await read(Date.parse('9999-06-01T12:00:00Z'));
    expect(june.skipped).toEqual([]);
    expect(june.upserts.map((e) => [e.id, new Date(e.start).toISOString()]).filter(([id]) => !/^far-([1-9]|1[0-5])$/.test(id ?? '')).sort()).toEqual([
      ['far-0', '9999-06-10T08:00:00.000Z'],
      ['until/9999-06-28T07:00:00.000Z', '9999-06-28T07:00:00.000Z'],
    ]);
  }, 120_000);
});
