/**
 * What a held call must say of its wait: the end as a clock time in the user's zone, rounded up to
 * the minute, with the date in front when that is another day there. Worked out here with Intl,
 * not with the code under test, from the earliest and latest instants the wait can end at.
 */
import { expect } from 'vitest';

const clock = (zone: string, at: number) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
const day = (zone: string, at: number) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

/** Expects `message` to name the end of a wait that ends between `earliest` and `latest`, as seen at `now`. */
export function expectNamesEnd(message: string, zone: string, earliest: number, latest: number, now = Date.now()): void {
  const said = new Set<string>();
  for (let minute = Math.ceil(earliest / 60_000); minute <= Math.ceil(latest / 60_000); minute++) {
    const end = minute * 60_000;
    said.add(`until ${day(zone, end) === day(zone, now) ? '' : `${day(zone, end)} `}${clock(zone, end)} (your time), the end of the wait it asked for`);
  }
  expect([...said].some((words) => message.includes(words)), `${message}\nnames none of: ${[...said].join(' | ')}`).toBe(true);
}
