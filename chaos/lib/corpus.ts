/**
 * Hostile calendars, each mixing good interview invitations with a kind of damage, so that a sync
 * must read the good ones, leave the bad parts out and say so in the audit.
 */
import { randomBytes } from 'node:crypto';
import { calendarToIcs, eventToIcs, type ChaosEvent } from './calendar.js';

export interface CorpusItem {
  readonly name: string;
  readonly what: string;
  readonly bytes: Buffer;
  /** Interviews the sync must find. */
  readonly interviews: number;
  /** The sync must report skipped entries. */
  readonly expectSkipped: boolean;
}

const DAY = 86_400_000;
const stamp = (at: number) => new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

function good(n: number, base: number, tag: string): ChaosEvent[] {
  return Array.from({ length: n }, (_, i) => ({ uid: `${tag}-good-${i}@corpus`, start: base + i * 3_600_000, title: `Phone screen ${i} with Dana (Acme)` }));
}

function plain(uid: string, start: number, title: string, extra: string[] = []): string[] {
  return ['BEGIN:VEVENT', `UID:${uid}`, `DTSTAMP:${stamp(start)}`, `DTSTART:${stamp(start)}`, `DTEND:${stamp(start + 1_800_000)}`, `SUMMARY:${title}`, ...extra, 'END:VEVENT'];
}

function wrap(lines: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//ringback//corpus//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
}

/** RFC 5545 folding at 75 octets. */
function fold(line: string): string {
  const parts: string[] = [];
  for (let i = 0; i < line.length; i += 74) parts.push((i === 0 ? '' : ' ') + line.slice(i, i + 74));
  return parts.join('\r\n');
}

export interface CorpusSizes {
  readonly hugeBytes: number;
  readonly manyEvents: number;
  readonly endlessRules: number;
  readonly garbageBytes: number;
}

export const FULL_CORPUS: CorpusSizes = { hugeBytes: 10 * 1024 * 1024, manyEvents: 100_000, endlessRules: 200, garbageBytes: 1024 * 1024 };

export function buildCorpus(now: number, sizes: CorpusSizes): CorpusItem[] {
  const base = Math.floor((now + 2 * DAY) / 60_000) * 60_000;
  const items: CorpusItem[] = [];

  // Cut inside an entry that others follow. A file that ENDS inside an entry is not read at all
  // (src/providers/calendar/ics-whole.ts: it was caught while being written), so it is no test of
  // reading around damage.
  const cut = eventToIcs({ uid: 'cut@corpus', start: base + 40 * 3_600_000, title: 'Phone screen cut short', description: 'x'.repeat(500) }).join('\r\n');
  const truncated = wrap([cut.slice(0, cut.lastIndexOf('DESCRIPTION:') + 200), ...good(30, base, 'trunc').flatMap(eventToIcs)]);
  items.push({
    name: 'truncated',
    what: 'an entry cut off in the middle (no END:VEVENT) with the rest of the file after it',
    bytes: Buffer.from(truncated),
    interviews: 30,
    expectSkipped: true,
  });

  const huge = 'Notes '.repeat(Math.ceil(sizes.hugeBytes / 6)).slice(0, sizes.hugeBytes);
  items.push({
    name: 'huge',
    what: `${(sizes.hugeBytes / 1024 / 1024).toFixed(0)} MB: one invitation whose description is ${(sizes.hugeBytes / 1024 / 1024).toFixed(0)} MB long`,
    bytes: Buffer.from(wrap([...good(20, base, 'huge').flatMap(eventToIcs), ...plain('huge@corpus', base + 30 * 3_600_000, 'Phone screen with a long brief', [fold(`DESCRIPTION:${huge}`)]).slice(0, -1), 'ORGANIZER;CN=Dana:mailto:dana@acme.example', 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:ada@example.org', 'END:VEVENT'])),
    interviews: 21,
    expectSkipped: false,
  });

  items.push({
    name: 'unknown-tzid',
    what: 'entries whose TZID names no zone at all (and no VTIMEZONE defines it)',
    bytes: Buffer.from(
      wrap([
        ...good(10, base, 'tz').flatMap(eventToIcs),
        ...Array.from({ length: 5 }, (_, i) => ['BEGIN:VEVENT', `UID:tz-bad-${i}@corpus`, 'DTSTART;TZID=Mars/Olympus_Mons:20300101T090000', 'DTEND;TZID=Mars/Olympus_Mons:20300101T093000', 'SUMMARY:Phone screen on Mars', 'END:VEVENT']).flat(),
      ]),
    ),
    interviews: 10,
    expectSkipped: true,
  });

  const start2001 = Date.UTC(2001, 0, 1, 9);
  const endless = Array.from({ length: sizes.endlessRules }, (_, i) =>
    plain(`rule-${i}@corpus`, start2001, 'Standup', [i % 2 === 0 ? 'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30' : 'RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=31']),
  ).flat();
  items.push({
    name: 'endless-rrule',
    what: `${sizes.endlessRules} entries whose RRULE can never match (30 or 31 February) and would be walked for ever`,
    bytes: Buffer.from(wrap([...good(10, base, 'rrule').flatMap(eventToIcs), ...plain('secondly@corpus', start2001, 'Heartbeat', ['RRULE:FREQ=SECONDLY']), ...endless])),
    interviews: 10,
    expectSkipped: true,
  });

  const filler: string[] = [];
  for (let i = 0; i < sizes.manyEvents - 10; i++) filler.push(...plain(`filler-${i}@corpus`, now + ((i * 7919) % (25 * 24)) * 3_600_000, `Focus time ${i}`));
  items.push({
    name: 'many-events',
    what: `${sizes.manyEvents.toLocaleString('en')} events in the sync window, 10 of them interviews`,
    bytes: Buffer.from(wrap([...good(10, base, 'many').flatMap(eventToIcs), ...filler])),
    interviews: 10,
    expectSkipped: false,
  });

  const text = calendarToIcs(good(10, base, 'utf8'));
  const bad = Buffer.from(text.replace(/SUMMARY:Phone screen (\d) /g, 'SUMMARY:Phone screen $1 \u0001BADBYTES '));
  const bytes = Buffer.concat(bad.toString('latin1').split('\u0001BADBYTES').map((part, i) => (i === 0 ? [Buffer.from(part, 'latin1')] : [Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x80, 0xed, 0xa0, 0x80]), Buffer.from(part, 'latin1')])).flat());
  items.push({ name: 'invalid-utf8', what: 'titles with bytes that are not UTF-8 (lone continuation bytes, 0xFF, an encoded surrogate)', bytes, interviews: 10, expectSkipped: false });

  items.push({
    name: 'garbage',
    what: `${(sizes.garbageBytes / 1024).toFixed(0)} KB of random bytes after a calendar header, then good entries`,
    bytes: Buffer.concat([Buffer.from('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n'), randomBytes(sizes.garbageBytes), Buffer.from(`\r\n${good(5, base, 'garbage').flatMap(eventToIcs).join('\r\n')}\r\nEND:VCALENDAR\r\n`)]),
    interviews: 5,
    expectSkipped: true,
  });
  return items;
}
