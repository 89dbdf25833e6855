/**
 * The contract every calendar adapter (ics, caldav, google, microsoft) keeps. An adapter's test
 * file calls {@link describeCalendarContract} with a factory for a harness: a source plus a way to
 * change what the source will see. Each test gets a fresh harness, and names its events with a
 * random tag so that harnesses backed by a shared account never confuse tests.
 *
 * The harness's source must list at least 21 days ahead (the weekly series spans 15 days).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CalendarEvent, Millis, ParticipationStatus } from '../../../src/domain/types.js';
import type { CalendarSource, Cursor, SkippedItem } from '../../../src/providers/calendar/types.js';

export interface HarnessEvent {
  readonly uid: string;
  readonly title: string;
  /** For all-day events: UTC midnight of the first day, and of the day after the last. */
  readonly start: Millis;
  readonly end: Millis;
  readonly allDay?: boolean;
  readonly description?: string;
  readonly location?: string;
  readonly organizer?: { readonly name: string; readonly email: string };
  readonly attendees?: readonly { readonly name: string; readonly email: string; readonly status: ParticipationStatus }[];
  readonly recurrence?: { readonly freq: 'DAILY' | 'WEEKLY'; readonly count: number };
  /** RFC 5545 §3.8.7.4: the organizer's revision; a higher one obsoletes the others (RFC 5546 §2.1.5). */
  readonly sequence?: number;
  /** RFC 5545 §3.8.1.11, written only when given. */
  readonly status?: 'CONFIRMED' | 'CANCELLED';
}

export interface CalendarHarness {
  readonly source: CalendarSource;
  /** What the backend lets a test set; both default to true. */
  readonly capabilities?: { readonly organizer?: boolean; readonly attendeeStatus?: boolean };
  /** Creates or replaces an event on the server or in the file; returns the event id the source will report. */
  putEvent(event: HarnessEvent): Promise<string>;
  removeEvent(uid: string): Promise<void>;
  close(): Promise<void>;
}

export interface SyncResult {
  readonly pages: number;
  readonly upserts: CalendarEvent[];
  readonly deletions: string[];
  readonly skipped: SkippedItem[];
  /** Event ids of calendars refused to the sync, kept as they were (SyncPage.kept). */
  readonly kept: string[];
  readonly full: boolean;
  readonly cursor: Cursor;
}

/** Runs one sync to its end, checking the paging rules of the port on the way. */
export async function syncAll(source: CalendarSource, cursor: Cursor | null): Promise<SyncResult> {
  const upserts: CalendarEvent[] = [];
  const deletions: string[] = [];
  const skipped: SkippedItem[] = [];
  const kept: string[] = [];
  const fulls = new Set<boolean>();
  let next: Cursor | undefined;
  let pages = 0;
  for await (const page of source.sync(cursor, new AbortController().signal)) {
    expect(next, 'no page may follow the one that carries the cursor').toBeUndefined();
    pages += 1;
    upserts.push(...page.upserts);
    deletions.push(...page.deletions);
    skipped.push(...page.skipped);
    kept.push(...(page.kept ?? []));
    fulls.add(page.full);
    next = page.nextCursor;
  }
  expect(pages).toBeGreaterThan(0);
  expect(fulls.size, 'every page of one sync says the same about `full`').toBe(1);
  expect(typeof next).toBe('string');
  return { pages, upserts, deletions, skipped, kept, full: fulls.has(true), cursor: next ?? '' };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** RFC 5545 text for harness events (reused by harnesses that store iCalendar: files, CalDAV). */
export function harnessEventToIcs(event: HarnessEvent): string {
  const stamp = (ms: Millis): string => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const date = (ms: Millis): string => stamp(ms).slice(0, 8);
  const escape = (text: string): string => text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');
  const lines = [
    'BEGIN:VEVENT',
    `UID:${event.uid}`,
    `DTSTAMP:${stamp(Date.now())}`,
    event.allDay ? `DTSTART;VALUE=DATE:${date(event.start)}` : `DTSTART:${stamp(event.start)}`,
    event.allDay ? `DTEND;VALUE=DATE:${date(event.end)}` : `DTEND:${stamp(event.end)}`,
    `SUMMARY:${escape(event.title)}`,
  ];
  if (event.description !== undefined) lines.push(`DESCRIPTION:${escape(event.description)}`);
  if (event.location !== undefined) lines.push(`LOCATION:${escape(event.location)}`);
  if (event.organizer) lines.push(`ORGANIZER;CN="${event.organizer.name}":mailto:${event.organizer.email}`);
  for (const a of event.attendees ?? []) {
    lines.push(`ATTENDEE;CN="${a.name}";PARTSTAT=${a.status.toUpperCase()}:mailto:${a.email}`);
  }
  if (event.recurrence) lines.push(`RRULE:FREQ=${event.recurrence.freq};COUNT=${event.recurrence.count}`);
  if (event.sequence !== undefined) lines.push(`SEQUENCE:${event.sequence}`);
  if (event.status !== undefined) lines.push(`STATUS:${event.status}`);
  lines.push('END:VEVENT');
  return lines.join('\r\n');
}

export function harnessCalendarToIcs(events: Iterable<HarnessEvent>): string {
  const body = [...events].map(harnessEventToIcs);
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//ringback//contract//EN', ...body, 'END:VCALENDAR', ''].join('\r\n');
}

export function describeCalendarContract(name: string, makeHarness: () => Promise<CalendarHarness>): void {
  describe(`calendar source contract: ${name}`, () => {
    let harness: CalendarHarness;
    let tag: string;
    /** Whole hours, a day or more ahead, so that every backend keeps them exactly. */
    let base: Millis;

    beforeEach(async () => {
      harness = await makeHarness();
      tag = randomUUID().slice(0, 8);
      base = Math.ceil(Date.now() / HOUR) * HOUR + DAY;
    });
    afterEach(async () => {
      await harness.close();
    });

    const interview = (overrides: Partial<HarnessEvent> = {}): HarnessEvent => ({
      uid: `contract-${tag}-${randomUUID().slice(0, 8)}@ringback.test`,
      title: `Phone screen ${tag}`,
      start: base + 10 * HOUR,
      end: base + 10 * HOUR + 30 * 60_000,
      description: 'Rita will call you at +1 415 555 0199.',
      location: 'Phone',
      organizer: { name: 'Rita Recruiter', email: 'rita@acme.example' },
      attendees: [
        { name: 'Ada Park', email: 'ada@example.org', status: 'accepted' },
        { name: 'Rita Recruiter', email: 'rita@acme.example', status: 'accepted' },
      ],
      ...overrides,
    });

    const byId = (result: SyncResult, id: string): CalendarEvent | undefined => result.upserts.find((e) => e.id === id);

    it('lists a new event with its fields normalised', async () => {
      const event = interview();
      const id = await harness.putEvent(event);
      const result = await syncAll(harness.source, null);
      const listed = byId(result, id);
      expect(listed).toBeDefined();
      expect(listed).toMatchObject({
        title: event.title,
        start: event.start,
        end: event.end,
        allDay: false,
        status: 'confirmed',
        location: 'Phone',
      });
      expect(listed?.description).toContain('+1 415 555 0199');
      if (harness.capabilities?.organizer !== false) {
        expect(listed?.organizer).toEqual({ name: 'Rita Recruiter', email: 'rita@acme.example' });
      }
      const ada = listed?.attendees.find((a) => a.email === 'ada@example.org');
      expect(ada?.name).toBe('Ada Park');
      if (harness.capabilities?.attendeeStatus !== false) expect(ada?.status).toBe('accepted');
    });

    it('reports nothing new when nothing changed since the cursor', async () => {
      await harness.putEvent(interview());
      const first = await syncAll(harness.source, null);
      const second = await syncAll(harness.source, first.cursor);
      expect(second.upserts).toEqual([]);
      expect(second.deletions).toEqual([]);
    });

    it('reports a moved event again, under the same id, with its new start', async () => {
      const event = interview();
      const id = await harness.putEvent(event);
      const first = await syncAll(harness.source, null);
      expect(byId(first, id)?.start).toBe(event.start);
      const movedId = await harness.putEvent({ ...event, start: event.start + 2 * HOUR, end: event.end + 2 * HOUR });
      expect(movedId).toBe(id);
      const second = await syncAll(harness.source, first.cursor);
      expect(byId(second, id)).toMatchObject({ start: event.start + 2 * HOUR, end: event.end + 2 * HOUR });
    });

    it('reports a removed event as deleted, or leaves it out of a full listing', async () => {
      const kept = interview({ title: `Kept ${tag}` });
      const removed = interview({ title: `Removed ${tag}`, start: base + 14 * HOUR, end: base + 15 * HOUR });
      const keptId = await harness.putEvent(kept);
      const removedId = await harness.putEvent(removed);
      const first = await syncAll(harness.source, null);
      expect(byId(first, removedId)).toBeDefined();
      await harness.removeEvent(removed.uid);
      const second = await syncAll(harness.source, first.cursor);
      expect(byId(second, removedId)).toBeUndefined();
      if (second.full) expect(byId(second, keptId)).toBeDefined();
      else expect(second.deletions).toContain(removedId);
    });

    it('expands a weekly series into occurrences with distinct ids', async () => {
      const series = interview({ title: `Weekly sync ${tag}`, recurrence: { freq: 'WEEKLY', count: 3 } });
      await harness.putEvent(series);
      const result = await syncAll(harness.source, null);
      const occurrences = result.upserts.filter((e) => e.title === series.title).sort((a, b) => a.start - b.start);
      expect(occurrences).toHaveLength(3);
      expect(new Set(occurrences.map((e) => e.id)).size).toBe(3);
      expect(occurrences[0]?.start).toBe(series.start);
      occurrences.forEach((occurrence, index) => {
        // A week apart, give or take the hour a DST change in the calendar's zone may add.
        expect(Math.abs(occurrence.start - (series.start + index * 7 * DAY))).toBeLessThanOrEqual(HOUR);
        expect(occurrence.end - occurrence.start).toBe(series.end - series.start);
      });
    });

    // `ringback mark` decides a call again from its event read alone (src/engine/mark.ts): the read
    // must give what the listing gave, and nothing once the event is deleted (Google's get answers
    // a cancelled tombstone, Graph 404, CalDAV finds no object with the UID).
    it('reads one event alone, an occurrence of a series too, as listed, and none once it is removed', async () => {
      const readEvent = harness.source.readEvent?.bind(harness.source);
      // Only a source read whole (an .ics file or URL) has no single read.
      expect(readEvent === undefined).toBe(name.startsWith('ics'));
      if (readEvent === undefined) return;
      const signal = new AbortController().signal;
      const lone = interview();
      const series = interview({ title: `Weekly sync ${tag}`, recurrence: { freq: 'WEEKLY', count: 3 } });
      const loneId = await harness.putEvent(lone);
      await harness.putEvent(series);
      const result = await syncAll(harness.source, null);
      const second = result.upserts.filter((e) => e.title === series.title).sort((a, b) => a.start - b.start)[1]!;
      for (const listed of [byId(result, loneId)!, second]) {
        const read = await readEvent(listed.id, signal);
        expect(read).toMatchObject({ id: listed.id, title: listed.title, start: listed.start, end: listed.end, status: listed.status, description: listed.description });
        expect(read?.attendees).toEqual(listed.attendees);
      }
      await harness.removeEvent(lone.uid);
      expect(await readEvent(loneId, signal)).toBeNull();
      expect(await readEvent(`${loneId}x`, signal)).toBeNull();
    });

    it('marks an all-day event as all-day', async () => {
      const day = Math.floor(base / DAY) * DAY + DAY;
      const id = await harness.putEvent(interview({ title: `Offsite ${tag}`, start: day, end: day + DAY, allDay: true }));
      const listed = byId(await syncAll(harness.source, null), id);
      expect(listed?.allDay).toBe(true);
      expect(listed ? listed.end - listed.start : 0).toBeGreaterThanOrEqual(23 * HOUR);
      expect(listed ? listed.end - listed.start : 0).toBeLessThanOrEqual(25 * HOUR);
    });

    it('answers a cursor it cannot read with a full listing instead of an error', async () => {
      const id = await harness.putEvent(interview());
      for (const garbage of ['not a cursor', '{"v":1}', '']) {
        const result = await syncAll(harness.source, garbage);
        expect(result.full).toBe(true);
        expect(byId(result, id)).toBeDefined();
      }
    });
  });
}
