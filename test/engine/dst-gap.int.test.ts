/**
 * A call in the weeks when the US and the EU change their clocks on different Sundays: an
 * interviewer in London (the invitation's zone) and a candidate in New York are 4 hours apart
 * from 2027-03-14 to 2027-03-28 and from 2027-10-31 to 2027-11-07, 5 the rest of the year
 * (https://www.timeanddate.com/time/dst/2027.html). The confirmation gives the interviewer their
 * own clock in subject and body, leaves at the instant an hour before the call, and the no-show
 * note offers times inside working hours on both clocks. Real Redis and workers, the ics source
 * and the Maildir.
 */
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { clockWithZone } from '../../src/domain/zones.js';
import { getActionRecords } from '../../src/store/interviews.js';
import { CANDIDATE, MINUTE, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

const LONDON = 'Europe/London';
let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

/** A Google Calendar invitation from London (TZID an IANA name, as Google writes it). */
function londonInvitation(uid: string, wall: DateTime): string {
  const at = (t: DateTime): string => t.toFormat("yyyyMMdd'T'HHmmss");
  return [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Google Inc//Google Calendar 70.9054//EN', 'METHOD:REQUEST',
    'BEGIN:VEVENT',
    `DTSTART;TZID=${LONDON}:${at(wall)}`,
    `DTEND;TZID=${LONDON}:${at(wall.plus({ minutes: 30 }))}`,
    'DTSTAMP:20270101T000000Z',
    'ORGANIZER;CN=Priya Shah:mailto:priya.shah@fabrikam.example',
    `UID:${uid}`,
    `ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=${CANDIDATE.name}:mailto:${CANDIDATE.email}`,
    'ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Priya Shah:mailto:priya.shah@fabrikam.example',
    'SUMMARY:Phone interview - Fabrikam',
    'DESCRIPTION:Priya will call you on your mobile.',
    'STATUS:CONFIRMED', 'SEQUENCE:0',
    'END:VEVENT', 'END:VCALENDAR', '',
  ].join('\r\n');
}

describe('a call between the US and the EU clock changes, interviewer in London', () => {
  for (const day of ['2027-03-18', '2027-11-03']) {
    it(`on ${day} (4 hours apart): the interviewer's clock in the confirmation, the send an hour before, offered times in both working days`, async () => {
      h = await startEngineHarness({ timing: { confirmLeadMinutes: 60 } });
      const wall = DateTime.fromISO(`${day}T15:00`, { zone: LONDON });
      const start = wall.toMillis();
      expect(DateTime.fromMillis(start, { zone: CANDIDATE.timezone }).hour).toBe(11); // 4 hours, not 5
      await h.advance(start - 3 * 60 * MINUTE - h.now());
      await h.setCalendarText(londonInvitation(`dst-${day}`, wall));
      await h.sync();
      await h.start();
      const id = interviewIdFor('cal', `dst-${day}`);
      await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
      const send = (await getActionRecords(h.runtime.store, id)).find((r) => r.kind === 'confirmation-send');
      expect(send?.dueAt).toBe(start - 60 * MINUTE);

      await h.advance(start - 60 * MINUTE - h.now());
      const went = await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
      expect(went.at).toBeGreaterThanOrEqual(start - 60 * MINUTE);
      expect(went.at).toBeLessThan(start - 55 * MINUTE);
      const [sent] = await h.folder('Sent');
      const text = (sent?.mail.text ?? '').replace(/\s+/g, ' ');
      const theirs = clockWithZone(start, LONDON);
      const mine = clockWithZone(start, CANDIDATE.timezone);
      expect(text).toContain(`${mine} (${theirs} for you)`);
      // A subject has room for one clock: the candidate's while the day is the same on both sides (zones.ts, subjectTime).
      expect(sent?.mail.subject).toContain(`today at ${mine}`);

      // Nobody called: the no-show note offers times inside working hours on both clocks.
      await h.advance(start + 16 * MINUTE - h.now());
      await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('no-show'));
      const noshow = (await h.folder('Drafts')).find((f) => f.mail.messageId?.includes(`${id}.noshow.`));
      const text2 = noshow?.mail.text ?? '';
      const slots = [...text2.matchAll(/^\s*- [A-Z][a-z]+day, [A-Z][a-z]+ \d{1,2}, (\d{1,2}):(\d{2}) (AM|PM) Eastern \((\d{2}):(\d{2}) GMT\)$/gm)];
      expect(slots.length).toBeGreaterThan(0);
      for (const [, hh, mm, half, gh, gm] of slots) {
        const eastern = (Number(hh) % 12) + (half === 'PM' ? 12 : 0);
        expect(Number(gh)).toBe(eastern + 4); // the gap of those weeks, not the usual 5
        expect(gm).toBe(mm);
        expect(eastern).toBeGreaterThanOrEqual(9);
        expect(Number(gh)).toBeGreaterThanOrEqual(8);
        expect(Number(gh)).toBeLessThan(18);
      }
      expect(text2.replace(/\s+/g, ' ')).toContain(`planned for today at ${mine} (${theirs} for you)`);
    });
  }
});
