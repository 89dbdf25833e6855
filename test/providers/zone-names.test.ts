import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ianaZoneOf, zoneOfTzid } from '../../src/providers/zone-names.js';

describe('zoneOfTzid', () => {
  it.each([
    ['Pacific Standard Time', 'America/Los_Angeles'], // Outlook, Exchange, Teams
    ['W. Europe Standard Time', 'Europe/Berlin'],
    ['GMT Standard Time', 'Europe/London'],
    ['"Romance Standard Time"', 'Europe/Paris'], // quoted, as Outlook writes it
    ['(UTC-05:00) Eastern Time (US & Canada)', 'America/New_York'], // Exchange 2010
    ['(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna', 'Europe/Berlin'],
    ['(UTC+10:00) Canberra, Melbourne, Sydney', 'Australia/Sydney'], // standard time is winter in the south
    ['(UTC-03:30) Newfoundland', 'America/St_Johns'],
    ['(UTC) Coordinated Universal Time', 'UTC'],
    ['(GMT-05.00) Eastern Time (US & Canada)', 'America/New_York'], // Zimbra
    ['(GMT-08.00) Pacific Time (US & Canada) / Tijuana', 'America/Los_Angeles'],
    ['(GMT) Greenwich Mean Time : Dublin, Edinburgh, Lisbon, London', 'Europe/London'],
    ['Eastern', 'America/New_York'], // Lotus Notes
    ['Pacific', 'America/Los_Angeles'],
    ['/mozilla.org/20070129_1/Europe/Berlin', 'Europe/Berlin'], // old Thunderbird
    ['/freeassociation.sourceforge.net/Tzfile/America/New_York', 'America/New_York'],
    ['tzone://Microsoft/Utc', 'UTC'],
    ['Europe/Paris', 'Europe/Paris'],
  ])('%s → %s', (tzid, zone) => {
    expect(zoneOfTzid(tzid)).toBe(zone);
  });

  it('reads "Central Asia Standard Time" at UTC+06:00, as Windows does, though Almaty left it in 2024', () => {
    // CLDR windowsZones.xml (unicode-org/cldr, common/supplemental/windowsZones.xml, CLDR-17351):
    // territory 001 is Asia/Bishkek since Kazakhstan moved to UTC+05:00 on 2024-03-01.
    const zone = zoneOfTzid('Central Asia Standard Time');
    expect(zone).not.toBeNull();
    const tenAm = DateTime.fromISO('2026-07-15T10:00:00', { zone: zone ?? 'invalid' });
    expect(tenAm.toUTC().toISO()).toBe('2026-07-15T04:00:00.000Z');
    expect(ianaZoneOf('Central Asia Standard Time')).toBe(zone);
  });

  it('names a zone as the IANA database spells it, whatever the case the file wrote', () => {
    expect(zoneOfTzid('eUrOpE/bErLiN')).toBe('Europe/Berlin');
    expect(zoneOfTzid('/mozilla.org/20070129_1/europe/paris')).toBe('Europe/Paris');
    expect(ianaZoneOf('AMERICA/NEW_YORK')).toBe('America/New_York');
    // Many spellings, one name: what luxon keeps per name stays one zone's worth.
    const names = new Set(Array.from({ length: 64 }, (_, i) => zoneOfTzid([...'asia/tokyo'].map((c, j) => ((i >> j) & 1 ? c.toUpperCase() : c)).join(''))));
    expect([...names]).toEqual(['Asia/Tokyo']);
  });

  it.each([
    'Customized Time Zone', // Outlook's own definition: no name to trust
    'UTC+11',
    '(UTC-06:00) Eastern Time (US & Canada)', // the offset shown is not Eastern's
    '(UTC+05:00) Somewhere Unknown',
    'Mars/Olympus',
    '',
    `/${'x'.repeat(300)}/Europe/Berlin`, // longer than any zone's name: not even looked at
  ])('%s → unknown', (tzid) => {
    expect(zoneOfTzid(tzid)).toBeNull();
  });

  it('the Graph adapter reads the same Windows names', () => {
    expect(ianaZoneOf('W. Europe Standard Time')).toBe('Europe/Berlin');
    expect(ianaZoneOf('Eastern')).toBeNull(); // Lotus names belong to iCalendar only
  });
});
