/**
 * The layout of a kept event: whatever is written, reading it gives what reading the plain JSON
 * of earlier versions gives, for every invitation of the detection corpora and the bench calendar.
 */
import { describe, expect, it } from 'vitest';
import { CORPUS_FILE, CORPUS_SETTINGS, HOLDOUT_FILE, loadCorpus } from '../../bench/detection/score.js';
import { makeCalendar, toGoogleEvent } from '../../bench/lib/calendar-data.js';
import { analyse } from '../../src/domain/detect.js';
import { eventHash } from '../../src/domain/ids.js';
import type { CalendarEvent } from '../../src/domain/types.js';
import { toCalendarEvent } from '../../src/providers/google/calendar-events.js';
import { decodeSeen, encodeSeen, type SeenEvent } from '../../src/store/seen-record.js';

function seenOf(event: CalendarEvent, i: number): SeenEvent {
  const analysis = analyse(event, CORPUS_SETTINGS);
  return { id: `iv${i}`, sourceId: 'work', event, kind: analysis.kind, confidence: analysis.confidence, reason: 'not a phone interview', evidence: analysis.evidence };
}

/** What version 1 (plain JSON) gave back. */
const asBefore = (seen: SeenEvent): unknown => JSON.parse(JSON.stringify(seen));

const corpus = [...loadCorpus(CORPUS_FILE), ...loadCorpus(HOLDOUT_FILE)].map((entry) => entry.event);
const bench = makeCalendar({ account: 3, count: 40, interviewShare: 0.05, base: Date.UTC(2026, 11, 1) }).map((event) => {
  // As it comes over the wire: JSON.
  const converted = toCalendarEvent(JSON.parse(JSON.stringify(toGoogleEvent(event))) as Parameters<typeof toCalendarEvent>[0], null);
  if ('reason' in converted) throw new Error(converted.reason);
  return converted;
});

describe('encodeSeen / decodeSeen', () => {
  it('gives back every event of the corpora and the bench calendar as plain JSON did, in about 60% of the bytes', () => {
    let before = 0;
    let after = 0;
    [...corpus, ...bench].forEach((event, i) => {
      const seen = seenOf(event, i);
      const text = encodeSeen(seen);
      expect(text.startsWith('[2,')).toBe(true);
      expect(decodeSeen(text)).toStrictEqual(asBefore(seen));
      before += JSON.stringify(seen).length;
      after += text.length;
    });
    expect(after).toBeLessThan(before * 0.75);
  });

  it('keeps what a calendar adds beyond the usual: series, tags, categories, bridges, a meeting, an owner who is not self, no organizer', () => {
    const base = bench[1]!;
    const event: CalendarEvent = {
      ...base,
      seriesId: 'uid-1',
      organizer: null,
      timeZone: null,
      allDay: true,
      status: 'tentative',
      categories: ['Phone interview'],
      tags: { ringback: 'interview' },
      conferencePhones: ['+1 415 555 0199'],
      conference: ['https://meet.example/abc'],
      attendees: [{ name: 'Ada', email: 'ada@example.org', status: 'declined', self: false }, { name: '', email: '', status: 'unknown' }],
    };
    const seen = seenOf(event, 1);
    expect(decodeSeen(encodeSeen(seen))).toStrictEqual(asBefore(seen));
    const noConference = { ...seen, event: { ...event, conference: [] } };
    expect(decodeSeen(encodeSeen(noConference))).toStrictEqual(asBefore(noConference));
  });

  it('writes plain JSON for a field it does not know, keeps a person or a piece of evidence of another shape as it is, and reads what earlier versions wrote', () => {
    const base = seenOf(bench[2]!, 2);
    const unknown = [{ ...base, event: { ...base.event, extra: 'from a newer adapter' } }, { ...base, note: 'x' }] as unknown as SeenEvent[];
    for (const seen of unknown) {
      const text = encodeSeen(seen);
      expect(text.slice(0, 1)).toBe('{');
      expect(decodeSeen(text)).toStrictEqual(asBefore(seen));
    }
    const shaped = [
      { ...base, event: { ...base.event, attendees: [{ ...base.event.attendees[0]!, comment: 'running late' }, { name: 'Lee', email: 'lee@example.com' }] } },
      { ...base, event: { ...base.event, organizer: { name: 'Sam', email: 'sam@example.com', status: 'accepted' } } },
      { ...base, evidence: [{ ...base.evidence[0]!, note: 'x' }, ...base.evidence] },
    ] as unknown as SeenEvent[];
    for (const seen of shaped) {
      const text = encodeSeen(seen);
      expect(text.slice(0, 3)).toBe('[2,');
      expect(decodeSeen(text)).toStrictEqual(asBefore(seen));
    }
    expect(decodeSeen(JSON.stringify(base))).toStrictEqual(asBefore(base));
  });

  it('gives back an event with the content hash its calendar source gave it, so that a sync can tell it is still the calendar\'s', () => {
    // The ics source appends the series to each occurrence (ical-recurrence.ts), after the meeting.
    const { conference: _none, ...plain } = bench[1]!;
    const occurrence: CalendarEvent = { ...plain, conference: ['https://meet.example/abc'], seriesId: 'uid-1' };
    for (const [i, event] of [...bench, occurrence, { ...plain, seriesId: 'uid-2' }].entries()) {
      expect(eventHash(decodeSeen(encodeSeen(seenOf(event, i))).event)).toBe(eventHash(event));
    }
  });

  it('keeps the invitation UID a Google or Microsoft 365 event carries, in the short layout, with the hash its source gave it', () => {
    const calendar = makeCalendar({ account: 3, count: 5, interviewShare: 0.05, base: Date.UTC(2026, 11, 1) });
    for (const [i, event] of calendar.entries()) {
      // As Google sends it: the invitation's UID beside Google's own id.
      const wire = { ...(JSON.parse(JSON.stringify(toGoogleEvent(event))) as Parameters<typeof toCalendarEvent>[0]), iCalUID: `invite-${i}@scheduler.example` };
      const withUid = toCalendarEvent(wire, null);
      if ('reason' in withUid) throw new Error(withUid.reason);
      expect(withUid.uid).toBe(`invite-${i}@scheduler.example`);
      const text = encodeSeen(seenOf(withUid, i));
      expect(text.startsWith('[2,')).toBe(true);
      expect(eventHash(decodeSeen(text).event)).toBe(eventHash(withUid));
    }
  });

  it('refuses a layout it does not know rather than misread it', () => {
    expect(() => decodeSeen('[3,"iv1"]')).toThrow(/unknown layout/);
  });
});
