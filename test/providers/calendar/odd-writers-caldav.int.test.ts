/**
 * Odd entries of invitation and feed writers (odd-writers.test.ts) stored on a real CalDAV server
 * (Radicale), which parses and stores each object itself before ringback reads it back: a zone as
 * Python's icalendar lists its onsets (test/fixtures/ics/writers/icalendar-add-missing-timezones.ics),
 * and iCloud's organizer, whose address is in the EMAIL parameter (mangstadt/biweekly#113).
 */
import { readFileSync } from 'node:fs';
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

const python = readFileSync(new URL('../../fixtures/ics/writers/icalendar-add-missing-timezones.ics', import.meta.url), 'utf8');
const icloud = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Apple Inc.//iPhone OS 15.4//EN',
  'BEGIN:VEVENT',
  'UID:icloud-organizer',
  'DTSTAMP:20260701T080000Z',
  'DTSTART:20260716T150000Z',
  'DTEND:20260716T153000Z',
  'SUMMARY:Phone screen',
  'ORGANIZER;CN=Organizer Name;EMAIL=organizer.test@icloud.com:/aMTc4MjA5ODM',
  ' wMDQxNzgyMFOz1I9CYraecqqxCBpAcPRegJ6OKuR39614Y6GLCrXV/principal/',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe('odd entries of writers, over CalDAV', () => {
  it("reads the zone's listed onsets and the organizer's EMAIL as stored by the server", async () => {
    const calendar = await radicale.makeCalendar(`writers-${randomUUID().slice(0, 8)}`);
    await radicale.putObject(calendar, 'python.ics', python);
    await radicale.putObject(calendar, 'icloud.ics', icloud);
    const source = createCaldavSource({ id: 'odd', url: radicale.url, username: radicale.username, password: radicale.password, calendars: [calendar], horizonDays: 30, now: () => Date.parse('2026-07-10T12:00:00Z') });
    try {
      const { upserts, skipped } = await syncAll(source, null);
      expect(skipped).toEqual([]);
      expect(upserts.map((e) => [e.id, new Date(e.start).toISOString(), e.timeZone, e.organizer?.email ?? null]).sort()).toEqual([
        ['icloud-organizer', '2026-07-16T15:00:00.000Z', 'UTC', 'organizer.test@icloud.com'],
        ['u1', '2026-07-14T07:00:00.000Z', 'Europe/Berlin', null],
      ]);
    } finally {
      await source.close();
    }
  }, 60_000);
});
