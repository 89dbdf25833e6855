/**
 * A yearly entry on 29 February (Thunderbird's report kewisch/ical.js#91: `RRULE:FREQ=YEARLY`,
 * `DTSTART;TZID=Europe/Berlin:20120229T120000`; adapted: our year, title and a call beside it),
 * stored on a real CalDAV server (Radicale). RFC 5545 §3.3.10 ignores an instance on a date that
 * does not exist, and Google Calendar shows such a series in leap years only
 * (SimpleMobileTools/Simple-Calendar#1207); ical.js put it on 1 March of the other years
 * (kewisch/ical.js#91; an open fix, kewisch/ical.js#1004), an entry the calendar app never shows.
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

const entry = (uid: string, lines: readonly string[]): string =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20240101T000000Z', ...lines, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

describe('a yearly entry on 29 February, over CalDAV', () => {
  it('has no occurrence in a year without that day, and the call beside it is read', async () => {
    const calendar = await radicale.makeCalendar(`leap-${randomUUID().slice(0, 8)}`);
    await radicale.putObject(calendar, 'leap.ics', entry('leap', ['DTSTART;TZID=Europe/Berlin:20240229T120000', 'DTEND;TZID=Europe/Berlin:20240229T130000', 'RRULE:FREQ=YEARLY', 'SUMMARY:Phone screen anniversary']));
    await radicale.putObject(calendar, 'call.ics', entry('call', ['DTSTART:20270301T150000Z', 'DURATION:PT30M', 'SUMMARY:Phone screen with Dana (Acme)']));
    const read = async (now: number): Promise<string[]> => {
      const source = createCaldavSource({ id: 'leap', url: radicale.url, username: radicale.username, password: radicale.password, calendars: [calendar], horizonDays: 30, now: () => now });
      try {
        const { upserts, skipped } = await syncAll(source, null);
        expect(skipped).toEqual([]);
        return upserts.map((e) => `${e.id} ${new Date(e.start).toISOString()}`).sort();
      } finally {
        await source.close();
      }
    };
    // 2027 has no 29 February: no occurrence (ical.js gave 1 March, 12:00 Berlin).
    expect(await read(Date.parse('2027-02-20T12:00:00Z'))).toEqual(['call 2027-03-01T15:00:00.000Z']);
    // 2028 has one.
    expect(await read(Date.parse('2028-02-20T12:00:00Z'))).toEqual(['leap/2028-02-29T11:00:00.000Z 2028-02-29T11:00:00.000Z']);
  });
});
