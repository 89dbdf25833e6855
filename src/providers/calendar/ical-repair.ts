/**
 * Lines of an entry or a time zone that real writers get wrong in ways ical.js refuses or misreads,
 * put in the form their writer meant before ical.js reads them (ical-entries.ts). Each form comes
 * from a public report, cited beside it; the README's "Odd entries in a calendar" lists them.
 */

/**
 * A date property of an entry whose values are dates written without `VALUE=DATE` (`DTSTART:20170502`),
 * given that parameter. RFC 5545 makes DATE-TIME their default type, but feeds leave it out:
 * Facebook's birthdays (nextcloud/calendar#376), calendarlabs.com's holidays (kewisch/ical.js#515),
 * overrides of all-day series (`RECURRENCE-ID:20200914`, python-recurring-ical-events#36,
 * sabre-io/vobject#213). Outlook and Google Calendar read them as dates (kewisch/ical.js#186,
 * derekantrican/GAS-ICS-Sync#229); ical.js refuses them ("invalid date-time value"), and the entry
 * was left out. A line with a VALUE of its own is left as written.
 */
const BARE_DATES = /^(DTSTART|DTEND|DUE|RECURRENCE-ID|EXDATE|RDATE)((?:;(?:[^:;"]|"[^"]*")*)*):(\d{8}(?:,\d{8})*)$/i;

/** A property whose value is one or more dates or times, and so holds no colon of its own. */
const DATED = /^(DTSTART|DTEND|DUE|RECURRENCE-ID|EXDATE|RDATE)([;:])/i;

/** An entry's line as its writer meant it, or null for a line that says nothing (an empty EXDATE). */
export function repairEventLine(line: string): string | null {
  if (/^(RRULE|EXRULE)[;:]/i.test(line)) return ruleInCapitals(line);
  if (!DATED.test(line)) return line;
  const listed = withoutEmptyValues(quotedTzid(line));
  return listed === null ? null : withDateType(listed);
}

function withDateType(line: string): string {
  const bare = BARE_DATES.exec(line);
  if (!bare || /;VALUE=/i.test(bare[2] ?? '')) return line;
  return `${bare[1] ?? ''}${bare[2] ?? ''};VALUE=DATE:${bare[3] ?? ''}`;
}

/**
 * A rule written in lower case (`RRULE:FREQ=yearly`, as the Rust crate rrule wrote its rules,
 * fmeringdal/rust-rrule#97): in capitals, as RFC 5545 §2 makes enumerated values case-insensitive.
 * ical.js refused it ("invalid frequency"), and the whole entry was left out.
 */
function ruleInCapitals(line: string): string {
  const colon = valueColon(line);
  return colon < 0 ? line : `${line.slice(0, colon + 1)}${line.slice(colon + 1).toUpperCase()}`;
}

/** Where the value of a line begins: its first colon outside a quoted parameter value. */
export function valueColon(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (char === '"') quoted = !quoted;
    else if (char === ':' && !quoted) return i;
  }
  return -1;
}

/**
 * A TZID written with a colon and without quotes (Google Calendar's `DTSTART;TZID=GMT+05:30:20120904T020000`
 * under its `TZID:GMT+05:30` zone, libical/libical#152): RFC 5545 wants such a value quoted, and a
 * date's value holds no colon, so the value is what follows the last colon, as libical reads it.
 * ical.js ended the TZID at its first colon and refused the rest ("Could not extract integer"): the
 * interview was left out.
 */
function quotedTzid(line: string): string {
  const last = line.lastIndexOf(':');
  const first = valueColon(line);
  if (first < 0 || first === last) return line;
  const params = line.slice(0, last).replace(/;TZID=([^";][^;]*)/gi, (whole, tzid: string) => (tzid.includes(':') ? `;TZID="${tzid}"` : whole));
  return `${params}${line.slice(last)}`;
}

/**
 * A list of dates with an empty item (`EXDATE;TZID=Europe/Berlin:20150514T130000,20150528T130000,`,
 * sabre-io/vobject#219, tutao/tutanota#5973) or none at all (`EXDATE;TZID=Europe/Berlin:`,
 * owncloud/calendar#729; `RDATE:` lines in a university's time zone, kewisch/ical.js#462): the
 * dates it holds, and no line when it holds none. ical.js refused the empty value ("invalid
 * date-time value"), and a recurring entry with such a line was left out, each of its calls lost.
 */
function withoutEmptyValues(line: string): string | null {
  if (!/^(EXDATE|RDATE)[;:]/i.test(line)) return line;
  const colon = valueColon(line);
  if (colon < 0) return line;
  const values = line.slice(colon + 1).split(',').map((value) => value.trim());
  const kept = values.filter((value) => value !== '');
  if (kept.length === 0) return null;
  return kept.length === values.length ? line : `${line.slice(0, colon + 1)}${kept.join(',')}`;
}

/**
 * A VTIMEZONE's lines as ical.js can read them, or null when it defines no offset at all.
 *
 * - No STANDARD and no DAYLIGHT (davaxi/VCalendar writes `TZID` and `X-LIC-LOCATION` alone;
 *   abe-101/myHebrewDates#192): a definition of nothing, which ical.js read as UTC, so a call at
 *   09:00 in Paris stood at 09:00 UTC. Null: its times are read by the zone's name, as if the file
 *   gave no VTIMEZONE.
 * - An observance whose onsets are listed (`DTSTART` and `RDATE`, no `RRULE`), as Python's icalendar
 *   writes every zone it adds (`Calendar.add_missing_timezones()`: `RDATE:19810329T030000,19820328T030000,…`
 *   on one line): ical.js took only the first date of an `RDATE` line and dropped the `DTSTART`
 *   onset (libical/libical#156 is the same fault in libical), so Berlin's summer time ended in 1981
 *   and a July call was read an hour late. Each date gets a line of its own, and the `DTSTART` is
 *   listed too, as RFC 5545 §3.6.5 makes it the first onset.
 */
export function repairZone(lines: readonly string[]): string[] | null {
  if (!lines.some((line) => /^BEGIN:(STANDARD|DAYLIGHT)\s*$/i.test(line))) return null;
  const out: string[] = [];
  let observance: string[] | null = null;
  for (const line of lines) {
    if (/^BEGIN:(STANDARD|DAYLIGHT)\s*$/i.test(line)) observance = [];
    if (observance === null) {
      out.push(line);
      continue;
    }
    observance.push(line);
    if (/^END:(STANDARD|DAYLIGHT)\s*$/i.test(line)) {
      out.push(...listedOnsets(observance));
      observance = null;
    }
  }
  if (observance !== null) out.push(...observance);
  return out;
}

function listedOnsets(observance: readonly string[]): string[] {
  if (!observance.some((line) => /^RDATE[;:]/i.test(line))) return [...observance];
  const out: string[] = [];
  const onsets = new Set<string>();
  for (const line of observance) {
    const colon = /^RDATE[;:]/i.test(line) ? valueColon(line) : -1;
    if (colon < 0) {
      out.push(line);
      continue;
    }
    for (const value of line.slice(colon + 1).split(',')) {
      const onset = value.trim();
      if (onset === '' || onsets.has(onset)) continue;
      onsets.add(onset);
      out.push(`${line.slice(0, colon + 1)}${onset}`);
    }
  }
  const start = observance.find((line) => /^DTSTART[;:]/i.test(line));
  const startValue = start === undefined ? '' : start.slice(valueColon(start) + 1).trim();
  const ruled = observance.some((line) => /^RRULE[;:]/i.test(line));
  if (!ruled && startValue !== '' && !onsets.has(startValue)) out.splice(out.length - 1, 0, `RDATE:${startValue}`);
  return out;
}
