/**
 * An interview record as the store keeps it, for the store's and the emails' tests: a phone screen with Acme at
 * 15:00 UTC on 10 March 2026 (`AT`), Sam Lee calling. Each test overrides what it is about.
 */
import type { Interview } from '../../src/domain/types.js';

export const AT = Date.UTC(2026, 2, 10, 15);

export function storedInterview(id: string, over: Partial<Interview> = {}): Interview {
  return {
    id,
    sourceId: 'ics-main',
    eventId: `evt-${id}`,
    revision: 1,
    revisionKey: 'rk-1',
    status: 'scheduled',
    rescheduled: 0,
    outcome: null,
    outcomeSource: null,
    firstSeen: AT - 86_400_000,
    title: 'Phone screen with Acme',
    start: AT,
    end: AT + 1_800_000,
    timeZone: 'America/New_York',
    counterpart: { name: 'Sam Lee', email: 'sam@acme.com' },
    company: 'acme.com',
    number: '+14155550100',
    direction: 'interviewer-calls',
    role: 'accepted',
    notes: '',
    taggedOutcome: null,
    ...over,
  };
}
