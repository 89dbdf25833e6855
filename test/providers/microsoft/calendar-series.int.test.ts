/**
 * Recurring series in Outlook's calendar delta, through the real Graph client against the local
 * Graph server, which lists occurrences sparse (id, type, seriesMasterId, start, end) and never
 * mentions an occurrence cancelled on its own: occurrences completed from their master (read once
 * per series and change key), a master listed in the delta never taken for an event, cancelled
 * and vanished occurrences found by comparing the series' instances.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CalendarSource } from '../../../src/providers/calendar/types.js';
import { createGraphCalendarSource } from '../../../src/providers/microsoft/calendar.js';
import { startGraphServer, type GraphServer } from '../../support/graph-server.js';
import { signIn } from '../../support/graph-server/sign-in.js';
import type { HarnessEvent } from '../calendar/contract.js';
import { syncAll } from '../calendar/contract.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('outlook calendar: recurring series as Graph lists them', () => {
  let server: GraphServer;
  let calendar: CalendarSource;
  const start = Math.ceil(Date.now() / HOUR) * HOUR + DAY;
  const weekly: HarnessEvent = {
    uid: 'weekly-screen@acme.example',
    title: 'Phone screen with Acme',
    start,
    end: start + 30 * 60_000,
    description: 'Rita will call you at +1 415 555 0199.',
    location: 'Phone',
    organizer: { name: 'Rita Recruiter', email: 'rita@acme.example' },
    attendees: [
      { name: 'Ada Park', email: 'ada@example.org', status: 'accepted' },
      { name: 'Rita Recruiter', email: 'rita@acme.example', status: 'accepted' },
    ],
    recurrence: { freq: 'WEEKLY', count: 3 },
  };

  beforeEach(async () => {
    server = await startGraphServer();
    const { auth } = await signIn(server);
    calendar = createGraphCalendarSource({ id: 'microsoft-test', getToken: auth.getToken, baseUrl: server.apiRoot, fetch: server.fetch, now: Date.now, ownerEmail: server.user.mail, pageSize: 2 });
  });
  afterEach(async () => {
    await server.close();
  });

  const masterReads = (): number => server.graphRequests().filter((r) => /\/me\/events\/[^/?]+\?/.test(r.url)).length;
  /** Comparisons of a series' instances (each may take more than one page). */
  const instanceReads = (): number => server.graphRequests().filter((r) => r.url.includes('/instances?') && !r.url.includes('$skip')).length;

  it('lists the delta occurrences sparse, and completes each from its series master, read once', async () => {
    const firstId = server.calendar.putHarnessEvent(weekly);
    const first = await syncAll(calendar, null);
    expect(first.upserts).toHaveLength(3);
    for (const occurrence of first.upserts) {
      expect(occurrence).toMatchObject({
        title: 'Phone screen with Acme',
        location: 'Phone',
        organizer: { name: 'Rita Recruiter', email: 'rita@acme.example' },
        status: 'confirmed',
      });
      expect(occurrence.description).toContain('+1 415 555 0199');
      expect(occurrence.attendees.find((a) => a.self)?.status).toBe('accepted');
    }
    expect(first.upserts.map((e) => e.start)).toEqual([start, start + 7 * DAY, start + 14 * DAY]);
    expect(first.upserts[0]?.id).toBe(firstId);
    // Three occurrences over two pages, one series: the master read once.
    expect(masterReads()).toBe(1);

    // Nothing changed: no occurrence listed, the master not read again; the instances compared.
    const second = await syncAll(calendar, first.cursor);
    expect(second.upserts).toEqual([]);
    expect(second.deletions).toEqual([]);
    expect(masterReads()).toBe(1);
    expect(instanceReads()).toBe(2);

    // The organizer renames the series: the occurrences come again, with the new change key.
    server.calendar.editSeries(firstId.replace(/_OCC0$/, ''), { subject: 'Phone screen with Acme (rescheduled)' });
    const third = await syncAll(calendar, second.cursor);
    expect(third.upserts.map((e) => e.title)).toEqual(Array(3).fill('Phone screen with Acme (rescheduled)'));
    expect(masterReads()).toBe(2);
  });

  it('keeps a master read in one round for the next, as long as its change key stays', async () => {
    server.calendar.putHarnessEvent(weekly);
    const first = await syncAll(calendar, null);
    // A full round again (a cursor it cannot read): every occurrence listed, the master kept.
    const again = await syncAll(calendar, 'not a cursor');
    expect(again.full).toBe(true);
    expect(again.upserts.map((e) => e.title)).toEqual(Array(3).fill(weekly.title));
    expect(masterReads()).toBe(1);
    expect(first.cursor).not.toBe('');
  });

  it('finds an occurrence cancelled on its own, which the delta never mentions', async () => {
    const firstId = server.calendar.putHarnessEvent(weekly);
    const first = await syncAll(calendar, null);
    const secondId = first.upserts[1]!.id;
    server.calendar.cancelOccurrence(secondId);
    const second = await syncAll(calendar, first.cursor);
    expect(second.full).toBe(false);
    expect(second.upserts).toEqual([]);
    expect(second.deletions).toEqual([secondId]);
    // Said once: the cursor no longer counts it among the series' occurrences.
    const third = await syncAll(calendar, second.cursor);
    expect(third.deletions).toEqual([]);
    expect((JSON.parse(third.cursor) as { series: Record<string, string[]> }).series[firstId.replace(/_OCC0$/, '')]).toHaveLength(2);
  });

  it('reports the occurrences of a series deleted between the listing and the master read as deleted', async () => {
    server.calendar.putHarnessEvent(weekly);
    server.fault({ path: /\/me\/events\/[^/?]+\?/, status: 404, code: 'ErrorItemNotFound', times: 5 });
    const result = await syncAll(calendar, null);
    expect(result.upserts).toEqual([]);
    expect(result.deletions).toHaveLength(3);
    expect(result.skipped).toEqual([]);
  });

  it('never takes a series master listed in the delta for an event', async () => {
    server.calendar.putGraphEvent({
      id: 'master',
      type: 'seriesMaster',
      changeKey: 'CK1',
      subject: 'Weekly sync',
      start: { dateTime: new Date(start).toISOString().replace('Z', '0000'), timeZone: 'UTC' },
      end: { dateTime: new Date(start + HOUR).toISOString().replace('Z', '0000'), timeZone: 'UTC' },
    });
    const result = await syncAll(calendar, null);
    expect(result.upserts).toEqual([]);
    expect(result.skipped).toEqual([]);
  });
});
