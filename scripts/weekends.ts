/**
 * `npx tsx scripts/weekends.ts`: writes src/domain/data/zone-weekends.json, the IANA zones (and
 * their other names) whose country does not rest on Saturday and Sunday, with the ISO weekdays it
 * rests on (1 = Monday … 7 = Sunday), so that the times ringback proposes fall on working days:
 * the candidate's, when the config does not name them, and the recruiter's.
 *
 * The weekend of a country is CLDR's week data (supplemental weekData, weekendStart/weekendEnd:
 * https://github.com/unicode-org/cldr/blob/main/common/supplemental/supplementalData.xml,
 * https://unicode.org/reports/tr35/tr35-dates.html#Week_Data) as the runtime's ICU gives it through
 * `Intl.Locale('und-XX')` (`weekInfo`, `getWeekInfo()` on newer runtimes:
 * https://github.com/tc39/proposal-intl-locale-info), except where CLDR is behind the country
 * ({@link BEHIND}). The country of a zone is tzdata's zone.tab (zone-countries.ts). Run it
 * again when the runtime's tzdata or CLDR changes, and commit the result.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zoneCountries } from './zone-countries.js';

/**
 * Countries whose weekend CLDR states otherwise than the country keeps it (CLDR 48 gives each
 * Saturday and Sunday, its default):
 * - Bangladesh rests on Friday and Saturday ("The Fridays and Saturdays will remain the weekend as
 *   usual", the cabinet secretary, https://en.prothomalo.com/bangladesh/govt-reschedules-office-time-for-ramadan);
 * - the Maldives on Friday and Saturday (http://geographylists.com/list19s.html);
 * - Nepal on Saturday alone: Sunday, a day off from May 15, 2022, was a working day again from June 15
 *   ("there will be public holiday only on Saturday",
 *   https://www.fiscalnepal.com/2022/06/06/9235/govt-steps-back-from-two-days-holiday-in-a-week-decision/).
 */
const BEHIND: Readonly<Record<string, readonly number[]>> = {
  BD: [5, 6],
  MV: [5, 6],
  NP: [6],
};

interface WeekInfo {
  readonly weekend: readonly number[];
}
interface WithWeekInfo {
  readonly weekInfo?: WeekInfo;
  getWeekInfo?(): WeekInfo;
}
function weekendOf(country: string): readonly number[] {
  const behind = BEHIND[country];
  if (behind !== undefined) return behind;
  const locale = new Intl.Locale(`und-${country}`) as unknown as WithWeekInfo;
  const info = locale.getWeekInfo?.() ?? locale.weekInfo;
  if (info === undefined) throw new Error('this runtime has no CLDR week data (Intl.Locale weekInfo); run the script on Node 20 or later with full ICU');
  return [...info.weekend].sort((a, b) => a - b);
}

const weekends: Record<string, readonly number[]> = {};
for (const [zone, country] of zoneCountries()) {
  const weekend = weekendOf(country);
  if (weekend.join() !== '6,7') weekends[zone] = weekend;
}

const out = join(import.meta.dirname, '..', 'src', 'domain', 'data', 'zone-weekends.json');
writeFileSync(out, `${JSON.stringify(weekends, null, 1).replace(/\[\n\s+/g, '[').replace(/,\n\s+(\d)/g, ', $1').replace(/\n\s+\]/g, ']')}\n`);
process.stdout.write(`wrote ${Object.keys(weekends).length} zones to ${out}\n`);
