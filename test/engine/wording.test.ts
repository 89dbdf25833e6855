/** The time phrases of the audit: `clock` in every zone the runtime knows, against Intl's own parts. */
import { describe, expect, it } from 'vitest';
import { clock, describeTime } from '../../src/engine/wording.js';

/** "Thu 26 Nov 17:50 UTC", built from formatToParts: what clock() has always written. */
function byParts(t: number, zone: string): string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
  const parts = Object.fromEntries(format.formatToParts(t).map((p) => [p.type, p.value]));
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}

describe('clock', () => {
  it('writes weekday, day, month, time and zone as formatToParts gives them, in every zone, across DST changes', () => {
    const from = Date.UTC(2026, 0, 1, 0, 7);
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      for (let i = 0; i < 40; i++) {
        const t = from + i * 9 * 86_400_000 + i * 37 * 60_000;
        expect(clock(t, zone)).toBe(byParts(t, zone));
      }
    }
  });

  it('reads as before in the candidate zone', () => {
    const t = Date.UTC(2026, 10, 26, 22, 50);
    expect(clock(t, 'America/New_York')).toBe('Thu 26 Nov 17:50 EST');
    expect(describeTime(t, 'UTC', t - 2 * 3_600_000)).toBe('at Thu 26 Nov 22:50 UTC (in 2 h)');
  });
});
