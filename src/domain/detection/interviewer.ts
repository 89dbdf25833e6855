/**
 * Which of the people on an invitation is the one the text names as the interviewer. Recruiting
 * tools (Greenhouse, GoodTime, Lever, Ashby, Workday) send the candidate's invitation from a
 * recruiting coordinator's or recruiter's calendar, with the interviewer among the attendees and
 * named in the text ("You'll be speaking with Morgan Lee", "Interviewer(s): Morgan Lee"). The
 * emails are about the call, so they are for the person on it, not for whoever booked it.
 *
 * A name matches a person by the display name (the whole name, first and last name, or the first
 * name alone when the text gives only that), or by the address's local part ("morgan.lee@",
 * "morgan@"). Conservative on purpose: when two people could be the one named, nobody is chosen,
 * and the counterpart stays the organizer (or first attendee) as before. Rooms, resources and
 * shared mailboxes ("Boardroom 4", "Engineering Interviews") are never a match.
 */
import data from './words.json' with { type: 'json' };
import type { Person } from '../types.js';

const NOT_PEOPLE = new Set(data.interviewerNames.notPeople);

/** What ends the name in a display name: "Morgan Lee - Recruiting", "Morgan Lee | Contoso". */
const DISPLAY_END = /\s[-–—|/]\s|[|/;<]/u;

/**
 * The ways a display name may be read, each as lower-case words without accents: "Lee, Morgan
 * (Contoso)" is Outlook's directory order ("Morgan Lee") or a name and a title ("Morgan Lee, PhD"),
 * so both readings are tried.
 */
function nameReadings(raw: string): string[][] {
  const name = (raw.slice(0, 200).replace(/[([][^)\]]*[)\]]/g, ' ').split(DISPLAY_END)[0] ?? '').trim();
  const comma = /^([^,]+),\s*([^,]+)$/.exec(name);
  if (comma?.[1] === undefined || comma[2] === undefined) return [words(name)];
  return [words(`${comma[2]} ${comma[1]}`), words(comma[1])];
}

/** Printable ASCII only: most names and addresses, read without Unicode-aware patterns (several times faster). */
const ASCII = /^[\x20-\x7e]*$/;

function words(text: string): string[] {
  const split = ASCII.test(text)
    ? text.toLowerCase().split(/[^a-z0-9]+/)
    : text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().split(/[^\p{L}\p{N}]+/u);
  return split.filter((w) => w !== '' && !/^\d+$/.test(w));
}

/** What a person can be recognised by: the words of their display name and of their address's local part. */
interface Known {
  readonly person: Person;
  readonly email: string;
  readonly readings: readonly (readonly string[])[];
}

function knownOf(person: Person): Known | null {
  const email = person.email.trim().toLowerCase();
  const display = person.name.includes('@') ? [] : nameReadings(person.name);
  const local = words(email.slice(0, Math.max(0, email.lastIndexOf('@'))));
  // A room, a resource or a shared mailbox is never the person a text names ("Conf Room 4B",
  // "Engineering Interviews", talent@): its first words, or any word of its address, say so.
  if ([...display.flatMap((d) => d.slice(0, 2)), ...local].some((w) => NOT_PEOPLE.has(w))) return null;
  return { person, email, readings: [...display, local] };
}

/** First and last name alike, or the one word of a first name only alike. */
function sameName(named: readonly string[], known: readonly string[]): boolean {
  if (named.length === 0 || known.length === 0) return false;
  if (named.length === 1) return named[0] === known[0];
  return known.length >= 2 && named[0] === known[0] && named.at(-1) === known.at(-1);
}

function matches(named: readonly string[], known: Known): boolean {
  return known.readings.some((reading) => sameName(named, reading));
}

/**
 * The one person of `people` that `names` (as the text gives them) point to, or null when none
 * does or more than one could. `people` are those who can be written to, the candidate left out.
 * A person listed by address alone gets the name the text gives them, so that the emails greet
 * them by it ("Hi Morgan,") and not by an address.
 */
export function interviewerAmong(names: readonly string[], people: readonly Person[]): Person | null {
  if (names.length === 0) return null;
  // The organizer is usually an attendee too: each address is read once.
  const unique = [...new Map(people.map((p): [string, Person] => [p.email.trim().toLowerCase(), p]).reverse()).values()];
  const known = unique.map(knownOf).filter((k): k is Known => k !== null);
  let found: { known: Known; name: string } | null = null;
  for (const name of names) {
    const named = words(name);
    for (const k of known) {
      if (!matches(named, k)) continue;
      if (found !== null && found.known.email !== k.email) return null;
      found ??= { known: k, name };
    }
  }
  if (found === null) return null;
  const { person } = found.known;
  const nameless = person.name.trim() === '' || person.name.includes('@');
  return nameless ? { name: found.name, email: person.email } : person;
}
