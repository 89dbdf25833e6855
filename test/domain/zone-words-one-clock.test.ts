/**
 * The words after a clock name one clock: two places that read different times at the same instant
 * never share them. "10:00 AM Hawaii" from Adak in summer (Hawaii-Aleutian Daylight Time, UTC−9:
 * America/Adak keeps US daylight time, https://hex.pm/packages/naiveical/0.1.2/files/priv/zoneinfo/America/Atka.ics)
 * is 9:00 AM in Honolulu, which keeps UTC−10 all year
 * (https://opensource.apple.com/source/CPANInternal/CPANInternal-108/DateTime-TimeZone/lib/DateTime/TimeZone/Pacific/Honolulu.pm.auto.html):
 * a recruiter there would call an hour late.
 */
import { describe, expect, it } from 'vitest';
import { offsetAt } from '../../src/domain/format.js';
import { zoneWords } from '../../src/domain/zones.js';

describe('zone words name one clock', () => {
  it('Adak in summer is not "Hawaii", which Honolulu is an hour behind', () => {
    const july = Date.UTC(2026, 6, 14, 20);
    expect(offsetAt(july, 'America/Adak')).not.toBe(offsetAt(july, 'Pacific/Honolulu'));
    expect(zoneWords(july, 'America/Adak')).not.toBe(zoneWords(july, 'Pacific/Honolulu'));
  });

  it('through a year, read every week and on the days US and European clocks change, no words name two offsets at once', () => {
    const zones = Intl.supportedValuesOf('timeZone');
    const instants = [Date.UTC(2026, 2, 8, 12), Date.UTC(2026, 2, 29, 12), Date.UTC(2026, 9, 25, 12), Date.UTC(2026, 10, 1, 12)];
    for (let t = Date.UTC(2026, 0, 1, 12); t < Date.UTC(2027, 0, 1); t += 7 * 86_400_000) instants.push(t);
    const clashes: string[] = [];
    for (const t of instants) {
      const seen = new Map<string, { zone: string; offset: number | null }>();
      for (const zone of zones) {
        const words = zoneWords(t, zone);
        const offset = offsetAt(t, zone);
        const first = seen.get(words);
        if (first === undefined) seen.set(words, { zone, offset });
        else if (first.offset !== offset) clashes.push(`${new Date(t).toISOString().slice(0, 10)} "${words}": ${first.zone} ${first.offset} and ${zone} ${offset}`);
      }
    }
    expect(clashes).toEqual([]);
  });
});
