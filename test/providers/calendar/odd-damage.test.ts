/**
 * Damage to one entry that cost more than that entry, each found by the property test
 * test/property/odd-entry.test.ts (real files with one entry damaged) and minimised here: the
 * whole calendar lost to a thrown error, or the damaged entry lost without a word. Each odd form is
 * one the public record shows, cited beside it.
 */
import { describe, expect, it } from 'vitest';
import { parseCalendar } from '../../../src/providers/calendar/ical-normalize.js';

const calendar = (lines: readonly string[]): string => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const entry = (lines: readonly string[]): string[] => ['BEGIN:VEVENT', ...lines, 'END:VEVENT'];
/** An ordinary call beside each odd entry: it must always be read. */
const call = entry(['UID:call', 'DTSTART:20240306T150000Z', 'DURATION:PT30M', 'SUMMARY:Phone screen with Acme']);
const MARCH = { from: Date.UTC(2024, 2, 1), to: Date.UTC(2024, 3, 1) };

describe('one damaged entry costs that entry alone', () => {
  // A value its declared type cannot hold (DTSTART;VALUE=DATE with a time, lfos/calcurse#517;
  // NaN dates, jshor/datebook#3): on the title, ical.js threw while the entries were grouped, out
  // of parseCalendar, and the whole calendar was lost.
  it('a title that its VALUE type cannot hold: that entry is reported, the others read', () => {
    const title = entry(['UID:typed-title', 'DTSTART:20240307T150000Z', 'DURATION:PT30M', 'SUMMARY;VALUE=DATE-TIME:banana']);
    const { events, skipped } = parseCalendar(calendar([...title, ...call]), MARCH);
    expect(events.map((e) => e.id)).toEqual(['call']);
    expect(skipped).toEqual([{ ref: 'typed-title', reason: 'unreadable entry: invalid date-time value: "bana-na-T::"' }]);
  });

  // A writer that folds inside an emoji leaves half of it (adamgibbons/ics#257); a line lost in
  // transit. An entry whose BEGIN:VEVENT was damaged or lost was skipped without a word: its lines
  // were read as lines outside any entry.
  it('an entry whose BEGIN:VEVENT is damaged or lost is reported', () => {
    const damaged = entry(['UID:half-emoji', 'DTSTART:20240307T150000Z', 'DURATION:PT30M', 'SUMMARY:Phone interview']).map((line, i) => (i === 0 ? 'BEGIN:VEVENT\ude00' : line));
    const lost = entry(['UID:no-begin', 'DTSTART:20240308T150000Z', 'DURATION:PT30M', 'SUMMARY:Phone interview']).slice(1);
    const { events, skipped } = parseCalendar(calendar([...damaged, ...call, ...lost]), MARCH);
    expect(events.map((e) => e.id)).toEqual(['call']);
    expect(skipped).toEqual([
      { ref: 'half-emoji', reason: 'an entry without its BEGIN:VEVENT line (damaged or lost) was left out' },
      { ref: 'no-begin', reason: 'an entry without its BEGIN:VEVENT line (damaged or lost) was left out' },
    ]);
  });

  // A file cut short (a feed fetched in part) whose last entry also lost its BEGIN:VEVENT: its lines
  // stood outside any entry to the end of the text, and nothing was said.
  it('an entry with neither its BEGIN:VEVENT nor its END, at the end of a cut file, is reported', () => {
    const cut = ['UID:cut-short', 'DTSTART:20240308T150000Z', 'SUMMARY:Phone interview'];
    const text = ['BEGIN:VCALENDAR', 'VERSION:2.0', ...call, ...cut].join('\r\n');
    const { events, skipped } = parseCalendar(text, MARCH);
    expect(events.map((e) => e.id)).toEqual(['call']);
    expect(skipped).toEqual([{ ref: 'cut-short', reason: 'an entry without its BEGIN:VEVENT line (damaged or lost) was left out' }]);
  });

  // RFC 5545 §3.3.10: COUNT is a positive integer. COUNT=0 (macOS Calendar, sabre-io/dav#1455) is
  // read as no COUNT already; a negative COUNT gave no occurrence, not even DTSTART, and nothing
  // was said.
  it('a negative COUNT: the rule is dropped, named, and the entry read at its start', () => {
    const negative = entry(['UID:negative', 'DTSTART:20240307T150000Z', 'DURATION:PT30M', 'RRULE:FREQ=DAILY;COUNT=-1', 'SUMMARY:Phone interview']);
    const { events, skipped } = parseCalendar(calendar([...call, ...negative]), MARCH);
    expect(events.map((e) => [e.id, new Date(e.start).toISOString()])).toEqual([
      ['call', '2024-03-06T15:00:00.000Z'],
      ['negative/2024-03-07T15:00:00.000Z', '2024-03-07T15:00:00.000Z'],
    ]);
    expect(skipped).toEqual([{ ref: 'negative (Phone interview)', reason: "the recurrence rule's COUNT is below 1 (-1), so it repeats nothing: only the entry's start (DTSTART) is read" }]);
  });
});
