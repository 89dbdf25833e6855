/**
 * Graph events whose times cannot be read are left out with a reason that says which part is
 * wrong. The zone name comes from a real list: "Mid-Atlantic Standard Time" is a Windows zone
 * ("(UTC-02:00) Mid-Atlantic - Old") with summer time that no IANA zone has, which CLDR's
 * windowsZones leaves out and converters map each their own way (Etc/GMT-2, Atlantic/South_Georgia).
 */
import { describe, expect, it } from 'vitest';
import { convert, type GraphItem } from '../../../src/providers/microsoft/calendar-events.js';

const event = (id: string, start: Record<string, unknown>, end: Record<string, unknown>, extra: GraphItem = {}): GraphItem => ({
  id,
  subject: `Phone screen ${id}`,
  start,
  end,
  ...extra,
});

describe('Graph events whose times cannot be read', () => {
  it('names the zone it does not know, and keeps the other events of the page', () => {
    const page = convert(
      [
        event('old-zone', { dateTime: '2024-03-05T10:00:00.0000000', timeZone: 'Mid-Atlantic Standard Time' }, { dateTime: '2024-03-05T10:30:00.0000000', timeZone: 'Mid-Atlantic Standard Time' }),
        event('backwards', { dateTime: '2024-03-05T10:00:00.0000000', timeZone: 'UTC' }, { dateTime: '2024-03-05T09:00:00.0000000', timeZone: 'UTC' }),
        event('plain', { dateTime: '2024-03-05T15:00:00.0000000', timeZone: 'UTC' }, { dateTime: '2024-03-05T15:30:00.0000000', timeZone: 'UTC' }),
      ],
      'ada@example.org',
      'UTC',
    );
    expect(page.upserts.map((e) => [e.id, e.start])).toEqual([['plain', Date.UTC(2024, 2, 5, 15)]]);
    expect(page.skipped).toEqual([
      {
        ref: 'Phone screen old-zone',
        reason: 'unknown time zone "Mid-Atlantic Standard Time" (start.timeZone): not a Windows or IANA zone name ringback knows, so its time cannot be known',
      },
      { ref: 'Phone screen backwards', reason: 'no readable start or end, or it ends before it starts' },
    ]);
  });
});
