/**
 * The words of a held call: the end of the wait in the user's zone, rounded up to the minute, with
 * its date only when it ends on another day than the poll's.
 */
import { describe, expect, it } from 'vitest';
import { heldMessage } from '../../src/providers/rate-gate.js';

const at = (iso: string) => Date.parse(iso);

describe('heldMessage', () => {
  it.each([
    // 14:04:01 in New York (EST, UTC-5) is said as 14:05: never an end before the real one.
    { until: '2026-12-07T19:04:01Z', now: '2026-12-07T18:00:00Z', zone: 'America/New_York', said: 'until 14:05 (your time)' },
    { until: '2026-12-07T19:05:00Z', now: '2026-12-07T19:00:00Z', zone: 'America/New_York', said: 'until 14:05 (your time)' },
    // Past midnight in Tokyo (UTC+9) while still the 7th in UTC: the date is the user's.
    { until: '2026-12-07T15:30:00Z', now: '2026-12-07T14:50:00Z', zone: 'Asia/Tokyo', said: 'until 2026-12-08 00:30 (your time)' },
  ])('$zone: $said', ({ until, now, zone, said }) => {
    expect(heldMessage('cal-work', at(until), at(now), zone)).toContain(said);
  });
});
