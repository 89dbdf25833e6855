import { describe, expect, it } from 'vitest';
import { describeFlood, findFloods, type Occurrence } from '../../src/domain/flood.js';

const MIN = 60_000;
const T = Date.UTC(2031, 2, 4, 15, 0, 0);
const KEY = 'series-uid@example.org';

function series(n: number, every: number, key = KEY): Occurrence[] {
  return Array.from({ length: n }, (_, i) => ({ eventId: `e${i}`, key, start: T + i * every }));
}

describe('findFloods', () => {
  it.each([
    { name: 'a weekly series', occurrences: series(5, 7 * 24 * 60 * MIN), flood: false },
    { name: 'a daily series', occurrences: series(30, 24 * 60 * MIN), flood: false },
    { name: 'three calls in one day, hours apart', occurrences: series(3, 4 * 60 * MIN), flood: false },
    { name: 'one lone event', occurrences: series(1, MIN), flood: false },
    { name: 'every second', occurrences: series(1000, 1000), flood: true },
    { name: 'every minute', occurrences: series(1000, MIN), flood: true },
    { name: '96 a day', occurrences: series(200, 15 * MIN), flood: true },
    { name: 'four in a day, 2 hours apart', occurrences: series(4, 120 * MIN), flood: true },
    { name: 'two 30 minutes apart', occurrences: series(2, 30 * MIN), flood: true },
    { name: 'many a minute apart but each its own entry', occurrences: series(10, MIN).map((o, i) => ({ ...o, key: `uid-${i}` })), flood: false },
    { name: 'a NaN start is left out', occurrences: [...series(1, MIN), { eventId: 'x', key: KEY, start: NaN }], flood: false },
  ])('$name', ({ occurrences, flood }) => {
    const found = findFloods(occurrences);
    expect(found.length > 0).toBe(flood);
    if (flood) expect(found[0]?.eventIds).toHaveLength(occurrences.length);
  });

  it('describes the figure that made it a flood', () => {
    expect(describeFlood(findFloods(series(1000, MIN))[0]!)).toBe('1000 occurrences, as close as 60 seconds apart');
    expect(describeFlood(findFloods(series(200, 15 * MIN))[0]!)).toBe('200 occurrences, as close as 15 minutes apart');
    expect(describeFlood(findFloods(series(4, 120 * MIN))[0]!)).toBe('4 occurrences, up to 4 in one day');
  });
});
