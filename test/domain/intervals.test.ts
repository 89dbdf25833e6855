import { describe, expect, it } from 'vitest';
import { mergeIntervals } from '../../src/domain/intervals.js';

describe('mergeIntervals', () => {
  const cases = [
    { name: 'nothing', given: [], merged: [] },
    { name: 'apart, out of order', given: [{ start: 5, end: 6 }, { start: 1, end: 2 }], merged: [{ start: 1, end: 2 }, { start: 5, end: 6 }] },
    { name: 'overlapping', given: [{ start: 1, end: 4 }, { start: 3, end: 6 }], merged: [{ start: 1, end: 6 }] },
    { name: 'touching', given: [{ start: 1, end: 3 }, { start: 3, end: 5 }], merged: [{ start: 1, end: 5 }] },
    { name: 'one inside another', given: [{ start: 1, end: 9 }, { start: 2, end: 3 }, { start: 10, end: 11 }], merged: [{ start: 1, end: 9 }, { start: 10, end: 11 }] },
  ];
  it.each(cases)('$name', ({ given, merged }) => {
    expect(mergeIntervals(given)).toEqual(merged);
  });

  it('leaves its input as it was', () => {
    const given = [{ start: 5, end: 6 }, { start: 1, end: 2 }];
    mergeIntervals(given);
    expect(given).toEqual([{ start: 5, end: 6 }, { start: 1, end: 2 }]);
  });
});
