/**
 * A recipient's time is written on the clock their country reads: 24 hours where CLDR's preferred
 * hour format for the country is 24-hour (timeData "_preferred": "H"), 12 hours with AM and PM
 * elsewhere. The country of a zone is tzdata's (zone.tab), not the first part of its name: the
 * Canary Islands are Spain, Manaus and Recife Brazil, Novosibirsk Russia, Accra Ghana.
 */
import { describe, expect, it } from 'vitest';
import { clockWithZone, spokenTime } from '../../src/domain/zones.js';

// Tuesday, March 10, 2026, 15:00 UTC.
const T = Date.UTC(2026, 2, 10, 15, 0);

describe('the clock a recipient’s country reads', () => {
  it.each([
    // Spain and Portugal outside Europe/…: a 24-hour clock as in Madrid and Lisbon.
    ['Atlantic/Canary', '15:00 WET'],
    ['Atlantic/Madeira', '15:00 WET'],
    // Brazil is one country with one clock convention, São Paulo or not.
    ['America/Manaus', '11:00 Manaus time'],
    ['America/Recife', '12:00 Recife time'],
    // Russia east of the Urals, China's second zone.
    ['Asia/Novosibirsk', '22:00 Novosibirsk time'],
    ['Asia/Urumqi', '21:00 Ürümqi time'],
    // The old names the runtime still accepts.
    ['Brazil/East', '12:00 São Paulo time'],
    ['Europe/Kiev', '17:00 EET'],
  ])('%s reads 24 hours: %s', (zone, expected) => {
    expect(clockWithZone(T, zone)).toBe(expected);
  });

  it.each([
    // English-speaking and Arabic-speaking Africa write AM and PM.
    ['Africa/Accra', '3:00 PM Accra time'],
    ['Africa/Cairo', '5:00 PM EET'],
    ['Asia/Calcutta', '8:30 PM India time'],
  ])('%s reads 12 hours: %s', (zone, expected) => {
    expect(clockWithZone(T, zone)).toBe(expected);
  });

  it('each side of the email keeps its own convention', () => {
    expect(spokenTime(T, 'America/New_York', 'Atlantic/Canary')).toBe('11:00 AM Eastern (15:00 WET for you)');
    expect(spokenTime(T, 'Atlantic/Canary', 'America/New_York')).toBe('15:00 WET (11:00 AM Eastern for you)');
  });
});
