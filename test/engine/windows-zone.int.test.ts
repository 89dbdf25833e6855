/**
 * An Outlook invitation whose times are in a Windows zone ("W. Europe Standard Time", quoted, no
 * VTIMEZONE, as Outlook and Teams send it), through the whole engine: real Redis and workers, the
 * ics source, the Maildir mailbox. The interview is at the instant the interviewer meant, and the
 * confirmation shows the interviewer their own time, since their zone differs from the
 * candidate's (New York). Before the Windows names were read, the entry was left out as an
 * "unknown time zone" and no confirmation was written at all.
 */
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { getInterview } from '../../src/store/interviews.js';
import { CANDIDATE, MINUTE, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

/** The invitation as Outlook writes it (test/fixtures/ics/writers/teams-romance-no-vtimezone.ics). */
function outlookInvitation(berlinWall: DateTime): string {
  const local = berlinWall.toFormat("yyyyMMdd'T'HHmmss");
  const end = berlinWall.plus({ minutes: 30 }).toFormat("yyyyMMdd'T'HHmmss");
  return [
    'BEGIN:VCALENDAR',
    'METHOD:REQUEST',
    'PRODID:Microsoft Exchange Server 2010',
    'VERSION:2.0',
    'BEGIN:VEVENT',
    'ORGANIZER;CN="Jonas Meyer":mailto:jonas.meyer@tailspin.example',
    `ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=TRUE;CN="${CANDIDATE.name}":mailto:${CANDIDATE.email}`,
    'DESCRIPTION;LANGUAGE=en-US:Phone interview. Jonas will call you on your mobile.\\n',
    'UID:040000008200E00074C5B7101A82E00800000000A0D2D90B231FD701000000000000000',
    ' 010000000F4696E381B0A2941B41DA876D1CC0FB4',
    'SUMMARY;LANGUAGE=en-US:Phone interview - Tailspin',
    `DTSTART;TZID="W. Europe Standard Time":${local}`,
    `DTEND;TZID="W. Europe Standard Time":${end}`,
    'CLASS:PUBLIC',
    'PRIORITY:5',
    'DTSTAMP:20240101T000000Z',
    'TRANSP:OPAQUE',
    'STATUS:CONFIRMED',
    'SEQUENCE:0',
    'LOCATION;LANGUAGE=en-US:Phone',
    'X-MICROSOFT-CDO-BUSYSTATUS:BUSY',
    'X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY',
    'X-MICROSOFT-CDO-ALLDAYEVENT:FALSE',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

describe('an Outlook invitation in a Windows time zone', () => {
  it('gives an interview at the right instant, and a confirmation with the interviewer\'s own time', async () => {
    h = await startEngineHarness();
    // Three hours ahead, on a whole minute, written as Berlin wall-clock time.
    const instant = Math.floor((h.now() + 180 * MINUTE) / MINUTE) * MINUTE;
    const berlin = DateTime.fromMillis(instant, { zone: 'Europe/Berlin' });
    await h.setCalendarText(outlookInvitation(berlin));
    // Synced before the workers start: their own first sync would otherwise race this one.
    const summary = await h.sync();
    await h.start();
    expect(summary.interviewsNew).toBe(1);

    const id = interviewIdFor('cal', '040000008200E00074C5B7101A82E00800000000A0D2D90B231FD701000000000000000010000000F4696E381B0A2941B41DA876D1CC0FB4');
    const interview = await getInterview(h.runtime.store, id);
    expect({ start: interview?.start, end: interview?.end, timeZone: interview?.timeZone }).toEqual({
      start: instant,
      end: instant + 30 * MINUTE,
      timeZone: 'Europe/Berlin',
    });

    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    const [draft] = await h.folder('Drafts');
    expect(JSON.stringify(draft?.mail.to)).toContain('jonas.meyer@tailspin.example');
    // The candidate's time in New York, and the interviewer's in Berlin (CET or CEST by the day).
    const text = (draft?.mail.text ?? '').replace(/\s+/g, ' ');
    const newYork = DateTime.fromMillis(instant, { zone: CANDIDATE.timezone }).toFormat('h:mm a').replace('12:00 PM', '12:00 noon');
    expect(text).toContain(`${newYork} Eastern`);
    // Berlin's date comes first when it is not New York's (an evening call in New York is past midnight there).
    const otherDay = berlin.toISODate() === DateTime.fromMillis(instant, { zone: CANDIDATE.timezone }).toISODate() ? '' : `${berlin.toFormat('cccc, LLLL d')}, `;
    expect(text).toContain(`(${otherDay}${berlin.toFormat('HH:mm')} CE`);
    expect(text).toMatch(new RegExp(`\\(${otherDay}${berlin.toFormat('HH:mm')} CES?T for you\\)`));
  });
});
