/**
 * One iCalendar entry (or one occurrence of a series) → a {@link CalendarEvent}: title,
 * description, location, status, organizer, attendees with their answers, categories and the
 * conference phone numbers. Start and end come in already converted (ical-recurrence.ts).
 */
import ICAL from 'ical.js';
import type { Attendee, CalendarEvent, Millis, ParticipationStatus, Person } from '../../domain/types.js';
import { clean, oneLine, textOf, truncate } from './ical-text.js';
import { tzidOf, zoneNameOf, type ZoneContext } from './ical-zones.js';

type Component = ICAL.Component;
type Time = ICAL.Time;

const MAX_DESCRIPTION = 64 * 1024;

export function normalise(component: Component, id: string, start: Millis, end: Millis, zones: ZoneContext): CalendarEvent {
  const startTime = component.getFirstPropertyValue('dtstart') as Time;
  const organizer = component.getFirstProperty('organizer');
  return {
    id,
    title: oneLine(textOf(component, 'summary')),
    description: truncate(textOf(component, 'description'), MAX_DESCRIPTION),
    location: oneLine(textOf(component, 'location')),
    start,
    end,
    timeZone: zoneNameOf(component, startTime, start),
    ...floatingOf(component, startTime, zones),
    allDay: startTime.isDate || markedAllDay(component),
    status: statusOf(component),
    organizer: organizer ? personOf(organizer) : null,
    attendees: component.getAllProperties('attendee').map(attendeeOf),
    categories: component
      .getAllProperties('categories')
      .flatMap((property) => property.getValues().map((value) => oneLine(String(value))))
      .filter((value) => value !== ''),
    tags: {},
    conferencePhones: [...component.getAllProperties('conference'), ...component.getAllProperties('x-google-conference')]
      .map((property) => String(property.getFirstValue() ?? '').trim())
      .filter((value) => /^tel:/i.test(value))
      .map((value) => clean(value.slice(4))),
    ...conferenceOf(component),
  };
}

/**
 * The zone a floating start (no `Z`, no TZID) was read in (ical-zones.ts, toMillis), so that the
 * user can be told: an invitation written so (ical4j/ical4j#585) is shown by each calendar app on
 * its own clock, which may not be the interviewer's.
 */
function floatingOf(component: Component, start: Time, zones: ZoneContext): { floating?: CalendarEvent['floating'] } {
  if (start.isDate || (start.zone && start.zone.tzid !== 'floating') || tzidOf(component, 'dtstart') !== null) return {};
  return zones.floatingTimeZone === undefined ? { floating: { zone: zones.floatingZone, from: 'you' } } : { floating: { zone: zones.floatingTimeZone, from: 'calendar' } };
}

/** Video links of CONFERENCE (RFC 7986), Google's and Teams' own properties; absent when none. */
function conferenceOf(component: Component): { conference?: string[] } {
  const links = [
    ...component.getAllProperties('conference'),
    ...component.getAllProperties('x-google-conference'),
    ...component.getAllProperties('x-microsoft-skypeteamsmeetingurl'),
    ...component.getAllProperties('x-microsoft-onlinemeetingconflink'),
  ]
    .map((property) => String(property.getFirstValue() ?? '').trim())
    .filter((value) => value !== '' && !/^tel:/i.test(value))
    .map((value) => clean(value).slice(0, 500))
    .slice(0, 10);
  return links.length > 0 ? { conference: links } : {};
}

/**
 * An all-day entry written as times: Exchange's CDO (and Outlook.com's MSN calendar) mark it with
 * X-MICROSOFT-CDO-ALLDAYEVENT:TRUE and local midnights. MS-OXCICAL (that property's page) reads it as
 * all-day only when both DTSTART and DTEND are local times at midnight, and so does this.
 */
function markedAllDay(component: Component): boolean {
  const marked = ['x-microsoft-cdo-alldayevent', 'x-microsoft-msncalendar-alldayevent'].some(
    (name) => String(component.getFirstPropertyValue(name) ?? '').trim().toUpperCase() === 'TRUE',
  );
  if (!marked) return false;
  const midnight = (name: string): boolean => {
    const value: unknown = component.getFirstPropertyValue(name);
    return value instanceof ICAL.Time && !value.isDate && value.zone !== ICAL.Timezone.utcTimezone && value.hour === 0 && value.minute === 0 && value.second === 0;
  };
  return midnight('dtstart') && midnight('dtend');
}

/**
 * RFC 5545 spells it CANCELLED; some invitation writers spell it as American English does
 * (davaxi/VCalendar accepts only `STATUS:CANCELED`, davaxi/VCalendar#6), and mean the same: the
 * call is off. Read as anything else, a withdrawn interview stayed confirmed.
 */
export function statusOf(component: Component): CalendarEvent['status'] {
  const status = String(component.getFirstPropertyValue('status') ?? '').trim().toUpperCase();
  if (status === 'CANCELLED' || status === 'CANCELED') return 'cancelled';
  if (status === 'TENTATIVE') return 'tentative';
  return 'confirmed';
}

/**
 * A person's name and address. The address is RFC 7986's EMAIL parameter when it gives one, else
 * the `mailto:` value: iCloud writes an organizer's address there and a principal's path as the
 * value (`ORGANIZER;CN=…;EMAIL=organizer.test@icloud.com:/aMTc4…/principal/`, mangstadt/biweekly#113),
 * and Apple Calendar's invitations a relay of its own as the `mailto:` (`EMAIL=<address>:mailto:<id>@imip.me.com`,
 * sebbo2002/ical-generator#119). Read from the value alone, iCloud's organizer had no address, and
 * there was nobody to write the confirmation to.
 */
function personOf(property: ICAL.Property): Person {
  const given = property.getParameter('email');
  const email = addressOf(typeof given === 'string' ? given : '');
  const name = property.getParameter('cn');
  return { name: oneLine(typeof name === 'string' ? name : ''), email: email || addressOf(String(property.getFirstValue() ?? '')) };
}

function addressOf(text: string): string {
  const address = oneLine(text).replace(/^mailto:/i, '').trim().toLowerCase();
  return address.includes('@') && !/[\s/:]/.test(address) ? address : '';
}

const STATUSES: readonly ParticipationStatus[] = ['accepted', 'declined', 'tentative', 'needs-action', 'delegated'];

function attendeeOf(property: ICAL.Property): Attendee {
  const partstat = property.getParameter('partstat');
  // RFC 5545: PARTSTAT defaults to NEEDS-ACTION when absent.
  const given = typeof partstat === 'string' ? partstat.toLowerCase() : 'needs-action';
  const status = STATUSES.find((known) => known === given) ?? 'unknown';
  return { ...personOf(property), status };
}
