/**
 * Whether an iCalendar text can be a whole calendar, before it is read as a full listing. A
 * listing diffs against what ringback knows: every event it lacks counts as deleted, its interview
 * cancelled and its drafts removed. A text that was cut off lacks events only because it was cut
 * off, so it must never be read as one.
 *
 * Seen for real:
 * - calendars that stop short of END:VCALENDAR or end inside an entry, which every reader then
 *   trips on (collective/icalendar#472: an exported calendar with no END:VCALENDAR at all;
 *   derekantrican/GAS-ICS-Sync#390, "component began but did not end"); a file caught while an
 *   editor or a sync tool writes it looks the same for a moment;
 * - Outlook's published calendars answering, for weeks, without END:VCALENDAR and with entries
 *   left open (derekantrican/GAS-ICS-Sync#386, #388): refused here too, with the reason, rather
 *   than read as a calendar that lost those entries;
 * - an empty answer for a calendar that has events (ridafkih/keeper.sh#136 shows what a calendar
 *   with no events really is: BEGIN:VCALENDAR … END:VCALENDAR, which is read as empty).
 */

/** Why the text cannot be a whole calendar, in words for the account's status; null when it can. */
export function notWhole(text: string): string | null {
  if (text.trim() === '') return 'it is empty (a calendar with no events still has BEGIN:VCALENDAR and END:VCALENDAR)';
  // Not iCalendar at all (an HTML sign-in page): refused for good by the caller, not read again.
  if (!/BEGIN:(VCALENDAR|VEVENT)/i.test(text)) return null;
  // Only the markers matter: BEGIN/END lines of VEVENT and VCALENDAR (any case, as ical.js reads them).
  const markers = [...text.matchAll(/^(BEGIN|END):(VEVENT|VCALENDAR)[ \t\r]*$/gim)].map((m) => `${(m[1] ?? '').toUpperCase()}:${(m[2] ?? '').toUpperCase()}`);
  const lastEvent = markers.lastIndexOf('BEGIN:VEVENT');
  const after = markers.slice(lastEvent + 1);
  if (lastEvent >= 0 && after[0] !== 'END:VEVENT') return 'its last entry is cut off (BEGIN:VEVENT without END:VEVENT)';
  if (!after.includes('END:VCALENDAR')) return 'it stops before END:VCALENDAR';
  return null;
}
