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
});
