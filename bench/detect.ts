/**
 * detect: how many events per second detection reads (classification, evidence, and for phone
 * interviews direction and number), pure and in-process.
 *
 * Two mixes: a calendar as a job seeker's looks (the benchmark calendar: ordinary meetings and one
 * phone interview in twenty, `lib/calendar-data.ts`), which carries the target of ≥ 20,000 events/s;
 * and the detection corpus (`detection/corpus.yaml`: every event an invitation with a provider's
 * joining block, an ATS template or a scheduler's booking), for context. Throughput is counted
 * per CPU second of this process (user + system), so that other work on a shared machine does not
 * count against it; wall-clock throughput is reported beside it.
 */
import { analyse, type DetectSettings } from '../src/domain/detect.js';
import { forgetDescriptions } from '../src/domain/detection/reading.js';
import type { CalendarEvent } from '../src/domain/types.js';
import { CORPUS_SETTINGS, loadCorpus } from './detection/score.js';
import { makeCalendar } from './lib/calendar-data.js';
import { info, limit, scaled, type Scenario, type ScenarioResult } from './lib/figures.js';

const TARGET = 20_000;

export function calendarEvents(count: number): CalendarEvent[] {
  return makeCalendar({ account: 1, count, interviewShare: 0.05, base: Date.UTC(2031, 0, 1) }).map((e) => ({
    id: e.uid,
    title: e.title,
    description: e.description,
    location: e.location,
    start: e.start,
    end: e.end,
    timeZone: 'UTC',
    allDay: false,
    status: 'confirmed',
    organizer: e.organizer,
    attendees: e.attendees.map((a) => ({ ...a })),
    categories: [],
    tags: {},
    conferencePhones: [],
  }));
}

interface Rate {
  readonly perCpuSecond: number;
  readonly perWallSecond: number;
  readonly phones: number;
}

function measure(events: readonly CalendarEvent[], settings: DetectSettings, seconds: number): Rate {
  let phones = 0;
  for (const event of events) if (analyse(event, settings).result.kind === 'interview') phones++;
  const cpu = process.cpuUsage();
  const wall = performance.now();
  let n = 0;
  while (performance.now() - wall < seconds * 1000) {
    // Each pass from cold: within a pass, events that share a description read it once, as in a sync.
    forgetDescriptions();
    for (const event of events) analyse(event, settings);
    n += events.length;
  }
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return { perCpuSecond: n / cpuSeconds, perWallSecond: n / ((performance.now() - wall) / 1000), phones };
}

export const detect: Scenario = {
  name: 'detect',
  what: 'detection alone: events read per second (class, evidence, direction and number), on a calendar mix and on the invitation corpus',
  async run(context): Promise<ScenarioResult> {
    const started = performance.now();
    const count = scaled(10_000, context, 500);
    const seconds = context.tiny ? 0.5 : 5;
    const calendar = calendarEvents(count);
    const corpus = loadCorpus().map((e) => e.event);
    context.progress(`detect: ${count} calendar events, ${corpus.length} corpus invitations, ${seconds} s each`);
    const mix = measure(calendar, CORPUS_SETTINGS, seconds);
    const heavy = measure(corpus, CORPUS_SETTINGS, seconds);
    return {
      scenario: 'detect',
      what: detect.what,
      size: { calendarEvents: count, corpusEvents: corpus.length, secondsEach: seconds },
      figures: [
        limit('calendar mix, per CPU second', Math.round(mix.perCpuSecond), 'events/s', { min: TARGET }),
        info('calendar mix, wall clock', Math.round(mix.perWallSecond), 'events/s'),
        info('invitation corpus, per CPU second', Math.round(heavy.perCpuSecond), 'events/s'),
        info('invitation corpus, wall clock', Math.round(heavy.perWallSecond), 'events/s'),
      ],
      notes: [
        `calendar mix: ${mix.phones} of ${count} events are phone interviews; corpus: ${heavy.phones} of ${corpus.length}`,
        'analyse() as the engine calls it, in this process; no Redis, no I/O',
      ],
      profile: {},
      durationMs: performance.now() - started,
      files: [],
    };
  },
};
