/**
 * Times of an iCalendar entry → epoch ms, and the IANA zone an entry is written in. ical.js
 * converts the times whose TZID the file defines; a TZID it does not define is converted here with
 * luxon when it names an IANA zone, and otherwise leaves the entry out ("unknown time zone").
 */
import ICAL from 'ical.js';
import { DateTime, IANAZone } from 'luxon';
import type { Millis } from '../../domain/types.js';
import { clean, SkipEvent } from './ical-text.js';

type Component = ICAL.Component;
type Time = ICAL.Time;

/** What the conversion needs of the parse: the zone of floating times and all-day dates. */
export interface ZoneContext {
  readonly floatingZone: string;
}

export function tzidOf(component: Component, property: string): string | null {
  const tzid = component.getFirstProperty(property)?.getParameter('tzid');
  return typeof tzid === 'string' && tzid !== '' ? tzid : null;
}

/**
 * Epoch ms of a time. Times with `Z` or a TZID the file defines are converted by ical.js; a TZID it
 * does not define leaves the time floating in ical.js, and is converted here with luxon when it
 * names an IANA zone. Plain floating times and dates use `floatingZone`.
 */
export function toMillis(time: Time, tzid: string | null, context: ZoneContext): Millis {
  const zone = time.zone;
  if (!time.isDate && zone && zone.tzid !== 'floating') return time.toUnixTime() * 1000;
  let ianaZone = context.floatingZone;
  if (tzid && !time.isDate) {
    const known = ianaName(tzid);
    if (!known) throw new SkipEvent(`unknown time zone ${clean(tzid).slice(0, 80)}`);
    ianaZone = known;
  }
  const local = DateTime.fromObject(
    { year: time.year, month: time.month, day: time.day, hour: time.hour, minute: time.minute, second: time.second },
    { zone: ianaZone },
  );
  if (!local.isValid) throw new SkipEvent(`invalid time ${time.toString()}`);
  return local.toMillis();
}

/** The IANA name a TZID stands for: itself, or the tail of a prefixed one (`/mozilla.org/…/Europe/Paris`). */
function ianaName(tzid: string): string | null {
  const parts = tzid.trim().split('/').filter((part) => part !== '');
  for (let take = Math.min(parts.length, 3); take >= 1; take -= 1) {
    const candidate = parts.slice(-take).join('/');
    if (IANAZone.isValidZone(candidate)) return candidate;
  }
  return null;
}

export function zoneNameOf(component: Component, time: Time): string | null {
  if (time.isDate) return null;
  if (time.zone === ICAL.Timezone.utcTimezone) return 'UTC';
  const tzid = tzidOf(component, 'dtstart');
  return tzid ? ianaName(tzid) : null;
}
