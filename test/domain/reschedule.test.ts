import { describe, expect, it } from 'vitest';
import { flexibilityOwed } from '../../src/domain/reschedule.js';
import type { Interview } from '../../src/domain/types.js';

const DAY = 86_400_000;
const T = Date.UTC(2026, 2, 10, 19, 0);

function iv(over: Partial<Interview>): Interview {
  return {
    id: 'now', sourceId: 's', eventId: 'e', revision: 1, revisionKey: 'k', status: 'scheduled', rescheduled: 0, outcome: null,
    outcomeSource: null, firstSeen: T - 3 * DAY, title: 'Phone screen', start: T, end: T + 1_800_000, timeZone: null,
    counterpart: { name: 'Dana', email: 'dana@acme.example' }, company: 'acme.example', number: null, direction: 'unknown',
    role: 'accepted', notes: '', taggedOutcome: null, ...over,
  };
}

describe('flexibilityOwed', () => {
  it.each([
    { name: 'the same event moved', current: iv({ rescheduled: 1 }), earlier: [], owed: true, after: null },
    { name: 'a first call', current: iv({}), earlier: [], owed: false, after: null },
    { name: 'after a same-company no-show', current: iv({}), earlier: [iv({ id: 'old', start: T - 2 * DAY, outcome: 'interviewer-no-show', status: 'done' })], owed: true, after: 'old' },
    { name: 'after a cancelled invitation (moved as a new one)', current: iv({}), earlier: [iv({ id: 'old', start: T - DAY, status: 'cancelled' })], owed: true, after: 'old' },
    { name: 'after a held earlier round', current: iv({}), earlier: [iv({ id: 'old', start: T - DAY, outcome: 'held', status: 'done' })], owed: false, after: null },
    { name: 'a held round after the no-show counts last', current: iv({}), earlier: [iv({ id: 'a', start: T - 5 * DAY, outcome: 'interviewer-no-show' }), iv({ id: 'b', start: T - DAY, outcome: 'held' })], owed: false, after: null },
    { name: 'another company’s no-show is not theirs', current: iv({}), earlier: [iv({ id: 'old', start: T - DAY, outcome: 'interviewer-no-show', company: 'other.example' })], owed: false, after: null },
    { name: 'without a company, the same address links them', current: iv({ company: null }), earlier: [iv({ id: 'old', start: T - DAY, status: 'cancelled', company: null })], owed: true, after: 'old' },
    {
      // No-reply invitations: two counterparts without an address are not known to be one person.
      name: 'without a company or an address, nothing links them',
      current: iv({ company: null, counterpart: { name: '', email: null } }),
      earlier: [iv({ id: 'old', start: T - DAY, status: 'cancelled', company: null, counterpart: { name: '', email: null } })],
      owed: false,
      after: null,
    },
  ])('$name', ({ current, earlier, owed, after }) => {
    expect(flexibilityOwed(current, earlier)).toEqual({ owed, after });
  });
});
