/**
 * A Google event as the domain sees it. Pinned to the character: the sync hashes this JSON to notice
 * changes (src/engine/sync.ts), so a field in another place would make every stored event of every
 * user look changed at the next sync.
 */
import { describe, expect, it } from 'vitest';
import { convertPage, toCalendarEvent } from '../../../src/providers/google/calendar-events.js';

describe('toCalendarEvent', () => {
  it('writes the fields, the attendees and the meeting in a fixed order', () => {
    const event = toCalendarEvent(
      {
        id: 'ev1',
        summary: 'Phone screen',
        description: 'Dana will call you<br>at +1 415 555 0100',
        location: 'Phone',
        start: { dateTime: '2026-12-09T13:00:00Z', timeZone: 'Europe/Paris' },
        end: { dateTime: '2026-12-09T13:30:00Z' },
        organizer: { email: ' Dana@Acme.example ', displayName: 'Dana' },
        attendees: [
          { email: 'ada@example.org', displayName: 'Ada', responseStatus: 'accepted', self: true },
          { email: 'room@resource.example', resource: true },
          { email: 'dana@acme.example', responseStatus: 'needsAction' },
        ],
        hangoutLink: 'https://meet.google.com/abc',
        conferenceData: { entryPoints: [{ entryPointType: 'phone', uri: 'tel:+1-415-555-0199' }, { entryPointType: 'video', uri: 'https://meet.google.com/abc' }], conferenceSolution: { name: 'Google Meet' } },
        extendedProperties: { private: { ringback: 'interview' } },
      },
      'UTC',
    );
    expect(JSON.stringify(event)).toBe(
      '{"id":"ev1","title":"Phone screen","description":"Dana will call you\\nat +1 415 555 0100","location":"Phone","start":1796821200000,"end":1796823000000,' +
        '"timeZone":"Europe/Paris","allDay":false,"status":"confirmed","organizer":{"name":"Dana","email":"dana@acme.example"},' +
        '"attendees":[{"name":"Ada","email":"ada@example.org","status":"accepted","self":true},{"name":"","email":"dana@acme.example","status":"needs-action"}],' +
        '"categories":[],"tags":{"ringback":"interview"},"conferencePhones":["+1-415-555-0199"],"conference":["https://meet.google.com/abc","Google Meet"]}',
    );
  });

  it('leaves out the meeting when there is none, and reads an all-day date in the calendar zone', () => {
    const page = convertPage({ items: [{ id: 'ev2', start: { date: '2026-12-09' }, end: { date: '2026-12-10' } }, { id: 'gone', status: 'cancelled' }, { summary: 'no id' }], timeZone: 'America/New_York' });
    expect(JSON.stringify(page)).toBe(
      '{"upserts":[{"id":"ev2","title":"","description":"","location":"","start":1796792400000,"end":1796878800000,"timeZone":"America/New_York","allDay":true,' +
        '"status":"confirmed","organizer":null,"attendees":[],"categories":[],"tags":{},"conferencePhones":[]}],"deletions":["gone"],' +
        '"skipped":[{"ref":"no id","reason":"event without an id"}]}',
    );
  });
});
