/**
 * `npx tsx scripts/clock-hours.ts`: writes src/domain/data/twenty-four-hour-zones.json, the IANA
 * zones (and their other names) whose country reads the clock on 24 hours, so that an email writes
 * a recipient's time as their country writes it ("16:00 CEST", "9:00 AM Eastern").
 *
 * The country of a zone is tzdata's zone.tab (zone-countries.ts). A country reads 24 hours when
 * CLDR's preferred hour format for it
 * (supplemental timeData, "_preferred": "H") is 24-hour, as the runtime's ICU gives it through
 * `Intl.Locale('und-XX')`; https://unicode.org/reports/tr35/tr35-dates.html#Time_Data. Run it
 * again when the runtime's tzdata or CLDR changes, and commit the result.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zoneCountries } from './zone-countries.js';

interface HourCycles {
  readonly hourCycles?: readonly string[];
  getHourCycles?(): readonly string[];
}
function reads24(country: string): boolean {
  const locale = new Intl.Locale(`und-${country}`) as unknown as HourCycles;
  const first = (locale.getHourCycles?.() ?? locale.hourCycles ?? [])[0];
  return first === 'h23' || first === 'h24';
}

const zones = zoneCountries()
  .filter(([, country]) => reads24(country))
  .map(([zone]) => zone);

const out = join(import.meta.dirname, '..', 'src', 'domain', 'data', 'twenty-four-hour-zones.json');
writeFileSync(out, `${JSON.stringify(zones, null, 1)}\n`);
process.stdout.write(`wrote ${zones.length} zones to ${out}\n`);
