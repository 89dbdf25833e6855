import { parseCalendar } from '../../src/providers/calendar/ical-normalize.js';

/**
 * What a piece of work returns and the CPU time it took, in milliseconds. Speed guards in tests
 * (a scan that must stay linear in its input) bound this rather than wall time, which grows with
 * whatever else shares the machine's cores.
 */
export function withCpuTime<T>(work: () => T): { readonly value: T; readonly cpuMs: number } {
  const started = process.cpuUsage();
  const value = work();
  const used = process.cpuUsage(started);
  return { value, cpuMs: (used.user + used.system) / 1_000 };
}

/**
 * The CPU time, in milliseconds, of reading `count` plain entries (one UID, a start, a length and
 * a title each) outside the window: the unit in which a calendar guard whose work is large states
 * its bound. CPU time still grows on a loaded or slower machine (a 2 s bound on work of 0.7 s
 * here failed at 2.01 s in a full run); measured in the same worker just before or after the work
 * it bounds, this grows with it.
 */
export function plainReadingCpuMs(count: number): number {
  const day = (i: number): string => new Date(Date.UTC(2000, 0, 1, 9) + i * 86_400_000).toISOString().replace(/[-:]/g, '').replace('.000', '');
  const entries = Array.from({ length: count }, (_, i) => ['BEGIN:VEVENT', `UID:plain-${i}`, `DTSTART:${day(i)}`, 'DURATION:PT30M', 'SUMMARY:Stand-up', 'END:VEVENT'].join('\r\n'));
  const text = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...entries, 'END:VCALENDAR', ''].join('\r\n');
  return withCpuTime(() => parseCalendar(text, { from: Date.UTC(2100, 0, 1), to: Date.UTC(2100, 0, 2) })).cpuMs;
}
