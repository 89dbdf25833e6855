/**
 * The days of the week people work where a zone is: the days a call may be proposed on, for the
 * candidate when the config names none (`workingHours.days`), and for a recruiter whose zone is
 * known. Israel and most Arab states rest on Friday and Saturday, Afghanistan on Thursday and
 * Friday, and a candidate in Tel Aviv free on Sunday was never offered it; everywhere else not in
 * data/zone-weekends.json rests on Saturday and Sunday (CLDR's week data by the zone's country,
 * written by scripts/weekends.ts, which says where and why it departs from CLDR).
 */
import zoneWeekends from './data/zone-weekends.json' with { type: 'json' };

const WEEKENDS: Readonly<Record<string, readonly number[]>> = zoneWeekends;

/** Saturday and Sunday: the weekend of every zone the data does not name. */
const SATURDAY_SUNDAY: readonly number[] = [6, 7];

/**
 * The ISO weekdays (1 = Monday … 7 = Sunday) the zone's country rests on, as CLDR states them: one
 * day in India and Uganda (Sunday), Iran (Friday) and Nepal (Saturday).
 */
function weekendOf(zone: string): readonly number[] {
  return WEEKENDS[zone] ?? SATURDAY_SUNDAY;
}

/**
 * The days no call is proposed on in the zone: its weekend, and where that is a single day, the day
 * before it too. A sixth working day is never assumed: a call offered on a day the office is closed
 * costs more than one day fewer offered. Many offices in India close on Saturday; Iran's Thursday is
 * a half day ("Thursdays have been semi-holiday in Iran", https://en.irna.ir/amp/85477858) and its
 * parliament voted for it to be a day off (https://www.tehrantimes.com/news/510549/Parliament-votes-for-Thursdays-to-become-Iran-s-2nd-weekend-day).
 * Nepal, resting on Saturday, is taken to rest on Friday too: Sunday to Thursday.
 */
export function restDaysOf(zone: string): readonly number[] {
  const weekend = weekendOf(zone);
  const only = weekend.length === 1 ? weekend[0] : undefined;
  return only === undefined ? weekend : [only === 1 ? 7 : only - 1, only].sort((a, b) => a - b);
}

/** The ISO weekdays outside {@link restDaysOf}, Monday first: Sunday to Thursday in Tel Aviv. */
export function workingDaysOf(zone: string): number[] {
  const rest = new Set(restDaysOf(zone));
  return [1, 2, 3, 4, 5, 6, 7].filter((day) => !rest.has(day));
}
