/**
 * Odd entries and zones of one calendar cost a bounded CPU time, measured per calendar through
 * process.cpuUsage (test/support/cpu-time.ts), not wall time. Figures before and after are in the
 * README, "Odd calendar entries".
 */
import { describe, expect, it } from 'vitest';
import { parseCalendar } from '../../../src/providers/calendar/ical-normalize.js';
import { withCpuTime } from '../../support/cpu-time.js';

const WINDOW = { from: Date.UTC(2031, 0, 1), to: Date.UTC(2031, 1, 1) };
const calendar = (parts: readonly string[]): string => ['BEGIN:VCALENDAR', 'VERSION:2.0', ...parts, 'END:VCALENDAR', ''].join('\r\n');

describe('odd calendars', () => {
  // Each zone's search for a first change was bounded, but not the zones of a calendar in all:
  // twenty zones whose rule never matches, begun in the year 1, cost 5.3 s of CPU.
  it('charges the searches of all the time zones of a calendar to one budget', () => {
    const zones = Array.from({ length: 20 }, (_, i) =>
      [
        'BEGIN:VTIMEZONE',
        `TZID:Zone ${i}`,
        'BEGIN:STANDARD',
        'DTSTART:00011025T030000',
        'TZOFFSETFROM:+0200',
        'TZOFFSETTO:+0100',
        'RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;BYDAY=MO,TU,WE,TH,FR,SA,SU',
        'END:STANDARD',
        'END:VTIMEZONE',
      ].join('\r\n'),
    );
    const plain = ['BEGIN:VEVENT', 'UID:plain', 'DTSTART:20310110T090000Z', 'DURATION:PT1H', 'END:VEVENT'].join('\r\n');
    const { value, cpuMs } = withCpuTime(() => parseCalendar(calendar([...zones, plain]), WINDOW));
    expect(value.events.map((e) => e.id)).toEqual(['plain']);
    const reasons = value.skipped.map((s) => s.reason);
    expect(reasons).toHaveLength(20);
    // The first zone spends its own bound, the second the rest of the calendar's.
    expect(reasons[0]).toBe('unreadable time zone: a clock change rule (RRULE) takes too long to find its first change');
    expect(new Set(reasons.slice(1))).toEqual(
      new Set(["unreadable time zone: the clock change rules (RRULE) of this calendar's time zones take too long to check in all; this zone and the next ones with a rule are left out"]),
    );
    // Two zones' searches (~0.5 s on a loaded machine), with room for a loaded CI.
    expect(cpuMs).toBeLessThan(1_500);
  });
});
