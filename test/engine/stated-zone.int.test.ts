/**
 * An ATS invitation stored in UTC whose text states the interviewer's clock, Greenhouse-style
 * ("Tuesday, March 10th 3:00pm - 3:30pm PDT"; the same shape in a Google title,
 * https://github.com/nextcloud/calendar/issues/8487): the confirmation shows the time on the
 * interviewer's clock too. One whose text states a Pacific time that is not the entry's instant (a
 * floating entry, https://interview-email-templates.pages.dev/interview-reminder-email-template/:
 * "Phone Screen with Contoso - tomorrow at 10:00 AM PT") needs review, its confirmation stays a
 * draft, and `explain` names both times. One whose text states its time on a bare offset
 * ("(GMT+05:30)") gives the recruiter that clock for that call, and no zone. Real Redis, real
 * workers, the ics source and the Maildir.
 */
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { clockWithZone } from '../../src/domain/zones.js';
import { explanationOf, findEvent } from '../../src/read/explain.js';
import { getInterview } from '../../src/store/interviews.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

const HOUR = 60 * MINUTE;
const PACIFIC = 'America/Los_Angeles';
let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

/** "Tuesday, March 10th 3:00pm - 3:30pm PDT", as Greenhouse writes it, for the interview at `start`. */
function greenhouseLine(start: number, zone: string): string {
  const at = DateTime.fromMillis(start, { zone, locale: 'en-US' });
  const end = at.plus({ minutes: 30 });
  const day = at.day;
  const suffix = day % 10 === 1 && day !== 11 ? 'st' : day % 10 === 2 && day !== 12 ? 'nd' : day % 10 === 3 && day !== 13 ? 'rd' : 'th';
  const clock = (t: DateTime): string => t.toFormat('h:mma').toLowerCase();
  return `${at.toFormat('cccc, LLLL d')}${suffix} ${clock(at)} - ${clock(end)} ${at.toFormat('ZZZZ')}`;
}

describe('the interviewer\'s zone stated in the invitation\'s text', () => {
  it('a UTC entry whose text states its own time in Pacific gets a confirmation with the Pacific time; a mismatch stays a draft for review', async () => {
    const harness = await startEngineHarness({ timing: { confirmLeadMinutes: 15 } });
    h = harness;
    const start = Math.floor((harness.now() + 3 * HOUR) / MINUTE) * MINUTE;
    const stated = greenhouseLine(start, PACIFIC);
    expect(stated).toMatch(/ P[SD]T$/);
    // The floating entry: "10:00 AM PT" in the text, the entry at 10:00 AM on the candidate's (Eastern) clock.
    const eastern = DateTime.fromMillis(start + HOUR, { zone: 'America/New_York' });
    const wrong = `${eastern.toFormat('h:mm a')} PT`;
    await harness.setEvents([
      interviewEvent({
        uid: 'gh-utc',
        start,
        title: 'Phone Screen - Ada Park (Platform Engineer)',
        description: `Hi Ada,\n\nYour interview with Acme is confirmed.\n\n${stated}\nPhone Screen with Dana Whitfield\n\nDana will call you at +1 415 555 0100.`,
      }),
      interviewEvent({
        uid: 'floating',
        start: start + HOUR,
        end: start + HOUR + 30 * MINUTE,
        title: `Reminder: Phone Screen with Acme - tomorrow at ${wrong}`,
        description: 'Dana will call you at +1 415 555 0100.',
      }),
    ]);
    await harness.start();
    await harness.sync();
    const good = interviewIdFor('cal', 'gh-utc');
    const bad = interviewIdFor('cal', 'floating');

    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === good);
    const record = await getInterview(harness.runtime.store, good);
    expect(record).toMatchObject({ timeZone: 'UTC', statedZone: PACIFIC });
    expect(record?.review).toBe(false);
    const confirmation = (await harness.folder('Drafts')).find((f) => f.mail.messageId?.includes(`${good}.confirmation`));
    // The recruiter's reading, with their weekday and date in front when their day is not the
    // candidate's (a call just after midnight Eastern is the evening before in Pacific).
    const pacific = clockWithZone(start, PACIFIC).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(confirmation?.mail.text).toMatch(new RegExp(`\\((?:[A-Z][a-z]+day, [A-Z][a-z]+ \\d{1,2}, )?${pacific} for you\\)`));

    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === bad);
    const flagged = await getInterview(harness.runtime.store, bad);
    expect(flagged?.review).toBe(true);
    expect(flagged?.statedZone).toBeUndefined();
    const detected = await harness.waitForAudit((r) => r.type === 'detected' && r.interviewId === bad);
    expect(detected.message).toContain('needs review');
    const draft = (await harness.folder('Drafts')).find((f) => f.mail.messageId?.includes(`${bad}.confirmation`));
    expect(draft?.mail.text).toContain('Eastern');
    expect(draft?.mail.text).not.toContain('Pacific');
    const explained = explanationOf(await findEvent(harness.runtime.store, bad));
    expect(explained.check).toBe(
      `the invitation says ${clockWithZone(start + 4 * HOUR, PACIFIC)} (${clockWithZone(start + 4 * HOUR, 'America/New_York')}); the calendar entry is at ${clockWithZone(start + HOUR, 'America/New_York')}: check which before the confirmation is sent`,
    );
  });

  it('a UTC entry whose text states its time on a bare offset: that clock for this call, kept with its instant, no zone', async () => {
    const harness = await startEngineHarness({ timing: { confirmLeadMinutes: 15 } });
    h = harness;
    const start = Math.floor((harness.now() + 3 * HOUR) / MINUTE) * MINUTE;
    // A booking tool's invitee time (stored file #35666004546: "Thursday, Jan 29, 2026 at 3:30 PM - 4:20 PM (GMT+05:30)").
    const at = DateTime.fromMillis(start, { zone: 'UTC+5:30', locale: 'en-US' });
    const stated = `${at.toFormat("cccc, LLL d, yyyy 'at' h:mm a")} - ${at.plus({ minutes: 30 }).toFormat('h:mm a')} (GMT+05:30)`;
    await harness.setEvents([
      interviewEvent({ uid: 'offset-utc', start, title: 'Phone Screen - Ada Park', description: `Your phone interview with Acme: ${stated}.\n\nDana will call you at +1 415 555 0100.` }),
    ]);
    await harness.start();
    await harness.sync();
    const id = interviewIdFor('cal', 'offset-utc');
    await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    const record = await getInterview(harness.runtime.store, id);
    expect(record).toMatchObject({ timeZone: 'UTC', statedOffset: { at: start, offset: 330 } });
    expect(record?.statedZone).toBeUndefined();
    expect(record?.review).toBe(false);
    const confirmation = (await harness.folder('Drafts')).find((f) => f.mail.messageId?.includes(`${id}.confirmation`));
    expect(confirmation?.mail.text).toMatch(new RegExp(`\\((?:[A-Z][a-z]+day, [A-Z][a-z]+ \\d{1,2}, )?${at.toFormat('h:mm a').replace('12:00 PM', '12:00 noon')} GMT\\+5:30 for you\\)`));
  });
});
