/**
 * The time an invitation's text states, read against the event's own instant
 * (src/domain/stated-time.ts). Each wording comes from a real invitation or page, cited beside it;
 * the candidate is in New York unless said otherwise. Pure: every instant is a literal.
 */
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/domain/detect.js';
import type { StatedTime } from '../../src/domain/stated-time.js';
import { composeApology, composeConfirmation, composeNoShow } from '../../src/domain/compose.js';
import { decideEscalation } from '../../src/domain/escalation.js';
import type { Interview } from '../../src/domain/types.js';
import { interviewRecipientZone } from '../../src/domain/zones.js';
import { knownZone } from '../../src/domain/format.js';
import data from '../../src/domain/data/stated-zones.json' with { type: 'json' };
import { readStated, type StatedWording } from '../support/stated-wording.js';

const MIN = 60_000;

type Case = StatedWording;
const read = readStated;

const zoneOf = (r: StatedTime): string | null | undefined => (r.kind === 'agrees' ? r.zone : undefined);

describe('a stated time that is the event\'s own instant gives the interviewer\'s zone', () => {
  const cases: (Case & { readonly zone: string | null })[] = [
    // Greenhouse's confirmation writes the day and the range with the abbreviation (task wording;
    // the same shape in a Google title: https://github.com/nextcloud/calendar/issues/8487).
    { name: 'Greenhouse range, PDT', source: 'https://github.com/nextcloud/calendar/issues/8487', text: 'Tuesday, March 10th 3:00pm - 3:30pm PDT', start: '2026-03-10T22:00:00Z', zone: 'America/Los_Angeles' },
    { name: 'Google title, (PST)', source: 'https://github.com/nextcloud/calendar/issues/8487', field: 'title', text: 'Updated invitation: Phone interview - Ada Park / Marigold Foods @ Tue Mar 4, 2031 10am - 10:30am (PST)', start: '2031-03-04T18:00:00Z', zone: 'America/Los_Angeles' },
    { name: 'reminder title, PT', source: 'https://interview-email-templates.pages.dev/interview-reminder-email-template/', field: 'title', text: 'Reminder: Phone Screen with Contoso - tomorrow at 10:00 AM PT', start: '2026-06-02T17:00:00Z', zone: 'America/Los_Angeles' },
    { name: 'ModernLoop schedule line', source: 'https://raw.githubusercontent.com/api-evangelist/modernloop/refs/heads/main/llms/modernloop-llms.txt', text: 'Here\'s your interview schedule with Tidewater Labs.\n\n11:00 AM - 11:30 AM PT  Phone Screen with Owen Chu (Engineering Manager)', start: '2026-06-02T18:00:00Z', zone: 'America/Los_Angeles' },
    { name: 'p.m. ET, candidate in Pacific', source: 'https://talentegg.ca/incubator/2019/05/07/unwritten-rules-coffee-chats-part-2-bell/', text: 'Marie-Claude from our People team will call you at the number you provided, Monday at 1:30 p.m. ET.', start: '2026-06-01T17:30:00Z', candidateZone: 'America/Los_Angeles', zone: 'America/New_York' },
    { name: 'between … and … AM EST', source: 'https://www.hirect.in/blog/what-are-recruiters-looking-for-in-a-phone-interview/', text: 'we will reach you on the given number between 10:00 and 10:30 AM EST.', start: '2026-01-15T15:00:00Z', candidateZone: 'Asia/Kolkata', zone: 'America/New_York' },
    { name: '24-hour CET/CEST', source: 'https://github.com/openSUSE/mail-reminder/pull/25', text: 'Phone call at 14:00 CET/CEST', start: '2026-01-20T13:00:00Z', zone: 'Europe/Berlin' },
    { name: 'Outlook standard offset and places, in summer', source: 'https://github.com/kewisch/gdata-provider/issues/585', text: 'When: Tuesday, 16 June 2026 10:00-10:30 (UTC+01:00) Amsterdam, Berlin, Bern, Rom, Stockholm, Wien.', start: '2026-06-16T08:00:00Z', zone: 'Europe/Amsterdam' },
    { name: 'offset with dot and places', source: 'https://github.com/tine20/tine20/issues/4459', text: 'Telephone interview 13:30 (GMT+05.30) Kolkata/Chennai/Mumbai/New Delhi/India Standard Time', start: '2026-09-10T08:00:00Z', zone: 'Asia/Kolkata' },
    { name: 'German Uhr MEZ', source: 'https://bewerbung.net/telefoninterview/ ("am TT.MM.JJJJ um 10 Uhr"), with the zone as https://github.com/openSUSE/mail-reminder/pull/25 writes it', text: 'Telefoninterview am Dienstag um 15:00 Uhr MEZ', start: '2026-02-10T14:00:00Z', zone: 'Europe/Berlin' },
    { name: 'French heure de Paris', source: 'https://journaldinconsistance.ch/2022/01/rendez-vous-2.html ("créneau 10h00-11h00")', text: 'Entretien téléphonique le mardi 10 mars à 10h00 heure de Paris', start: '2026-03-10T09:00:00Z', zone: 'Europe/Paris' },
    { name: 'two clocks, the candidate\'s is theirs', source: 'https://community.calendly.com/how-do-i-40/time-zone-troubleshooting-guide-242', text: 'Your call is at 1pm PST (4pm EST).', start: '2026-01-20T21:00:00Z', candidateZone: 'America/New_York', zone: 'America/Los_Angeles' },
    { name: 'a recruiter\'s letter, Pacific', source: 'https://www.livecareer.com/interview-questions/phone-interview-letter', text: 'I\'ll give you a call at 415-555-0100 on Tuesday at 10:00 AM Pacific. Plan for about 20 minutes.', start: '2026-06-02T17:00:00Z', zone: 'America/Los_Angeles' },
    { name: 'UK time', source: 'https://2grecruitment.com/resources/telephone-skype-interview-tips/', text: 'please call Rachel on +44 (0)20 7946 0322 at 3pm UK time for your telephone interview with our client.', start: '2026-06-02T14:00:00Z', zone: 'Europe/London' },
    { name: 'IANA name', source: 'https://help.lever.co/hc/en-us/articles/20087362589469-Scheduling-interviews-in-different-timezones', text: 'Phone screen 09:30 America/Chicago', start: '2026-06-02T14:30:00Z', zone: 'America/Chicago' },
    // EST written in summer for Eastern's clock: the literal -5 reading is also right, nothing is taken.
    { name: 'EST on its literal offset in summer', source: 'https://community.calendly.com/how-do-i-40/time-zone-troubleshooting-guide-242', text: 'Phone screen at 3:00 PM EST', start: '2026-06-02T20:00:00Z', zone: null },
    // CST names China too: an instant on China's clock takes nothing.
    { name: 'CST on China\'s clock', source: 'https://timemeaning.com/learn/ambiguous-timezone-abbreviations', text: 'Phone interview at 10:00 CST', start: '2026-06-02T02:00:00Z', zone: null },
    { name: 'CST on Central\'s clock', source: 'https://timemeaning.com/learn/ambiguous-timezone-abbreviations', text: 'Phone interview at 10:00 AM CST', start: '2026-01-20T16:00:00Z', zone: 'America/Chicago' },
    // EST written in June for Eastern's summer clock, as an interview invite writes it: Eastern's clock, not the literal -5.
    { name: 'EST in June on Eastern\'s summer clock', source: 'https://writecrafted.b-cdn.net/post/sample-letter-for-interview-schedule.html', text: 'Proposed time: Wednesday 18th June, 2pm EST', start: '2025-06-18T18:00:00Z', candidateZone: 'America/Los_Angeles', zone: 'America/New_York' },
    // MST written in summer from Denver (MDT): Denver's clock, not Arizona's, which MST also names.
    { name: 'MST in summer from Denver', source: 'https://1strateresumes.com/welcome-to-daylight-saving-time-please-use-the-correct-terms/', text: 'I was invited to join a teleseminar at 6PM MST.', start: '2026-06-10T00:00:00Z', zone: 'America/Denver' },
    // MST on Arizona's clock in summer: the word names both, nothing is taken.
    { name: 'MST in summer on Arizona\'s clock', source: 'https://1strateresumes.com/welcome-to-daylight-saving-time-please-use-the-correct-terms/', text: 'Phone screen at 6PM MST.', start: '2026-06-10T01:00:00Z', zone: null },
  ];
  for (const c of cases) {
    it(`${c.name} (${c.source})`, () => {
      const r = read(c);
      expect(r.kind).toBe('agrees');
      expect(zoneOf(r)).toBe(c.zone);
    });
  }
});

describe('Outlook\'s display names list several places after the standard offset', () => {
  // Windows time zone display names (https://github.com/OfficeDev/Microsoft-Teams-Shifts-WFM-Connectors,
  // Kronos-Shifts-Connector/timezones.md): the first place is not always a zone's city.
  const SOURCE = 'OfficeDev/Microsoft-Teams-Shifts-WFM-Connectors Kronos-Shifts-Connector/timezones.md';
  it.each([
    ['(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi', '2026-03-10T13:00:00Z', '18:30-19:00', 'Asia/Kolkata'],
    ['(UTC+09:00) Osaka, Sapporo, Tokyo', '2026-03-10T09:00:00Z', '18:00-18:30', 'Asia/Tokyo'],
    ['(UTC+04:00) Abu Dhabi, Muscat', '2026-03-10T14:00:00Z', '18:00-18:30', 'Asia/Muscat'],
    ['(UTC+05:00) Islamabad, Karachi', '2026-03-10T13:00:00Z', '18:00-18:30', 'Asia/Karachi'],
    ['(UTC+08:00) Beijing, Chongqing, Hong Kong SAR, Urumqi', '2026-03-10T10:00:00Z', '18:00-18:30', 'Asia/Chongqing'],
  ])('%s', (places, start, range, zone) => {
    const r = read({ name: '', source: SOURCE, text: `When: Tuesday, 10 March 2026 ${range} ${places}`, start });
    expect(r.kind).toBe('agrees');
    expect(zoneOf(r)).toBe(zone);
  });
  it('takes no place on another offset than the one written', () => {
    const r = read({ name: '', source: SOURCE, text: 'Phone screen at 18:00 (UTC+01:00), Sydney office', start: '2026-03-10T17:00:00Z' });
    expect(r.kind).toBe('agrees');
    expect(zoneOf(r)).toBeNull();
  });
});

describe('IST, which names India, Ireland and Israel', () => {
  // Recruiting and meeting tools in India store times in UTC and write them as IST: "When scheduling
  // interviews for 2:00 PM IST, the email notifications were showing 8:30 AM" (a recruiting app's
  // timezone fix notes, code corpus), "Current Time: 2025-12-24 11:28:03 IST … IST is UTC+5:30"
  // (https://github.com/darshuprajapati10/meeting, TIMEZONE_VERIFICATION.md); Ireland's summer time
  // and Israel's are IST too (https://timemeaning.com/learn/ambiguous-timezone-abbreviations).
  const SOURCE = 'darshuprajapati10/meeting TIMEZONE_VERIFICATION.md; timemeaning.com';
  it('an instant on India\'s clock alone gives India', () => {
    const r = read({ name: '', source: SOURCE, text: 'Telephonic interview on Thursday at 2:00 PM IST', start: '2026-06-04T08:30:00Z' });
    expect(r.kind).toBe('agrees');
    expect(zoneOf(r)).toBe('Asia/Kolkata');
  });
  it.each([
    // 2:00 PM Irish summer time.
    ['Ireland\'s clock', '2026-06-04T13:00:00Z', 'America/New_York'],
    // 14:00 Israel Standard Time.
    ['Israel\'s clock', '2026-01-20T12:00:00Z', 'America/New_York'],
    // An Indian recruiter's floating entry read on a Dublin candidate's clock.
    ['the candidate\'s own clock in Dublin', '2026-06-04T13:00:00Z', 'Europe/Dublin'],
    // A Dublin recruiter's floating entry read on a Kolkata candidate's clock.
    ['the candidate\'s own clock in Kolkata', '2026-06-04T08:30:00Z', 'Asia/Kolkata'],
  ])('an instant on %s takes nothing and flags nothing', (_name, start, candidateZone) => {
    const r = read({ name: '', source: SOURCE, text: 'Telephonic interview on Thursday at 2:00 PM IST', start, candidateZone });
    expect(r.kind).toBe('agrees');
    expect(zoneOf(r)).toBeNull();
  });
  it('an instant on none of its clocks is not called wrong', () => {
    expect(read({ name: '', source: SOURCE, text: 'Telephonic interview at 2:00 PM IST', start: '2026-06-04T18:00:00Z' }).kind).toBe('none');
  });
});

describe('a stated call time that is not the event\'s instant', () => {
  it('says both times on the candidate\'s clock: 10:00 AM PT in the text, the entry at 10:00 AM Eastern (https://interview-email-templates.pages.dev/interview-reminder-email-template/)', () => {
    const r = read({ name: '', source: '', field: 'title', text: 'Reminder: Phone Screen with Contoso - tomorrow at 10:00 AM PT', start: '2026-06-02T14:00:00Z' });
    expect(r.kind).toBe('differs');
    if (r.kind !== 'differs') return;
    expect(r.evidence.text).toBe('the invitation says 10:00 AM Pacific (1:00 PM Eastern); the calendar entry is at 10:00 AM Eastern: check which before the confirmation is sent');
    expect(r.stated).toBe(Date.parse('2026-06-02T17:00:00Z'));
  });

  it('a Greenhouse range in EDT on an entry floated into Pacific (https://github.com/nextcloud/calendar/issues/8487)', () => {
    const r = read({ name: '', source: '', text: 'Tuesday, March 10th 3:00pm - 3:30pm EDT', start: '2026-03-10T22:00:00Z', candidateZone: 'America/Los_Angeles' });
    expect(r.kind).toBe('differs');
  });

  it('names the stated time once when it reads the same on the candidate\'s clock (https://www.livecareer.com/interview-questions/phone-interview-letter)', () => {
    const r = read({ name: '', source: '', text: 'I\'ll give you a call on Tuesday at 10:00 AM Pacific.', start: '2026-06-02T19:00:00Z', candidateZone: 'America/Los_Angeles' });
    expect(r.kind === 'differs' ? r.evidence.text : '').toBe('the invitation says 10:00 AM Pacific; the calendar entry is at 12:00 noon Pacific: check which before the confirmation is sent');
  });
});

describe('times that are not the call are not flagged', () => {
  const cases: Case[] = [
    { name: 'a reply deadline', source: 'https://www.hirect.in/blog/what-are-recruiters-looking-for-in-a-phone-interview/', text: 'Kindly confirm your availability by 5:00 PM ET today.', start: '2026-06-02T18:00:00Z' },
    { name: 'the old time of a rescheduled call', source: 'https://letterin.net/member/letter-template-interview-rescheduling-request', text: 'The interview originally scheduled for 2:00 PM ET has moved; Dana will call you.', start: '2026-06-02T19:00:00Z' },
    { name: 'the time it replaces', source: 'https://letterin.net/member/letter-template-interview-rescheduling-request', text: 'New time confirmed, instead of 10:00 AM PT.', start: '2026-06-02T19:00:00Z' },
    { name: 'office hours', source: 'https://talentnow.net/docs/schedule-interviews', text: 'Our recruiting team is available 9:00 AM - 5:00 PM PT.', start: '2026-06-02T18:00:00Z' },
    { name: 'two proposed slots', source: 'https://interview-email-templates.pages.dev/interview-reminder-email-template/', text: 'Option 1: Tuesday 10:00 AM PT\nOption 2: Wednesday 2:00 PM PT', start: '2026-06-02T13:00:00Z' },
    { name: 'a quoted header', source: 'https://github.com/career-ops-hq/career-ops/pull/663', text: 'On Mon, Mar 9, 2026 at 4:12 PM EST Dana Lee <dana@example.com> wrote:', start: '2026-03-10T14:00:00Z' },
    { name: 'IST off all its clocks', source: 'https://timemeaning.com/learn/ambiguous-timezone-abbreviations', text: 'Telephonic round at 11:00 AM IST', start: '2026-06-02T14:00:00Z' },
    { name: 'CST off both clocks', source: 'https://timemeaning.com/learn/ambiguous-timezone-abbreviations', text: 'Phone interview at 10:00 AM CST', start: '2026-06-02T14:00:00Z' },
    { name: 'a bare number is no clock', source: 'https://talentnow.net/docs/schedule-interviews', text: 'The call takes 30 PT minutes', start: '2026-06-02T14:00:00Z' },
  ];
  for (const c of cases) {
    it(`${c.name} (${c.source})`, () => {
      expect(read(c).kind).not.toBe('differs');
      expect(zoneOf(read(c)) ?? null).toBeNull();
    });
  }
});

describe('noon and midnight, in words or beside 12', () => {
  // Our own emails write "12:00 noon Pacific" (zones.ts); house styles write "12.00 noon" and
  // "12.00 midnight" (St John Ambulance, http://my.sja.org.uk/resource/our-voice/house-style/t.aspx),
  // GOV.UK "midday" and "midnight" (https://www.gov.uk/guidance/style-guide/a-to-z-of-gov-uk-style#times,
  // quoted in https://githubissues.com/nhsuk/nhsuk-service-manual-community-backlog/268); a candidate's
  // phone interview "at noon" (https://fr.glassdoor.be/Entretien/Adactin-Group-Entretien-E2004174-RVW48029238.htm).
  const SOURCES = 'docs/emails, St John Ambulance house style, GOV.UK A to Z, Glassdoor';
  const agree: (Case & { readonly zone: string | null })[] = [
    { name: '12:00 noon PT, as our emails write it', source: SOURCES, text: 'Dana will call you on Tuesday at 12:00 noon PT.', start: '2026-06-02T19:00:00Z', zone: 'America/Los_Angeles' },
    { name: '12 noon ET', source: SOURCES, text: 'Phone screen on Tuesday at 12 noon ET', start: '2026-06-02T16:00:00Z', candidateZone: 'America/Los_Angeles', zone: 'America/New_York' },
    { name: 'noon ET', source: SOURCES, text: 'Your phone interview is tomorrow at noon ET.', start: '2026-06-02T16:00:00Z', candidateZone: 'America/Los_Angeles', zone: 'America/New_York' },
    { name: '12.00 noon UK time', source: SOURCES, text: 'Telephone interview: Tuesday 2 June, 12.00 noon UK time', start: '2026-06-02T11:00:00Z', zone: 'Europe/London' },
    { name: 'midday UK time', source: SOURCES, text: 'We will ring you at midday UK time on Tuesday.', start: '2026-06-02T11:00:00Z', zone: 'Europe/London' },
    { name: '12 midnight ET', source: SOURCES, text: 'Phone call at 12 midnight ET (our Tokyo team)', start: '2026-06-03T04:00:00Z', candidateZone: 'America/Los_Angeles', zone: 'America/New_York' },
    { name: '11:30am - 12 noon PT, a range ending at noon', source: SOURCES, text: 'Phone Screen 11:30am - 12 noon PT', start: '2026-06-02T18:30:00Z', zone: 'America/Los_Angeles' },
    { name: 'noon - 12:30pm PT, a range starting at noon', source: SOURCES, text: 'Phone Screen noon - 12:30pm PT', start: '2026-06-02T19:00:00Z', zone: 'America/Los_Angeles' },
  ];
  for (const c of agree) {
    it(`${c.name} is the event's instant (${c.source})`, () => {
      const r = read(c);
      expect(r.kind).toBe('agrees');
      expect(zoneOf(r)).toBe(c.zone);
    });
  }

  it('reads "12:00 noon PT" on an entry at noon Eastern as a different time, and says both as our emails write noon', () => {
    const r = read({ name: '', source: SOURCES, text: 'Dana will call you at 12:00 noon PT.', start: '2026-06-02T16:00:00Z' });
    expect(r.kind).toBe('differs');
    if (r.kind !== 'differs') return;
    expect(r.stated).toBe(Date.parse('2026-06-02T19:00:00Z'));
    expect(r.evidence.text).toBe('the invitation says 12:00 noon Pacific (3:00 PM Eastern); the calendar entry is at 12:00 noon Eastern: check which before the confirmation is sent');
  });

  it('reads "12 noon - 1 PT" as an hour from noon, so that an hour-long entry at noon Eastern is a different time', () => {
    // The range's end without its PM is after noon, as "10:30 - 11" is half an hour.
    const r = read({ name: '', source: SOURCES, text: 'Phone screen 12 noon - 1 PT', start: '2026-06-02T16:00:00Z', minutes: 60 });
    expect(r.kind).toBe('differs');
    if (r.kind === 'differs') expect(r.stated).toBe(Date.parse('2026-06-02T19:00:00Z'));
  });

  const none: Case[] = [
    { name: '"afternoon" holds no noon', source: SOURCES, text: 'Dana will call you on Tuesday afternoon PT.', start: '2026-06-02T22:00:00Z' },
    { name: '"11 noon" is no time', source: SOURCES, text: 'Phone screen at 11 noon PT', start: '2026-06-02T22:00:00Z' },
  ];
  for (const c of none) {
    it(`${c.name}`, () => {
      expect(read(c)).toEqual({ kind: 'none' });
    });
  }
});

describe('the zone words', () => {
  it('name only zones the runtime knows, as tzdata spells them', () => {
    const words: Record<string, unknown>[] = [...Object.values(data.abbreviations), ...Object.values(data.names)];
    const zones = words.flatMap((word) => [word.zone, word.or, word.also].flat()).filter((zone) => zone !== undefined);
    expect(zones.length).toBeGreaterThan(60);
    for (const zone of zones) expect(knownZone(String(zone))).toBe(zone);
  });
});

describe('whose zone the emails show', () => {
  const base = { timeZone: 'UTC', role: 'accepted' as const, statedZone: 'America/Los_Angeles' };
  it('the stated zone, on an event stored in UTC', () => {
    expect(interviewRecipientZone(base, null, 'America/New_York')).toBe('America/Los_Angeles');
  });
  it('the stated zone over the candidate\'s own zone stamped on the event by an import', () => {
    expect(interviewRecipientZone({ ...base, timeZone: 'America/New_York' }, null, 'America/New_York')).toBe('America/Los_Angeles');
  });
  it('the zone the user set wins', () => {
    expect(interviewRecipientZone(base, 'Europe/London', 'America/New_York')).toBe('Europe/London');
  });
  it('the organizer\'s own event zone wins', () => {
    expect(interviewRecipientZone({ ...base, timeZone: 'America/Chicago' }, null, 'America/New_York')).toBe('America/Chicago');
  });
  it('on an event the candidate organised, the stated zone still tells', () => {
    expect(interviewRecipientZone({ ...base, role: 'organizer', timeZone: 'America/New_York' }, null, 'America/New_York')).toBe('America/Los_Angeles');
  });
  it('nothing stated, nothing known', () => {
    expect(interviewRecipientZone({ timeZone: 'UTC', role: 'accepted' }, null, 'America/New_York')).toBeNull();
  });
});

describe('detection', () => {
  const settings = {
    candidate: { name: 'Ada Park', email: 'ada@example.org', phone: '+14155550100', timezone: 'America/New_York' },
    detection: { keywords: [], defaultDirection: 'interviewer-calls' as const, freeMailDomains: [] },
  };
  function event(start: string, description: string) {
    const t = Date.parse(start);
    return {
      id: 'e1', title: 'Phone Screen - Ada Park', description, location: 'Phone', start: t, end: t + 30 * MIN, timeZone: 'UTC',
      allDay: false, status: 'confirmed' as const, organizer: { name: 'Dana Lee', email: 'dana@acme.example' },
      attendees: [{ name: 'Ada Park', email: 'ada@example.org', status: 'accepted' as const }, { name: 'Dana Lee', email: 'dana@acme.example', status: 'accepted' as const }],
      categories: [], tags: {}, conferencePhones: [],
    };
  }
  // Greenhouse's range with its abbreviation (https://github.com/nextcloud/calendar/issues/8487 for the shape).
  const line = 'Your phone interview with Acme is confirmed: Tuesday, March 10th 3:00pm - 3:30pm PDT. Dana will call you.';
  it('keeps the zone of a stated time that is the event\'s instant, without review', () => {
    const a = analyse(event('2026-03-10T22:00:00Z', line), settings);
    expect(a.result.kind).toBe('interview');
    if (a.result.kind !== 'interview') return;
    expect(a.result.detection.statedZone).toBe('America/Los_Angeles');
    expect(a.review).toBe(false);
  });
  it('puts one whose stated time is not the event\'s up for review, with the explain line', () => {
    const a = analyse(event('2026-03-10T19:00:00Z', line), settings);
    expect(a.review).toBe(true);
    expect(a.confidence).toBeLessThan(0.65);
    if (a.result.kind !== 'interview') throw new Error('not an interview');
    expect(a.result.detection.statedZone).toBeUndefined();
    expect(a.result.detection.evidence?.[0]?.text).toBe('the invitation says 3:00 PM Pacific (6:00 PM Eastern); the calendar entry is at 3:00 PM Eastern: check which before the confirmation is sent');
  });
  it('a user\'s mark settles it', () => {
    const a = analyse(event('2026-03-10T19:00:00Z', line), settings, { kind: 'phone', at: 0 });
    expect(a.review).toBe(false);
  });
  it('keeps India for an IST time on India\'s clock, so that the confirmation writes the recruiter\'s time', () => {
    // The wording of a tool that writes IST for India (https://github.com/darshuprajapati10/meeting, TIMEZONE_VERIFICATION.md).
    const a = analyse(event('2026-03-10T08:30:00Z', 'Dana will call you on Tuesday at 2:00 PM IST for a telephonic interview.'), settings);
    if (a.result.kind !== 'interview') throw new Error('not an interview');
    expect(a.result.detection.statedZone).toBe('Asia/Kolkata');
    expect(a.review).toBe(false);
    const start = Date.parse('2026-03-10T08:30:00Z');
    const interview: Interview = {
      id: 'ivstated0002', sourceId: 'cal', eventId: 'e1', revision: 1, revisionKey: 'k', status: 'scheduled', rescheduled: 0,
      outcome: null, outcomeSource: null, firstSeen: start - 86_400_000, title: 'Phone Screen - Ada Park', start, end: start + 30 * MIN,
      timeZone: 'UTC', statedZone: a.result.detection.statedZone, counterpart: { name: 'Dana Lee', email: 'dana@acme.example' }, company: 'acme.example',
      number: null, direction: 'interviewer-calls', role: 'accepted', notes: '', taggedOutcome: null,
    };
    const email = composeConfirmation({ interview, candidate: settings.candidate, messageId: '<m@example.org>', now: start - 60 * MIN, shortNotice: false });
    expect(email.text).toContain('today at 4:30 AM Eastern (2:00 PM India time for you)');
  });
});

describe('the no-show note and the apology', () => {
  const start = Date.parse('2026-03-10T22:00:00Z');
  const interview: Interview = {
    id: 'ivstated0001', sourceId: 'cal', eventId: 'e1', revision: 1, revisionKey: 'k', status: 'scheduled', rescheduled: 0,
    outcome: null, outcomeSource: null, firstSeen: start - 86_400_000, title: 'Phone Screen - Ada Park', start, end: start + 30 * MIN,
    timeZone: 'UTC', statedZone: 'America/Los_Angeles', counterpart: { name: 'Dana Lee', email: 'dana@acme.example' }, company: 'acme.example',
    number: '+14155550100', direction: 'interviewer-calls', role: 'accepted', notes: '', taggedOutcome: null,
  };
  const base = { interview, candidate: { name: 'Ada Park', email: 'ada@example.org', phone: '+14155550100', timezone: 'America/New_York' }, messageId: '<ringback.ivstated0001.x.1@example.org>' };
  const slot = { start: Date.parse('2026-03-12T17:00:00Z'), end: Date.parse('2026-03-12T17:30:00Z') };
  it('name the time on the interviewer\'s clock too, as the invitation stated it', () => {
    const noShow = composeNoShow({ ...base, now: start + 15 * MIN, escalation: decideEscalation({ interviewerNoShows: 1, candidateMisses: 0 }, { askToCallAfter: 2, moveOnAfter: 2 }), level: 1, availableUntil: start + 30 * MIN, slots: [slot] });
    expect(noShow.text).toContain('6:00 PM Eastern (3:00 PM Pacific for you)');
    const apology = composeApology({ ...base, now: start + 40 * MIN, slots: [slot], replyTo: null });
    expect(apology.text).toContain('10:00 AM Pacific');
  });
});
