/**
 * The check of odd-entry.test.ts, for one calendar: a real file, alone or beside another, with one
 * entry damaged (odd-entry-mutations.ts). Shared with a longer campaign run by hand.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect } from 'vitest';
import { analyse } from '../../src/domain/detect.js';
import type { CalendarEvent } from '../../src/domain/types.js';
import { parseCalendar, type ParsedCalendar } from '../../src/providers/calendar/ical-normalize.js';
import { decodeIcs } from '../../src/providers/calendar/ical-text.js';
import { withCpuTime } from '../support/cpu-time.js';
import { detectSettings } from '../support/detection.js';
import { entriesOf, mutate, mutation } from './odd-entry-mutations.js';

const WINDOW = { from: Date.UTC(2000, 0, 1), to: Date.UTC(2032, 0, 1) };
/** Wide enough for any time a damaged entry can land on: the entry alone, to tell "outside the window" from "lost". */
const ALL_TIME = { from: Date.parse('0001-01-01T00:00:00Z'), to: Date.parse('9999-12-31T00:00:00Z') };

interface Fixture {
  readonly name: string;
  readonly lines: readonly string[];
}

function fixtures(dir: URL): Fixture[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ics'))
    .sort()
    .map((name) => ({ name, lines: decodeIcs(readFileSync(new URL(name, dir))).split(/\r\n|\n|\r/) }));
}

const FILES = [...fixtures(new URL('../fixtures/ics/', import.meta.url)), ...fixtures(new URL('../fixtures/ics/writers/', import.meta.url))];
// Its 3,000 occurrences cost 0.1 s a reading: damaged now and then, never a neighbour.
const NEIGHBOURS = FILES.filter((file) => file.name !== 'rrule-no-end.ics');

/** What must not change for an entry that was not touched. */
const facts = (e: CalendarEvent) => {
  const analysis = analyse(e, detectSettings);
  return { id: e.id, seriesId: e.seriesId, start: e.start, end: e.end, title: e.title, status: e.status, kind: analysis.kind, result: analysis.result.kind };
};
/** Whether `e` is an occurrence of the entries of UID `uid` (an id is the UID, or the UID, a slash and the occurrence). */
const ofUid = (e: CalendarEvent, uid: string): boolean => e.seriesId === uid || e.id === uid || e.id.startsWith(`${uid}/`);

interface Baseline {
  readonly parsed: ParsedCalendar;
  readonly cpuMs: number;
  /** {@link facts} of each event, by id. */
  readonly facts: ReadonlyMap<string, ReturnType<typeof facts>>;
}
const baselines = new Map<string, Baseline>();

function baseline(key: string, text: string): Baseline {
  let known = baselines.get(key);
  if (!known) {
    parseCalendar(text, WINDOW); // warm: the damaged reading comes after this one
    const { value, cpuMs } = withCpuTime(() => parseCalendar(text, WINDOW));
    known = { parsed: value, cpuMs, facts: new Map(value.events.map((e) => [e.id, facts(e)])) };
    baselines.set(key, known);
  }
  return known;
}

export const calendarCase = fc.record({
  file: fc.nat({ max: FILES.length - 1 }),
  neighbour: fc.option(fc.record({ index: fc.nat({ max: NEIGHBOURS.length - 1 }), first: fc.boolean() }), { nil: null }),
  entry: fc.nat({ max: 1_000 }),
  damage: mutation,
});

export type CalendarCase = typeof calendarCase extends fc.Arbitrary<infer T> ? T : never;

/**
 * Reads `c`'s calendar with and without the damage and checks it (throws on a failure).
 * `oneEntryMs`: the CPU one entry may cost beyond the undamaged reading (its own walk budget).
 */
export function checkCalendar({ file, neighbour, entry, damage }: CalendarCase, oneEntryMs: number): { readonly cpuMs: number; readonly baselineMs: number } {
  const own = FILES[file] as Fixture;
  const spans = entriesOf(own.lines);
  const span = spans[entry % spans.length] as (typeof spans)[number];
  const other = neighbour === null ? null : (NEIGHBOURS[neighbour.index] as Fixture);
  const join = (lines: readonly string[]): string => (other === null ? [...lines] : neighbour?.first ? [...other.lines, ...lines] : [...lines, ...other.lines]).join('\r\n');
  const key = `${own.name}+${other?.name ?? ''}+${String(neighbour?.first)}`;
  const before = baseline(key, join(own.lines));
  const mutated = mutate(own.lines, span, damage);

  const { value: after, cpuMs } = withCpuTime(() => parseCalendar(join(mutated), WINDOW));
  // The detection reads every event without throwing (facts runs analyse).
  const read = new Map(after.events.map((e) => [e.id, facts(e)]));

  // Every entry of another UID reads as it did.
  const untouched = before.parsed.events.filter((e) => !ofUid(e, span.uid));
  for (const event of untouched) {
    expect(read.get(event.id), `${event.id} after ${damage.kind} of ${span.uid} in ${key}`).toEqual(before.facts.get(event.id));
  }

  // The damaged entry: read (under its UID or another), or reported, or outside the window.
  const untouchedIds = new Set(untouched.map((e) => e.id));
  const readNow = after.events.some((e) => !untouchedIds.has(e.id));
  const reportedBefore = new Set(before.parsed.skipped.map((s) => JSON.stringify(s)));
  const reportedNow = after.skipped.some((s) => !reportedBefore.has(JSON.stringify(s)) || (span.uid !== '' && s.ref.includes(span.uid)));
  if (!readNow && !reportedNow) {
    const entryLines = mutated.slice(span.begin, mutated.length - (own.lines.length - span.end - 1));
    const alone = parseCalendar(['BEGIN:VCALENDAR', ...entryLines, 'END:VCALENDAR'].join('\r\n'), ALL_TIME);
    expect(alone.events.length, `${damage.kind} of ${span.uid} in ${key}: neither read nor reported`).toBeGreaterThan(0);
  }

  // CPU: a bounded multiple of the undamaged reading, plus one entry's budget.
  expect(cpuMs, `${damage.kind} of ${span.uid} in ${key}`).toBeLessThan(4 * before.cpuMs + oneEntryMs);
  return { cpuMs, baselineMs: before.cpuMs };
}
