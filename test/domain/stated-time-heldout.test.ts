/**
 * A held-out table of how scheduling tools, meeting services and recruiters write a call's time and
 * zone, each as the public source wrote it (cited beside it; "stored file #n" is a public GitHub file
 * found by its exact text), with the instant the tool would store for the event and the reading we
 * expect: the interviewer's zone learned, no zone learned (the text names none that is theirs), or a
 * stated time that disagrees with the entry (flagged for review). Pure: every instant is a literal.
 */
import { describe, expect, it } from 'vitest';
import type { StatedTime } from '../../src/domain/stated-time.js';
import { readStated, type StatedWording } from '../support/stated-wording.js';
import { composeConfirmation } from '../../src/domain/compose.js';
import type { Interview } from '../../src/domain/types.js';

const MIN = 60_000;

/**
 * What the reading should be: one of these zones learned, no zone, a stated time that is not the
 * entry's ("differs"), or a "local time" nobody can place ("review").
 */
type Expected = { readonly zone: readonly string[] } | { readonly zone: null } | 'differs' | 'review';

interface Case extends StatedWording {
  readonly expected: Expected;
  /** Read wrong today, and left so: the test fails the day it reads right, to be moved up. */
  readonly knownMiss?: string;
}

const NY = ['America/New_York'];
const LA = ['America/Los_Angeles'];
const CE = ['Europe/Berlin', 'Europe/Paris', 'Europe/Amsterdam'];
const INDIA = ['Asia/Kolkata', 'Asia/Calcutta'];
/** The interviewer's clock is the candidate's own: nothing to learn, and the emails name one zone. */
const SAME_AS_CANDIDATE: Expected = { zone: null };
/** A bare offset names no place ("UTC−3" is São Paulo and Buenos Aires): the offset agrees, no zone is taken. */
const NO_PLACE: Expected = { zone: null };
/** Two places besides the candidate's: neither is taken, as the writer's own may come first or last. */
const NEITHER: Expected = { zone: null };

export const heldOut: readonly Case[] = [
  // Calendly's host notification (a parser's fixture of the real mail, stored file #60413103217).
  { name: 'Calendly host notification', source: 'stored file #60413103217 (Calendly "Event Date/Time:" block)', text: 'Event Date/Time:\n09:30am - Monday, 31 August 2026 (Eastern Time - US & Canada)\n\nInvitee Time Zone:\nUK, Ireland, Lisbon Time', start: '2026-08-31T13:30:00Z', candidateZone: 'Europe/London', expected: { zone: NY } },
  { name: 'Calendly, candidate in India', source: 'stored file #16575366995 ("04:30pm - Friday, 4 April 2025 (Eastern Time - US & Canada)")', text: '60 min meeting with Rahul\n04:30pm - Friday, 4 April 2025 (Eastern Time - US & Canada)', start: '2025-04-04T20:30:00Z', candidateZone: 'Asia/Kolkata', expected: { zone: NY } },
  { name: 'Calendly range', source: 'https://community.calendly.com/how-do-i-40/time-zone-troubleshooting-guide-242 (the zone shown on the booking page is the one in the mail), range as Calendly writes it', text: '10:00am - 10:30am, Monday, December 14, 2026 (Eastern Time - US & Canada)', start: '2026-12-14T15:00:00Z', candidateZone: 'America/Chicago', expected: { zone: NY } },
  // Google Calendar's invitation mail.
  { name: 'Google Calendar, New York', source: 'stored file #52692326059 (a forwarded Google Calendar invitation)', text: 'Join Zoom Meeting:\nhttps://columbiauniversity.zoom.us/j/93446650868\n\nWhenThursday Aug 7, 2025 ⋅ 10am – 10:30am (Eastern Time - New York)\nGuests', start: '2025-08-07T14:00:00Z', expected: SAME_AS_CANDIDATE },
  { name: 'Google Calendar, Kolkata, hyphens', source: 'stored file #69048369058', text: 'When\nWednesday Sep 23, 2026 - 4:30pm - 5pm (India Standard Time - Kolkata)\nGuests\nMahima Kumawat - organizer', start: '2026-09-23T11:00:00Z', expected: { zone: INDIA } },
  { name: 'Google Calendar, changed, old line below', source: 'stored file #27873423530 (Google\'s "This event has been updated" mail)', text: 'This event has been updated\nChanged: Title, Time\nWhen\nCHANGED\nMonday 11 Mar 2024 ⋅ 7am – 6pm (India Standard Time - Kolkata)\nThursday 7 Mar 2024 ⋅ 7am – 6pm (India Standard Time - Kolkata)\nGuests', start: '2024-03-11T01:30:00Z', minutes: 660, candidateZone: 'America/New_York', expected: { zone: INDIA } },
  { name: 'Google title, (IST)', source: 'stored file #49017507057 ("… 5pm - 5:10pm (IST)")', field: 'title', text: 'Invitation: AI Interview @ Tue Oct 22, 2024 5pm - 5:10pm (IST) (sahil@example.com)', start: '2024-10-22T11:30:00Z', minutes: 10, candidateZone: 'Asia/Kolkata', expected: SAME_AS_CANDIDATE },
  { name: 'Google Calendar, Berlin in summer', source: 'stored file #36483466697 (Google\'s "(Central European Time - Berlin)" label), in the invitation\'s "When" shape', text: 'When\nTuesday 16 Jun 2026 ⋅ 10:00 – 10:30 (Central European Time - Berlin)\nGuests', start: '2026-06-16T08:00:00Z', expected: { zone: CE } },
  // Zoom's invitation text.
  { name: 'Zoom, Pacific', source: 'stored file #9337619659 ("Time: Apr 24, 2025 10:00 AM Pacific Time (US and Canada)")', text: 'Sarah Adams is inviting you to a scheduled Zoom meeting.\n\nTopic: Q2 Marketing Strategy Review\nTime: Apr 24, 2025 10:00 AM Pacific Time (US and Canada)\n\nJoin Zoom Meeting', start: '2025-04-24T17:00:00Z', expected: { zone: LA } },
  { name: 'Zoom, Eastern in winter', source: 'stored file #52936480732', text: 'Topic: Additional office hours – Exam 2 Review\nHost: Kamal Kadel\nTime: Mar 10, 2022 11:15 AM Eastern Time (US and Canada)\nJoin URL: https://fiu.zoom.us/j/95412783096', start: '2022-03-10T16:15:00Z', candidateZone: 'America/Los_Angeles', expected: { zone: NY } },
  { name: 'Zoom, recurring', source: 'stored file #7233903500 (Hyperledger\'s Zoom invitation)', text: 'Topic: Aries JavaScript Meeting\nTime: Mar 23, 2023 06:00 AM Pacific Time (US and Canada)\n        Every week on Thu, until May 9, 2024, 60 occurrence(s)', start: '2023-03-23T13:00:00Z', minutes: 60, expected: { zone: LA } },
  // Webex's older invitation text.
  { name: 'Webex, daylight name with city', source: 'stored file #20595805952 ("Time: 7:00 am, Pacific Daylight Time (San Francisco, GMT-07:00)")', text: 'Topic: Phone screen\nDate: Tuesday, August 26, 2014\nTime: 7:00 am, Pacific Daylight Time (San Francisco, GMT-07:00)\nMeeting Number: 302 037 779', start: '2014-08-26T14:00:00Z', expected: { zone: LA } },
  // Outlook, Teams and Bookings write Windows display names: the standard offset all year.
  { name: 'Outlook, Eastern in winter', source: 'stored file #47340261 (Windows display name "(UTC-05:00) Eastern Time (US & Canada)")', text: 'When: Monday, December 14, 2026 10:00 AM-10:30 AM (UTC-05:00) Eastern Time (US & Canada).', start: '2026-12-14T15:00:00Z', candidateZone: 'Europe/London', expected: { zone: NY } },
  { name: 'Outlook, Pacific in summer', source: 'stored file #61601249061 ("(UTC-08:00) Pacific Time (US & Canada)" list), Outlook\'s "When:" line', text: 'When: Wednesday, July 15, 2026 9:00 AM-9:30 AM (UTC-08:00) Pacific Time (US & Canada)', start: '2026-07-15T16:00:00Z', expected: { zone: LA } },
  { name: 'Outlook, India places', source: 'stored file #309842359 ("(UTC + 5:30) Bombay, Calcutta, Madras, New Delhi"), today\'s Windows spelling', text: 'When: Thursday, September 10, 2026 2:00 PM-2:30 PM (UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi.', start: '2026-09-10T08:30:00Z', expected: { zone: INDIA } },
  { name: 'Outlook preview, PST in March daylight time', source: 'stored file #56260915984 ("When: Tuesday, March 25, 2026, 2:00 PM - 3:30 PM (PST)")', text: 'You\'re invited to Phone Screen. When: Tuesday, March 25, 2026, 2:00 PM - 3:30 PM (PST). Where: Zoom', start: '2026-03-25T21:00:00Z', minutes: 90, expected: { zone: LA } },
  // Cal.com copies "when" and "timezone" on two lines.
  { name: 'Cal.com, London', source: 'stored file #68369980970 (Cal.com copy of the booking)', text: 'what: 30 Min Meeting between Alice and Bob\nwhen: Tuesday, March 10, 2026, 2:00 PM - 2:30 PM\ntimezone: Europe/London (Greenwich Mean Time)\nwhere: Cal Video', start: '2026-03-10T14:00:00Z', expected: { zone: ['Europe/London'] } },
  // Recruiters' own lines.
  { name: 'EST in July', source: 'stored file #71153542461 ("9:30 AM - 4:00 PM EST" for US market hours all year)', text: 'Phone interview Thursday July 16 at 2:00 PM EST. Dana will call your mobile.', start: '2026-07-16T18:00:00Z', candidateZone: 'America/Chicago', expected: { zone: NY } },
  { name: 'two zones, the candidate\'s second', source: 'task wording, the shape of stored file #38645503311 ("11am-12pm PST / 2-3PM EST / 8-9pm CET")', text: 'Call confirmed for Tuesday, 2pm EST / 11am PST.', start: '2026-12-15T19:00:00Z', candidateZone: 'America/Los_Angeles', expected: { zone: NY } },
  { name: 'three zones, the candidate\'s second', source: 'stored file #38645503311 (git mailing list: "Time: Thursday 2022/11/17 11am-12pm PST / 2-3PM EST / 8-9pm CET")', text: 'Time: Thursday 2022/11/17 11am-12pm PST / 2-3PM EST / 8-9pm CET', start: '2022-11-17T19:00:00Z', minutes: 60, candidateZone: 'America/New_York', expected: NEITHER },
  { name: 'CET in winter', source: 'stored file #12256448779 ("When: Tuesday [4:00 PM CET (Europe)]")', text: 'When: Tuesday 4:00 PM CET (Europe)', start: '2026-01-20T15:00:00Z', expected: { zone: CE } },
  { name: 'CET written in summer', source: 'stored file #12256448779 (the same line, whose calendar link is ctz=Europe/Paris all year)', text: 'When: Tuesday 4:00 PM CET (Europe)', start: '2026-06-16T14:00:00Z', expected: { zone: CE } },
  { name: '14:00 CET', source: 'task wording, as stored file #12256448779 writes CET', text: 'Your interview: 20 January, 14:00 CET, by phone.', start: '2026-01-20T13:00:00Z', expected: { zone: CE } },
  { name: 'French "10 h, heure de Paris"', source: 'stored file #59524344666 ("à 10 h puis 15 h, heure de Paris")', text: 'Entretien téléphonique jeudi 12 mars à 10 h, heure de Paris.', start: '2026-03-12T09:00:00Z', expected: { zone: CE } },
  { name: 'German "um 15 Uhr MEZ"', source: 'stored file #59865918839 ("um 18:30 Uhr MEZ")', text: 'Telefoninterview am 10.02.2026 um 15 Uhr MEZ', start: '2026-02-10T14:00:00Z', expected: { zone: CE } },
  { name: 'German "Uhr MEZ/MESZ" in summer', source: 'stored file #24497165115 ("20:00 Uhr MEZ/MESZ")', text: 'Telefoninterview am Dienstag, 16. Juni, 20:00 Uhr MEZ/MESZ', start: '2026-06-16T18:00:00Z', expected: { zone: CE } },
  { name: 'Japanese 午前10時(日本時間)', source: 'stored file #3019960795 ("8月31日午後6時(日本時間)")', text: '3月10日午前10時(日本時間)にお電話いたします。', start: '2026-03-10T01:00:00Z', expected: { zone: ['Asia/Tokyo'] } },
  { name: 'GMT+5:30', source: 'stored file #60800288752 ("Mumbai, New Delhi (GMT+5:30)")', text: 'Telephonic interview on Tuesday at 11:00 AM (GMT+5:30).', start: '2026-06-02T05:30:00Z', candidateZone: 'America/New_York', expected: NO_PLACE },
  { name: 'UTC−3 with a minus sign', source: 'https://en.wikipedia.org/wiki/UTC%E2%88%9203:00 (the offset written with U+2212)', text: 'Phone screen at 10:00 (UTC−3) with our São Paulo team.', start: '2026-06-02T13:00:00Z', expected: NO_PLACE },
  { name: 'Sydney time', source: 'stored file #4738443 ("8:00 AM Sydney time")', text: 'I\'ll call you at 9 Sydney time on Tuesday.', start: '2026-06-01T23:00:00Z', candidateZone: 'Europe/London', expected: { zone: ['Australia/Sydney', 'Australia/Melbourne'] } },
  { name: 'BST', source: 'stored file #57463919305 ("3:00 PM BST")', text: 'Phone interview confirmed: Thursday 3:00 PM BST.', start: '2026-06-04T14:00:00Z', candidateZone: 'America/New_York', expected: { zone: ['Europe/London'] } },
  // The reader's own clock names no zone of the interviewer's.
  { name: '"your time", agreeing', source: 'stored file #54107981732 ("Thursday at 10am your time works for me")', text: 'Thursday at 10am your time works for me. I\'ll call you then.', start: '2026-06-04T14:00:00Z', candidateZone: 'America/New_York', expected: { zone: null } },
  { name: '"your time", off by an hour', source: 'stored file #54107981732 (the same line, on an entry an hour later)', text: 'Thursday at 10am your time works for me. I\'ll call you then.', start: '2026-06-04T15:00:00Z', candidateZone: 'America/New_York', expected: 'differs' },
  { name: 'two clocks, "your time" second', source: 'https://community.calendly.com/how-do-i-40/time-zone-troubleshooting-guide-242 ("1pm PST would show up as 4pm EST for me"), with the reader\'s clock named as recruiters do', text: 'Our call is at 1pm PST (4pm your time).', start: '2026-01-20T21:00:00Z', candidateZone: 'America/New_York', expected: { zone: LA } },
  { name: '"your local time"', source: 'stored file #54849352682 ("fires at 8 AM your time, not UTC"); "local time" as recruiters write it', text: 'The recruiter will call you at 3 PM your local time.', start: '2026-06-02T19:00:00Z', candidateZone: 'America/New_York', expected: { zone: null } },
  { name: 'bare "local time"', source: 'stored file #54849352682 (the same usage)', text: 'Phone screen at 3 PM local time.', start: '2026-06-02T19:00:00Z', candidateZone: 'America/New_York', expected: { zone: null } },
  // "Local time" in four languages and Japanese, each line as its public source wrote it (found by
  // its text in GitHub's public files). Whose local time: the place named with it ("Ortszeit
  // Madrid", "local time in London", "hora local de Mérida", "local time (EST)"); else the
  // candidate's own clock when the event is on it; else nobody can tell, and the call waits for review.
  { name: 'German "Uhr (Ortszeit Madrid)"', source: 'stored file #59084541171 ("Uhrzeit", "10:30 Uhr (Ortszeit Madrid)")', text: 'Uhrzeit: 10:30 Uhr (Ortszeit Madrid)', start: '2026-06-08T08:30:00Z', expected: { zone: ['Europe/Madrid'] } },
  { name: 'German range "Uhr (Ortszeit Berlin)"', source: 'stored file #61374765502 ("streamt meist Di, Do, Sa, 20:00–23:30 Uhr (Ortszeit Berlin).")', text: 'ExampleStreamer streamt meist Di, Do, Sa, 20:00–23:30 Uhr (Ortszeit Berlin).', start: '2026-06-16T18:00:00Z', minutes: 210, expected: { zone: CE } },
  { name: '"local time in London"', source: 'stored file #63170258507 ("Wednesday 29 Jul 2026, 09:35 local time in London.")', text: 'Wednesday 29 Jul 2026, 09:35 local time in London.', start: '2026-07-29T08:35:00Z', expected: { zone: ['Europe/London'] } },
  { name: 'Spanish "horas (hora local de Mérida)"', source: 'stored file #53075514463 ("21 de Mayo de 2028 a las 17:00 horas (hora local de Mérida)")', text: 'Fecha objetivo: 21 de Mayo de 2028 a las 17:00 horas (hora local de Mérida)', start: '2028-05-21T23:00:00Z', expected: { zone: ['America/Merida'] } },
  { name: '"local time (EST)"', source: 'stored file #55157425541 ("delays non-critical alert and sets delayUntil to 08:00 local time (EST)")', text: 'delays non-critical alert and sets delayUntil to 08:00 local time (EST)', start: '2026-01-15T13:00:00Z', candidateZone: 'Europe/London', expected: { zone: NY } },
  { name: '"local time (Australia/Sydney)"', source: 'stored file #68868581111 ("must fall between 07:00 and 19:00 local time (Australia/Sydney)")', text: 'The scheduled visit must fall between 07:00 and 19:00 local time (Australia/Sydney); got 23:00.', start: '2026-06-01T21:00:00Z', candidateZone: 'Europe/London', expected: { zone: ['Australia/Sydney'] } },
  { name: '"Local Time (GMT+02:00)"', source: 'stored file #24024049226 ("// at 6:00 Local Time (GMT+02:00)")', text: 'at 6:00 Local Time (GMT+02:00)', start: '2026-06-02T04:00:00Z', expected: NO_PLACE },
  { name: 'Spanish "hora local", candidate there', source: 'stored file #71346406431 ("20:00 hora local · 23:00 hora de Uruguay", a match in Toluca)', text: 'Sábado 4 de octubre\n20:00 hora local · 23:00 hora de Uruguay\nEstadio Nemesio Díez, Toluca', start: '2026-10-05T02:00:00Z', candidateZone: 'America/Mexico_City', expected: SAME_AS_CANDIDATE },
  { name: 'German "Uhr Ortszeit", candidate there', source: 'stored file #56830896024 ("eine Session am ersten Sonntag der MEZ→MESZ-Umstellung um 18:00 Uhr Ortszeit startet")', text: 'eine Session am ersten Sonntag der MEZ→MESZ-Umstellung um 18:00 Uhr Ortszeit startet', start: '2026-03-29T16:00:00Z', candidateZone: 'Europe/Berlin', expected: SAME_AS_CANDIDATE },
  { name: 'German "Uhr Ortszeit", candidate elsewhere', source: 'stored file #56830896024 (the same line, read by a candidate in New York)', text: 'eine Session am ersten Sonntag der MEZ→MESZ-Umstellung um 18:00 Uhr Ortszeit startet', start: '2026-03-29T16:00:00Z', expected: 'review' },
  { name: 'German "Uhr Ortszeit (… UTC)"', source: 'stored file #41088080094 ("gegen 9:30 Uhr Ortszeit (02:30 UTC)")', text: 'Der JAS 39C Gripen stürzte gegen 9:30 Uhr Ortszeit (02:30 UTC) auf eine Startbahn.', start: '2026-06-02T02:30:00Z', candidateZone: 'Europe/Berlin', expected: { zone: null } },
  { name: 'German "Uhr (Ortszeit)"', source: 'stored file #43644331030 ("Datum: 22. August 2025, 17:00 Uhr (Ortszeit)")', text: 'Datum: 22. August 2025, 17:00 Uhr (Ortszeit)', start: '2025-08-22T15:00:00Z', candidateZone: 'Europe/Berlin', expected: SAME_AS_CANDIDATE },
  { name: 'French "10 h (heure locale)", candidate there', source: 'stored file #70073920056 ("Vendredi 25 septembre 2026, 10 h (heure locale).")', text: 'Vendredi 25 septembre 2026, 10 h (heure locale).', start: '2026-09-25T08:00:00Z', candidateZone: 'Europe/Paris', expected: SAME_AS_CANDIDATE },
  { name: 'French "10 h (heure locale)", candidate in Montréal', source: 'stored file #70073920056 (the same line, read in Montréal)', text: 'Vendredi 25 septembre 2026, 10 h (heure locale).', start: '2026-09-25T08:00:00Z', candidateZone: 'America/Toronto', expected: 'review' },
  { name: '"a.m. local time"', source: 'stored file #9928393591 ("tickets will go on sale Monday, March 9 at 10 a.m. local time")', text: 'Tickets will go on sale Monday, March 9 at 10 a.m. local time.', start: '2026-03-09T14:00:00Z', expected: SAME_AS_CANDIDATE },
  { name: '"6 a.m. local time", candidate there', source: 'stored file #3054550037 ("became operational at 6 a.m. local time")', text: 'The crossings at Mehran, Shalamcheh and Chazabeh became operational at 6 a.m. local time, the report said.', start: '2026-08-15T02:30:00Z', candidateZone: 'Asia/Tehran', expected: SAME_AS_CANDIDATE },
  { name: '"6 a.m. local time", candidate elsewhere', source: 'stored file #3054550037 (the same line, read in London)', text: 'The crossings at Mehran, Shalamcheh and Chazabeh became operational at 6 a.m. local time, the report said.', start: '2026-08-15T02:30:00Z', candidateZone: 'Europe/London', expected: 'review' },
  { name: '"4 PM local time" beside an offset', source: 'stored file #41197218820 ("User in California (UTC-8): Limit resets at 4 PM local time (not midnight)")', text: 'User in California (UTC-8): Limit resets at 4 PM local time (not midnight)', start: '2026-01-15T00:00:00Z', candidateZone: 'America/Los_Angeles', expected: SAME_AS_CANDIDATE },
  { name: 'office hours "(Local Time)"', source: 'stored file #54091374496 ("Monday - Friday: 9am - 6pm (Local Time)")', text: 'Business Hours\nMonday - Friday: 9am - 6pm (Local Time)', start: '2026-06-02T07:00:00Z', expected: { zone: null } },
  { name: 'Japanese 14時(現地時間)', source: 'stored file #60044773533 ("2026年8月15日14時(現地時間)の発売が発表された")', text: '2026年8月15日14時(現地時間)の発売が発表された。', start: '2026-08-15T18:00:00Z', expected: SAME_AS_CANDIDATE },
  { name: 'Spanish "19:00 hora local", candidate in Lima', source: 'stored file #61121314911 ("desde las 19:00 hora local en adelante")', text: 'en Perú (UTC-5), desde las 19:00 hora local en adelante', start: '2026-06-03T00:00:00Z', candidateZone: 'America/Lima', expected: SAME_AS_CANDIDATE },
];

const read = readStated;

/** Whether a reading is the expected one. */
export function readsRight(c: Case, r: StatedTime): boolean {
  if (c.expected === 'differs') return r.kind === 'differs';
  if (c.expected === 'review') return r.kind === 'unclear';
  if (r.kind === 'differs' || r.kind === 'unclear') return false;
  const zone = r.kind === 'agrees' ? r.zone ?? null : null;
  if (c.expected.zone === null) return zone === null;
  return zone !== null && c.expected.zone.includes(zone);
}

describe('held-out invitation wordings of a call\'s time and zone', () => {
  for (const c of heldOut) {
    (c.knownMiss === undefined ? it : it.fails)(`${c.name} (${c.source})`, () => {
      const r = read(c);
      const got = r.kind === 'agrees' ? `agrees ${r.zone ?? 'no zone'}` : r.kind;
      expect({ got, right: readsRight(c, r) }).toMatchObject({ right: true });
    });
  }
});

describe('the confirmation names the interviewer\'s clock the invitation stated', () => {
  const confirm = (c: Case, phone: string): string => {
    const r = read(c);
    const start = Date.parse(c.start);
    const statedZone = r.kind === 'agrees' ? r.zone : null;
    const interview: Interview = {
      id: 'ivheldout0001', sourceId: 'cal', eventId: 'e1', revision: 1, revisionKey: 'k', status: 'scheduled', rescheduled: 0,
      outcome: null, outcomeSource: null, firstSeen: start - 3 * 86_400_000, title: 'Phone Screen - Ada Park', start, end: start + 30 * MIN,
      timeZone: 'UTC', ...(statedZone !== null ? { statedZone } : {}), counterpart: { name: 'Dana Lee', email: 'dana@acme.example' },
      company: 'acme.example', number: phone, direction: 'interviewer-calls', role: 'accepted', notes: '', taggedOutcome: null,
    };
    const candidate = { name: 'Ada Park', email: 'ada@example.org', phone, timezone: c.candidateZone ?? 'America/New_York' };
    const email = composeConfirmation({ interview, candidate, messageId: '<ringback.ivheldout0001.confirmation.1@example.org>', now: start - 86_400_000, sendAt: start - 3_600_000, shortNotice: false, zoneSet: null, earlier: null });
    return `${email.subject}\n${email.text}`;
  };
  const find = (name: string): Case => heldOut.find((c) => c.name === name) ?? heldOut[0]!;

  it('Calendly\'s Eastern line, a candidate in London: the recruiter reads 9:30 AM Eastern', () => {
    const mail = confirm(find('Calendly host notification'), '+442079460322');
    expect(mail).toContain('today at 14:30 UK time (9:30 AM Eastern for you)');
  });

  it('日本時間 to a candidate in New York: the subject and the body give Tokyo its own Tuesday', () => {
    const mail = confirm(find('Japanese 午前10時(日本時間)'), '+12125550100');
    expect(mail).toContain('Confirming our phone interview today at 10:00 JST');
    expect(mail).toContain('9:00 PM Eastern (Tuesday, March 10, 10:00 JST for you)');
  });
});

describe('the reader\'s own clock', () => {
  it('an hour off the entry is explained on the candidate\'s clock (stored file #54107981732)', () => {
    const r = read({ name: '', source: '', text: 'Thursday at 10am your time works for me. I\'ll call you then.', start: '2026-06-04T15:00:00Z' });
    expect(r.kind === 'differs' ? r.evidence.text : r.kind).toBe('the invitation says 10:00 AM Eastern; the calendar entry is at 11:00 AM Eastern: check which before the confirmation is sent');
  });
  it('a reply deadline in "your time" is not the call (stored file #52634936657, "Tuesday at 2 PM your time")', () => {
    expect(read({ name: '', source: '', text: 'Please reply by 2 PM your time on Tuesday.', start: '2026-06-02T19:00:00Z' }).kind).toBe('none');
  });
});
