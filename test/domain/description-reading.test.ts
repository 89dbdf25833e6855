/**
 * A description read once is read once for every event that carries it (the occurrences of a
 * recurring meeting, a team's shared agenda): what each event's detection says stays what it says
 * when the description is read for it alone.
 */
import { describe, expect, it } from 'vitest';
import { CORPUS_SETTINGS, loadCorpus } from '../../bench/detection/score.js';
import { analyse, type DetectSettings } from '../../src/domain/detect.js';
import { readEvent } from '../../src/domain/detection/reading.js';
import { buildLexicon } from '../../src/domain/detection/words.js';
import type { CalendarEvent } from '../../src/domain/types.js';

/** Settings equal to `settings` in every value, with a detection config of their own: a lexicon built anew, nothing read with it yet. */
function fresh(settings: DetectSettings): DetectSettings {
  return { ...settings, detection: { ...settings.detection } };
}

const AGENDA = 'Agenda: status, blockers, next steps.\nNotes in the shared folder; bring questions.';

describe('a description shared by several events', () => {
  it('is read once: the second event gets the first reading, which no reader can change', () => {
    const lexicon = buildLexicon();
    const first = readEvent({ title: 'Team sync 1', location: '', description: AGENDA }, lexicon);
    const second = readEvent({ title: 'Team sync 2', location: 'Room 4.12', description: AGENDA }, lexicon);
    expect(second.lines).toBe(first.lines);
    expect(Object.isFrozen(first.lines)).toBe(true);
    expect(Object.isFrozen(first.lines[0])).toBe(true);
    expect(() => (first.lines as unknown as unknown[]).push({})).toThrow(TypeError);
    // What is the event's own is read for each: its title and location.
    expect(second.titleText).toBe('team sync 2');
    expect(second.locationText).toBe('room 4.12');
  });

  // Guard (passes on the code before the description was remembered too): each corpus invitation
  // reads the same after every other one was read with the same lexicon, and with another event's
  // title over its description (a job named in the description decides what the title's job says).
  it('reads every corpus invitation as it reads it alone, with its own title or another', () => {
    const events = loadCorpus().map((entry) => entry.event);
    const swapped: CalendarEvent[] = events.map((event, i) => ({ ...event, title: events[(i + 1) % events.length]!.title }));
    // The first reading of each description with a lexicon of its own: with the invitation's title,
    // then with the next one's.
    const own = fresh(CORPUS_SETTINGS);
    const alone = events.map((event) => analyse(event, own));
    const other = fresh(CORPUS_SETTINGS);
    const aloneSwapped = swapped.map((event) => analyse(event, other));
    // Read again with the first lexicon: every description is remembered by now.
    events.forEach((event, i) => expect(analyse(event, own), event.title).toEqual(alone[i]));
    swapped.forEach((event, i) => expect(analyse(event, own), event.title).toEqual(aloneSwapped[i]));
    expect(events.length).toBeGreaterThan(100);
  });

  // Guard: a description over the remembered length (hostile or only long) is read each time, whole.
  it('reads a long description anew each time, as before', () => {
    const lexicon = buildLexicon();
    const long = `${AGENDA}\n${'Please call me at +1 415 555 0134 for the phone interview. '.repeat(200)}\n${'x'.repeat(100_000)}`;
    const first = readEvent({ title: 'Phone interview', location: '', description: long }, lexicon);
    const second = readEvent({ title: 'Phone interview', location: '', description: long }, lexicon);
    expect(second.lines).not.toBe(first.lines);
    expect(second).toEqual(first);
    expect(first.lines.some((line) => line.numberLike)).toBe(true);
  });
});
