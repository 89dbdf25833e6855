/**
 * The no-show note the daemon drafts for a recruiter known only by the offset their invitation
 * stated ("(GMT+05:30)") gives the until and the new times on that offset too (real Redis, real
 * workers, the ics source and the Maildir): before, only the missed call's own time was, and a
 * recruiter in India read "until 2:15 AM Eastern" and three times in Eastern, to work out alone.
 * India and Sri Lanka, the places on that offset, never change their clocks.
 */
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

const HOUR = 60 * MINUTE;
let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

describe('the no-show note to a recruiter on a stated offset', () => {
  it('gives the until and every new time on GMT+5:30 beside the candidate’s clock', async () => {
    // A working day from 06:00 in New York: its mornings are the end of India's working day.
    h = await startEngineHarness({
      timing: { confirmLeadMinutes: 15, waitMinutes: 15, giveUpMinutes: 30, bufferMinutes: 30 },
      extra: { workingHours: { start: '06:00', end: '20:00' } },
    });
    const start = Math.floor((h.now() + 2 * HOUR) / MINUTE) * MINUTE;
    // A booking tool's invitee time (stored file #35666004546: "Thursday, Jan 29, 2026 at 3:30 PM - 4:20 PM (GMT+05:30)").
    const at = DateTime.fromMillis(start, { zone: 'UTC+5:30', locale: 'en-US' });
    const stated = `${at.toFormat("cccc, LLL d, yyyy 'at' h:mm a")} - ${at.plus({ minutes: 30 }).toFormat('h:mm a')} (GMT+05:30)`;
    await h.setEvents([interviewEvent({ uid: 'offset-noshow', start, title: 'Phone Screen - Ada Park', description: `Your phone interview with Acme: ${stated}.\n\nDana will call you at +1 415 555 0100.` })]);
    await h.start();
    await h.sync();
    const id = interviewIdFor('cal', 'offset-noshow');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    await h.advance(2 * HOUR - 15 * MINUTE);
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    await h.advance(30 * MINUTE);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('no-show'));
    const note = (await h.folder('Drafts')).find((f) => f.mail.messageId?.includes(`${id}.noshow`));
    const text = note?.mail.text ?? '';
    expect(text).toMatch(/I will keep my phone free until [^.]+ Eastern \([^)]*GMT\+5:30\)\./);
    const times = text.split('\n').filter((line) => line.startsWith('  - '));
    expect(times.length).toBeGreaterThan(0);
    for (const line of times) expect(line).toMatch(/ Eastern \((?:[A-Z][a-z]+day, )?\d{1,2}:\d{2} (?:AM|PM|noon) GMT\+5:30\)$/);
  });
});
