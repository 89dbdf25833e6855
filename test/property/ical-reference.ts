/**
 * ical.js alone as the reference for the occurrences parseCalendar keeps of one series: the
 * property tests of YEARLY and MONTHLY rules compare the two on sound rules.
 */
import ICAL from 'ical.js';
import { expect } from 'vitest';
import { parseCalendar } from '../../src/providers/calendar/ical-normalize.js';
import { icalReadsSetPositions, readHere } from '../../src/providers/calendar/ical-setpos.js';
import { rfcYearlyStarts } from './rfc-yearly.js';

export function entry(dtstart: string, rrule: string): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:y@x', `DTSTART:${dtstart}`, 'DURATION:PT1H', `RRULE:${rrule}`, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
}

/** ical.js alone: the starts of the occurrences that overlap the window. */
export function icalStarts(text: string, range: { from: number; to: number }): number[] {
  const event = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent') as ICAL.Component);
  const iterator = event.iterator();
  const starts: number[] = [];
  for (let next = iterator.next(); next; next = iterator.next()) {
    const ms = next.toUnixTime() * 1000;
    if (ms >= range.to) break;
    if (ms + 3_600_000 > range.from) starts.push(ms);
  }
  return starts;
}

/**
 * Checks that parseCalendar and ical.js alone give the same occurrences; returns how many. Where
 * parseCalendar departs from ical.js on purpose (src/providers/calendar/ical-rules.ts), it says so
 * with a reason instead: a rule that ends before its start (left out; ical.js gives no occurrence
 * at all either), a rule that never matches (dropped, the entry's DTSTART alone kept), and a
 * BYSETPOS that ical.js reads otherwise than RFC 5545 (a YEARLY rule of several months numbers each
 * month's days): such rules are read by ical-setpos.ts and checked against other references in
 * test/providers/calendar/setpos.test.ts, so they return 0 here. The YEARLY rules of a day past the
 * 28th under BYMONTH, which ical.js reads at days that do not exist, are read by ical-setpos.ts
 * too, and compared with RFC 5545 checked day by day (rfc-yearly.ts) instead: this property found
 * ical.js giving no occurrence of `BYMONTH=2;BYMONTHDAY=29;BYDAY=WE` from 1700, where 29 February
 * 2040 is a Wednesday.
 */
export function sameAsIcal(dtstart: string, rrule: string, range: { from: number; to: number }): number {
  const text = entry(dtstart, rrule);
  const { events, skipped } = parseCalendar(text, range);
  const [departure] = skipped;
  if (departure && /ends \(UNTIL\) before its start/.test(departure.reason)) {
    expect(icalStarts(text, { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY })).toEqual([]);
    expect(events).toEqual([]);
    return 0;
  }
  // A rule RFC 5545 makes empty is not compared with ical.js, which gives days that do not exist
  // or months its INTERVAL never visits for some (this property found `FREQ=YEARLY;INTERVAL=4;
  // BYMONTH=2;BYMONTHDAY=29` from 1713 read as 1 March 2021, and `FREQ=MONTHLY;INTERVAL=2;BYMONTH=1`
  // from April as each January); such rules are in test/providers/calendar/odd-rules.test.ts.
  const first = startMillis(dtstart);
  const startInWindow = first < range.to && first + 3_600_000 > range.from ? [first] : [];
  if (departure && /never matches/.test(departure.reason)) {
    // The rule is dropped; the entry's start stays the first instance of its set (RFC 5545
    // §3.8.5.3), as ical.js gives it.
    expect(events.map((e) => e.start)).toEqual(startInWindow);
    return 0;
  }
  const rule = ICAL.Recur.fromString(rrule);
  if ((rule.parts as Record<string, unknown>).BYSETPOS && !icalReadsSetPositions(rule)) return 0;
  expect(skipped).toEqual([]);
  const reference = rule.freq === 'YEARLY' && readHere(rule) ? rfcYearlyStarts(dtstart, rrule, range) : icalKeepingStart(dtstart, rule, range, startInWindow);
  expect(events.map((e) => e.start)).toEqual(reference);
  return events.length;
}

function startMillis(dtstart: string): number {
  const [y, mo, d, h, mi, se] = (/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(dtstart) ?? []).slice(1).map(Number);
  const first = Date.UTC(y ?? NaN, (mo ?? NaN) - 1, d ?? NaN, h ?? NaN, mi ?? NaN, se ?? NaN);
  expect(Number.isNaN(first)).toBe(false);
  return first;
}

/**
 * ical.js's starts, with the one departure parseCalendar makes on purpose for a start the rule
 * does not give (src/providers/calendar/ical-rules.ts, keepStart; kewisch/ical.js#294): the start
 * is the first occurrence and counts in COUNT, so ical.js walks the rule one COUNT shorter.
 */
function icalKeepingStart(dtstart: string, rule: ICAL.Recur, range: { from: number; to: number }, startInWindow: number[]): number[] {
  const text = entry(dtstart, rule.toString());
  const event = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent') as ICAL.Component);
  const given = event.iterator().next();
  if (given && given.toUnixTime() * 1000 === startMillis(dtstart)) return icalStarts(text, range);
  if (rule.count === 1) return startInWindow;
  if (rule.count) rule.count -= 1;
  return [...startInWindow, ...icalStarts(entry(dtstart, rule.toString()), range)];
}
