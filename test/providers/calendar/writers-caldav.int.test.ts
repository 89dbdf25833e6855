/**
 * Invitations as Exchange, Outlook and Lotus Notes write them, stored on a real CalDAV server
 * (Radicale) and synced by the `caldav` source: CalDAV hands the adapter text, so the Windows and
 * Lotus zone names and the lines folded inside their parameters are read there as in an .ics
 * file. The fixtures are those of writers.test.ts, moved into the sync window.
 */
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaldavSource } from '../../../src/providers/calendar/caldav.js';
import { startRadicale, type TestRadicale } from '../../support/radicale.js';
import { syncAll } from './contract.js';

const WRITERS = new URL('../../fixtures/ics/writers/', import.meta.url);

let radicale: TestRadicale;
beforeAll(async () => {
  radicale = await startRadicale();
});
afterAll(async () => {
  await radicale.stop();
});

/** A fixture with its entry's day replaced by `day` (yyyyMMdd). */
async function onDay(file: string, writtenDay: string, day: string): Promise<string> {
  return (await readFile(new URL(file, WRITERS), 'utf8')).replaceAll(`${writtenDay}T`, `${day}T`);
}

/**
 * A day in the sync window on which the Lotus Notes zone of the fixture, written with the US rules
 * before 2007 (summer time from the first Sunday of April to the last of October), agrees with
 * America/Los_Angeles today, so the expected instant is the same by either.
 */
function agreeingDay(now: number): DateTime {
  for (let ahead = 2; ahead < 29; ahead += 1) {
    const day = DateTime.fromMillis(now + ahead * 86_400_000, { zone: 'UTC' }).startOf('day');
    const sunday = (month: number, nth: number): DateTime => {
      const first = DateTime.utc(day.year, month, 1);
      return nth > 0 ? first.plus({ days: (7 - first.weekday) % 7 + (nth - 1) * 7 }) : first.endOf('month').startOf('day').minus({ days: first.endOf('month').weekday % 7 });
    };
    const oldSummer = day >= sunday(4, 1) && day < sunday(10, -1);
    const newSummer = day >= sunday(3, 2) && day < sunday(11, 1);
    if (oldSummer === newSummer) return day;
  }
  throw new Error('no day in the window where the two rule sets agree');
}

describe('invitations from Windows and Lotus Notes zones over CalDAV', () => {
  it('are at the instant meant, in the organizer\'s zone, with every attendee', async () => {
    const now = Date.now();
    const day = agreeingDay(now);
    const yyyymmdd = day.toFormat('yyyyMMdd');
    const calendar = await radicale.makeCalendar(`writers-${randomUUID().slice(0, 8)}`);
    await radicale.putObject(calendar, 'exchange.ics', await onDay('exchange-2010-display-name.ics', '20170711', yyyymmdd));
    await radicale.putObject(calendar, 'outlook.ics', await onDay('teams-romance-no-vtimezone.ics', '20210324', yyyymmdd));
    await radicale.putObject(calendar, 'lotus.ics', await onDay('lotus-notes-pacific.ics', '20040415', yyyymmdd));
    const source = createCaldavSource({
      id: 'writers',
      url: radicale.url,
      username: radicale.username,
      password: radicale.password,
      calendars: [calendar],
      horizonDays: 30,
      now: () => now,
    });
    try {
      const { upserts, skipped } = await syncAll(source, null);
      expect(skipped).toEqual([]);
      const at = (zone: string, time: string): number => DateTime.fromISO(`${day.toISODate() ?? ''}T${time}`, { zone }).toMillis();
      const seen = upserts
        .map((event) => ({ title: event.title, start: event.start, zone: event.timeZone, attendees: event.attendees.map((a) => a.email) }))
        .sort((a, b) => a.title.localeCompare(b.title));
      expect(seen).toEqual([
        { title: 'Phone interview - Northwind', start: at('America/New_York', '15:00'), zone: 'America/New_York', attendees: ['robin@candidate.example', 'hr@northwind.example'] },
        { title: 'Phone screen', start: at('America/Los_Angeles', '12:00'), zone: 'America/Los_Angeles', attendees: ['rmoss@litware.example', 'sam@candidate.example'] },
        { title: 'Telefoninterview', start: at('Europe/Paris', '14:00'), zone: 'Europe/Paris', attendees: ['mholm@college.example', 'alund@college.example'] },
      ]);
    } finally {
      await source.close();
    }
  });

  // The same Lotus Notes invitation (sam-github/vpim, its zone written with the US rules before
  // 2007) on a day the two rule sets disagree: 20 March 2027, summer time by today's rules, winter
  // time by the file's. The sender's Notes showed 12:00 by its own definition, so that is the
  // instant (20:00 UTC, not 19:00), and no zone name is claimed for it. The same for Exchange's
  // Windows display name. Guard: read so before.
  it('follow the zone the file defines where its rules disagree with the zone its name suggests', async () => {
    const now = Date.parse('2027-03-14T12:00:00Z');
    const calendar = await radicale.makeCalendar(`disagree-${randomUUID().slice(0, 8)}`);
    await radicale.putObject(calendar, 'lotus.ics', await onDay('lotus-notes-pacific.ics', '20040415', '20270320'));
    // Exchange's display-name zone "(UTC-05:00) Eastern Time (US & Canada)" with the rules it wrote
    // before 2007 (first Sunday of April to last of October; adapted from the fixture's, which are today's).
    const before2007 = (await onDay('exchange-2010-display-name.ics', '20170711', '20270322'))
      .replace('BYDAY=1SU;BYMONTH=11', 'BYDAY=-1SU;BYMONTH=10')
      .replace('BYDAY=2SU;BYMONTH=3', 'BYDAY=1SU;BYMONTH=4');
    expect(before2007).toContain('BYDAY=1SU;BYMONTH=4');
    await radicale.putObject(calendar, 'exchange.ics', before2007);
    const source = createCaldavSource({ id: 'disagree', url: radicale.url, username: radicale.username, password: radicale.password, calendars: [calendar], horizonDays: 30, now: () => now });
    try {
      const { upserts, skipped } = await syncAll(source, null);
      expect(skipped).toEqual([]);
      expect(upserts.map((e) => [e.title, new Date(e.start).toISOString(), e.timeZone]).sort()).toEqual([
        // 15:00 by the file's rules (EST), not New York's (EDT, 19:00 UTC).
        ['Phone interview - Northwind', '2027-03-22T20:00:00.000Z', null],
        ['Phone screen', '2027-03-20T20:00:00.000Z', null],
      ]);
    } finally {
      await source.close();
    }
  });

  // Exchange CDO's all-day entry as local midnights (X-MICROSOFT-CDO-ALLDAYEVENT:TRUE), and a marked
  // entry that is not midnight to midnight (a call marked all-day by mistake), over CalDAV, where
  // Radicale keeps the X- properties. Guard: read so before.
  it('read an Exchange all-day entry written as midnights as all-day, and a marked call as a call', async () => {
    const now = Date.parse('2027-03-14T12:00:00Z');
    const calendar = await radicale.makeCalendar(`allday-${randomUUID().slice(0, 8)}`);
    const text = (await readFile(new URL('exchange-cdo-all-day.ics', WRITERS), 'utf8')).replaceAll('20240610T', '20270316T').replaceAll('20240611T', '20270317T');
    // One entry per CalDAV object (RFC 4791 §4.1): the file's two, each with its header and zone.
    const [head = '', ...entries] = text.split('BEGIN:VEVENT');
    for (const [i, entry] of entries.entries()) {
      await radicale.putObject(calendar, `allday-${i}.ics`, `${head}BEGIN:VEVENT${entry.replace('END:VCALENDAR', '').trimEnd()}\r\nEND:VCALENDAR\r\n`);
    }
    const source = createCaldavSource({ id: 'allday', url: radicale.url, username: radicale.username, password: radicale.password, calendars: [calendar], horizonDays: 30, now: () => now });
    try {
      const { upserts, skipped } = await syncAll(source, null);
      expect(skipped).toEqual([]);
      expect(upserts.map((e) => [new Date(e.start).toISOString(), new Date(e.end).toISOString(), e.allDay]).sort()).toEqual([
        ['2027-03-16T07:00:00.000Z', '2027-03-17T07:00:00.000Z', true],
        ['2027-03-17T07:00:00.000Z', '2027-03-17T07:30:00.000Z', false],
      ]);
    } finally {
      await source.close();
    }
  });
});
