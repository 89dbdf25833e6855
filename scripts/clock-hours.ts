/**
 * `npx tsx scripts/clock-hours.ts`: writes src/domain/data/twenty-four-hour-zones.json, the IANA
 * zones (and their other names) whose country reads the clock on 24 hours, so that an email writes
 * a recipient's time as their country writes it ("16:00 CEST", "9:00 AM Eastern").
 *
 * The country of a zone is tzdata's zone.tab (public domain; /usr/share/zoneinfo/zone.tab, or
 * TZDIR); an alias ("Asia/Calcutta", "Brazil/East") takes the country of the zone the runtime
 * says it is. A country reads 24 hours when CLDR's preferred hour format for it
 * (supplemental timeData, "_preferred": "H") is 24-hour, as the runtime's ICU gives it through
 * `Intl.Locale('und-XX')`; https://unicode.org/reports/tr35/tr35-dates.html#Time_Data. Run it
 * again when the runtime's tzdata or CLDR changes, and commit the result.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IANAZone } from 'luxon';

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

interface HourCycles {
  readonly hourCycles?: readonly string[];
  getHourCycles?(): readonly string[];
}
function reads24(country: string): boolean {
  const locale = new Intl.Locale(`und-${country}`) as unknown as HourCycles;
  const first = (locale.getHourCycles?.() ?? locale.hourCycles ?? [])[0];
  return first === 'h23' || first === 'h24';
}

const zones = [...names]
  // A name this runtime does not know is never written in an email (format.ts reads it as UTC).
  .filter((zone) => IANAZone.isValidZone(zone))
  .filter((zone) => {
    const country = countryOf.get(zone) ?? byCanonical.get(canonical(zone));
    return country !== undefined && reads24(country);
  })
  .sort();

const out = join(import.meta.dirname, '..', 'src', 'domain', 'data', 'twenty-four-hour-zones.json');
writeFileSync(out, `${JSON.stringify(zones, null, 1)}\n`);
process.stdout.write(`wrote ${zones.length} zones to ${out}\n`);
