/**
 * The country of every zone name the runtime knows, for the scripts that write per-zone data from
 * CLDR's per-country data (clock-hours.ts, weekends.ts). The country of a zone is tzdata's zone.tab
 * (public domain; /usr/share/zoneinfo/zone.tab, or TZDIR); an alias ("Asia/Calcutta", "Brazil/East")
 * takes the country of the zone the runtime says it is. A name this runtime does not know is left
 * out: it is never written in an email (format.ts reads it as UTC).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IANAZone } from 'luxon';

/** [zone, country] for every zone name with a country, sorted by name. */
export function zoneCountries(): [string, string][] {
  const tzdir = process.env.TZDIR ?? '/usr/share/zoneinfo';
  const rows = readFileSync(join(tzdir, 'zone.tab'), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t'));

  const canonical = (zone: string): string => new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  const countryOf = new Map<string, string>();
  for (const [country, , zone] of rows) if (country !== undefined && zone !== undefined) countryOf.set(zone, country);
  const byCanonical = new Map<string, string>();
  for (const [zone, country] of countryOf) byCanonical.set(canonical(zone), country);

  const links = readFileSync(join(tzdir, 'tzdata.zi'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('L '))
    .map((line) => line.split(' ')[2] ?? '');
  const names = new Set([...countryOf.keys(), ...Intl.supportedValuesOf('timeZone'), ...links.filter((name) => name !== '')]);
  return [...names]
    .filter((zone) => IANAZone.isValidZone(zone))
    .sort()
    .flatMap((zone): [string, string][] => {
      const country = countryOf.get(zone) ?? byCanonical.get(canonical(zone));
      return country === undefined ? [] : [[zone, country]];
    });
}
