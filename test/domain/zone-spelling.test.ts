/**
 * A zone typed in another case than tzdata writes it ("europe/berlin" for `ringback company zone`,
 * the dashboard's field, `candidate.timezone`): the runtime accepts it, and the emails, the clock
 * convention and the weekend of the proposed times read it as the zone it names.
 */
import { describe, expect, it } from 'vitest';
import { checkCounterpartZone } from '../../src/engine/company.js';
import { knownZone, safeZone } from '../../src/domain/format.js';
import { findSlots } from '../../src/domain/slots.js';
import { weekdayIn } from '../../src/domain/time.js';
import { interviewRecipientZone, spokenTime } from '../../src/domain/zones.js';

const JULY = Date.UTC(2026, 6, 14, 14, 0); // 10:00 AM in New York

describe('a zone name in another case', () => {
  it.each([
    ['europe/berlin', 'Europe/Berlin'],
    ['EUROPE/LONDON', 'Europe/London'],
    ['america/phoenix', 'America/Phoenix'],
    ['Europe/Berlin', 'Europe/Berlin'],
    // Names the runtime lists under an older one are kept as written when written as tzdata does.
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['Europe/Kyiv', 'Europe/Kyiv'],
  ])('%s is read as %s', (typed, spelled) => {
    expect(knownZone(typed)).toBe(spelled);
    expect(safeZone(typed)).toBe(spelled);
  });

  it('a lower-case name the runtime lists under an older one takes the runtime’s spelling', () => {
    expect(knownZone('asia/kolkata')).toBe('Asia/Calcutta');
    expect(spokenTime(JULY, 'America/New_York', 'asia/kolkata')).toBe('10:00 AM Eastern (7:30 PM India time for you)');
  });

  it('writes the recipient’s time as the zone it names', () => {
    expect(spokenTime(JULY, 'America/New_York', 'europe/berlin')).toBe('10:00 AM Eastern (16:00 CEST for you)');
    expect(spokenTime(JULY, 'America/New_York', 'america/phoenix')).toBe('10:00 AM Eastern (7:00 AM Arizona time for you)');
    expect(spokenTime(JULY, 'europe/berlin', 'America/New_York')).toBe('16:00 CEST (10:00 AM Eastern for you)');
  });

  it('proposes no Friday to a recruiter in Riyadh whose zone was typed in lower case', () => {
    const zone = interviewRecipientZone({ timeZone: null, role: 'accepted' }, 'asia/riyadh', 'Europe/London');
    expect(zone).toBe('Asia/Riyadh');
    const from = Date.UTC(2026, 2, 11, 12, 0); // Wednesday noon in London
    const slots = findSlots({ busy: [], from, to: from + 8 * 86_400_000, durationMinutes: 30, bufferMinutes: 30, workingHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }, timeZone: 'Europe/London', recipientZone: zone, spreadTimesOfDay: true, count: 3 });
    expect(slots.length).toBeGreaterThan(0);
    for (const slot of slots) expect(weekdayIn('Asia/Riyadh', slot.start)).not.toBe(5);
  });

  it('`ringback company zone` keeps the zone as tzdata writes it', () => {
    expect(checkCounterpartZone('acme.com', 'europe/berlin')).toEqual({ subject: 'acme.com', zone: 'Europe/Berlin' });
    expect(checkCounterpartZone('acme.com', 'Asia/Kolkata')).toEqual({ subject: 'acme.com', zone: 'Asia/Kolkata' });
  });
});
