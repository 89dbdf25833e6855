/**
 * Odd entries from further public bug reports, each cited beside it, read through the paths a sync
 * takes (parseCalendar; the ics source for bytes as a file holds them), beside an ordinary call.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CalendarEvent } from '../../../src/domain/types.js';
import { parseCalendar } from '../../../src/providers/calendar/ical-normalize.js';
import { createIcsSource } from '../../../src/providers/calendar/ics.js';
import { plainReadingCpuMs, withCpuTime } from '../../support/cpu-time.js';

const calendar = (entries: readonly string[]): string => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...entries, 'END:VCALENDAR', ''].join('\r\n');
const entry = (lines: readonly string[]): string => ['BEGIN:VEVENT', ...lines, 'END:VEVENT'].join('\r\n');
const days = (from: string, to: string) => ({ from: Date.parse(from), to: Date.parse(to) });
const starts = (events: readonly CalendarEvent[]): [string, string][] => events.map((e) => [e.id, new Date(e.start).toISOString()]);

describe('odd entries from bug reports', () => {
  // t4t5/caldir#42: Thunderbird's (Mozilla's) zone names, `/mozilla.org/20070129_1/Europe/Berlin`,
  // without their VTIMEZONE. Guard: read as Europe/Berlin.
  it("reads Mozilla's prefixed zone name as the zone it ends with", () => {
    const text = calendar([entry(['UID:moz', 'DTSTART;TZID=/mozilla.org/20070129_1/Europe/Berlin:20240425T093000', 'DTEND;TZID=/mozilla.org/20070129_1/Europe/Berlin:20240425T100000'])]);
    const { events, skipped } = parseCalendar(text, days('2024-04-20', '2024-04-30'));
    expect(skipped).toEqual([]);
    expect(starts(events)).toEqual([['moz', '2024-04-25T07:30:00.000Z']]);
  });

  // mdavid/DDay.iCal#2 (Thunderbird's export): a daily series and the override that moves its 18
  // April occurrence to 13:00. Here the override comes first in the file, as a variant of that
  // report: a feed's order is not the series' order. Guard.
  it('applies an override written before its series', () => {
    const series = entry(['UID:074aa1e9', 'SUMMARY:Initial Recurrent Event', 'RRULE:FREQ=DAILY', 'EXDATE:20120419T090000Z', 'DTSTART;TZID=Europe/Paris:20120417T110000', 'DTEND;TZID=Europe/Paris:20120417T120000']);
    const override = entry(['UID:074aa1e9', 'SUMMARY:Modify Event', 'RECURRENCE-ID;TZID=Europe/Paris:20120418T110000', 'DTSTART;TZID=Europe/Paris:20120418T130000', 'DTEND;TZID=Europe/Paris:20120418T140000', 'SEQUENCE:1']);
    for (const text of [calendar([series, override]), calendar([override, series])]) {
      const { events, skipped } = parseCalendar(text, days('2012-04-17', '2012-04-21'));
      expect(skipped).toEqual([]);
      expect(events.map((e) => [new Date(e.start).toISOString(), e.title])).toEqual([
        ['2012-04-17T09:00:00.000Z', 'Initial Recurrent Event'],
        ['2012-04-18T11:00:00.000Z', 'Modify Event'],
        ['2012-04-20T09:00:00.000Z', 'Initial Recurrent Event'],
      ]);
    }
  });

  // robur-coop/icalendar#13 (an Evolution calendar edited in two or three apps): two overrides of
  // one occurrence, SEQUENCE 10 and 1. The one of the higher SEQUENCE is the later edit (RFC 5545
  // §3.8.7.4), whichever comes first in the file.
  it('keeps the override of the higher SEQUENCE when two replace one occurrence', () => {
    const series = entry(['UID:8601c255', 'DTSTART;TZID=Europe/London:20241231T200000', 'DTEND;TZID=Europe/London:20241231T203000', 'RRULE:FREQ=WEEKLY', 'SEQUENCE:5', 'SUMMARY:Grandma call']);
    const later = entry(['UID:8601c255', 'RECURRENCE-ID:20241231T200000Z', 'DTSTART;TZID=Europe/London:20250114T180000', 'DTEND;TZID=Europe/London:20250114T190000', 'SEQUENCE:10', 'SUMMARY:Grandma call']);
    const earlier = entry(['UID:8601c255', 'RECURRENCE-ID:20241231T200000Z', 'DTSTART;TZID=Europe/London:20250218T170000', 'DTEND;TZID=Europe/London:20250218T173000', 'SEQUENCE:1', 'SUMMARY:Grandma call']);
    for (const text of [calendar([series, later, earlier]), calendar([series, earlier, later])]) {
      const { events, skipped } = parseCalendar(text, days('2024-12-30', '2025-03-01'));
      expect(skipped).toEqual([{ ref: '8601c255 (Grandma call)', reason: 'another override of the same occurrence (RECURRENCE-ID); kept the one with the higher SEQUENCE' }]);
      expect(starts(events).filter(([id]) => id.endsWith('2024-12-31T20:00:00.000Z'))).toEqual([['8601c255/2024-12-31T20:00:00.000Z', '2025-01-14T18:00:00.000Z']]);
    }
  });

  // Finding an earlier override of the same occurrence compared each new one with every one before
  // it, each written out again: a series of 20,000 overrides (a daily call edited for 55 years, or
  // a hostile feed) cost seconds of CPU in one sync before its first occurrence was read.
  it('finds two overrides of one occurrence among many at the cost of reading them', () => {
    const day = (i: number): string => new Date(Date.UTC(2000, 0, 1, 9) + i * 86_400_000).toISOString().replace(/[-:]/g, '').replace('.000', '');
    const overrides = Array.from({ length: 20_000 }, (_, i) => entry(['UID:daily', `RECURRENCE-ID:${day(i)}`, `DTSTART:${day(i)}`, 'DURATION:PT30M', 'SUMMARY:Stand-up']));
    const text = calendar([entry(['UID:daily', `DTSTART:${day(0)}`, 'DURATION:PT30M', 'RRULE:FREQ=DAILY', 'SUMMARY:Stand-up']), ...overrides]);
    const { value, cpuMs } = withCpuTime(() => parseCalendar(text, days('2030-01-01', '2030-01-03')));
    expect(value.skipped).toEqual([]);
    expect(value.events).toHaveLength(2);
    // 90 s before; now the parse of the text is most of it: about what reading as many plain
    // entries costs (0.4 to 0.8 s each here), bounded at three times that.
    expect(cpuMs).toBeLessThan(3 * plainReadingCpuMs(20_000) + 150);
  });

  // icalendar/icalendar#238: a writer folded a line inside a UTF-8 sequence (a no-break space,
  // C2 A0, split across the fold). RFC 5545 §3.1: "implementations need to unfold lines in such a
  // way to properly restore the original sequence". Read from a file's bytes, as a feed is.
  it('restores a character whose bytes a fold split', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ringback-fold-'));
    try {
      const path = join(dir, 'calendar.ics');
      const head = Buffer.from(['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:fold', 'DTSTART:20240306T150000Z', 'DURATION:PT30M', 'SUMMARY:Phone screen'].join('\r\n'), 'utf8');
      const split = Buffer.concat([Buffer.from([0xc2]), Buffer.from('\r\n ', 'utf8'), Buffer.from([0xa0]), Buffer.from('with Acme\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n', 'utf8')]);
      await writeFile(path, Buffer.concat([head, split]));
      const source = createIcsSource({ id: 'fold', path, horizonDays: 30, now: () => Date.parse('2024-03-04T12:00:00Z') });
      const titles: string[] = [];
      for await (const page of source.sync(null, new AbortController().signal)) titles.push(...page.upserts.map((e) => e.title));
      // Restored, then read as a space, as every run of white space in a title is (not as U+FFFD twice).
      expect(titles).toEqual(['Phone screen with Acme']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // collective/icalendar#166: a calendar written through a Windows text-mode file gets CR CR LF
  // line ends ("double newline lineendings"); here beside a bare LF and a bare CR, with the
  // organizer folded inside "ø" (bytes C3 / B8, as Teams folds it: the writers fixture
  // teams-romance-no-vtimezone.ics). Adapted: our entries. The fold was not found across CR CR LF,
  // and the organizer, split in two unreadable lines, was lost: the call had no one to write to.
  it('restores a character split by a fold across CR CR LF line ends, and keeps the entries around it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ringback-fold-'));
    try {
      const path = join(dir, 'calendar.ics');
      const nl = '\r\r\n';
      const text = (lines: readonly string[], end = nl): Buffer => Buffer.from(lines.join(end) + end, 'utf8');
      const bytes = Buffer.concat([
        text(['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'UID:fold', 'DTSTART:20240306T150000Z', 'DURATION:PT30M', 'SUMMARY:Phone screen']),
        Buffer.from('ORGANIZER;CN=Ida Skovh', 'utf8'),
        Buffer.from([0xc3]),
        Buffer.from(`${nl} `, 'utf8'),
        Buffer.from([0xb8]),
        text(['j Madsen:mailto:ida@college.example', 'END:VEVENT']),
        text(['BEGIN:VEVENT', 'UID:lf', 'DTSTART:20240307T150000Z', 'DURATION:PT30M', 'SUMMARY:Phone screen (LF)', 'END:VEVENT'], '\n'),
        text(['BEGIN:VEVENT', 'UID:cr', 'DTSTART:20240308T150000Z', 'DURATION:PT30M', 'SUMMARY:Phone screen (CR)', 'END:VEVENT', 'END:VCALENDAR'], '\r'),
      ]);
      await writeFile(path, bytes);
      const source = createIcsSource({ id: 'fold', path, horizonDays: 30, now: () => Date.parse('2024-03-04T12:00:00Z') });
      const read: CalendarEvent[] = [];
      for await (const page of source.sync(null, new AbortController().signal)) {
        expect(page.skipped).toEqual([]);
        read.push(...page.upserts);
      }
      expect(read.map((e) => [e.id, e.title, e.organizer])).toEqual([
        ['fold', 'Phone screen', { name: 'Ida Skovhøj Madsen', email: 'ida@college.example' }],
        ['lf', 'Phone screen (LF)', null],
        ['cr', 'Phone screen (CR)', null],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // EWSoftware/PDI#6: a Google Calendar feed held an override of `RECURRENCE-ID:00001230T040000Z`
  // (the year 0), which failed the whole calendar there; sabre-io/dav#44: iOS writes the year 4500.
  // Guard: the call and the series beside them are read; the override, of no occurrence of the
  // series, changes nothing, and is named in the audit since it puts an entry into the window.
  it('reads around an override of the year 0 and an entry of the year 4500', () => {
    const call = entry(['UID:call', 'DTSTART:20170801T150000Z', 'DURATION:PT30M', 'SUMMARY:Phone screen with Acme']);
    const weekly = entry(['UID:weekly', 'DTSTART:20170731T090000Z', 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY', 'SUMMARY:Stand-up']);
    const zero = entry(['UID:weekly', 'RECURRENCE-ID:00001230T040000Z', 'DTSTART:20170802T090000Z', 'DURATION:PT1H', 'SUMMARY:Stand-up']);
    const far = entry(['UID:ios', 'DTSTART:45000101T000000Z', 'DTEND:45000101T010000Z']);
    const { events, skipped } = parseCalendar(calendar([call, weekly, zero, far]), days('2017-07-30', '2017-08-05'));
    expect(starts(events)).toEqual([
      ['call', '2017-08-01T15:00:00.000Z'],
      ['weekly/2017-07-31T09:00:00.000Z', '2017-07-31T09:00:00.000Z'],
    ]);
    expect(skipped).toEqual([{ ref: 'weekly (Stand-up)', reason: 'an override (RECURRENCE-ID 0000-12-30T04:00:00.000Z) matches no occurrence of its series; left out' }]);
  });
});
