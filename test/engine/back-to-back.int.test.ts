/**
 * Two phone screens back to back, as a job seeker's day often has them: one at 10:00 with Acme,
 * the next at 10:30 with Globex. Acme does not call; at 10:15 the no-show note to Acme says until
 * when the candidate keeps the phone free. The article's half hour from then (10:45) runs into the
 * Globex call: a recruiter who takes "free until 10:45" at its word calls at 10:35 and finds the
 * line busy, a second missed call. Real Redis and workers, the ics source, the Maildir.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { clockWithZone } from '../../src/domain/zones.js';
import { briefFor } from '../../src/read/brief.js';
import { getInterview } from '../../src/store/interviews.js';
import { CANDIDATE, MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const GLOBEX = {
  title: 'Phone screen - Globex',
  description: 'Sam will call you.',
  organizer: { name: 'Sam Ortiz', email: 'sam.ortiz@globex.example' },
  attendees: [
    { name: CANDIDATE.name, email: CANDIDATE.email, status: 'accepted' as const },
    { name: 'Sam Ortiz', email: 'sam.ortiz@globex.example', status: 'accepted' as const },
  ],
};

async function noShowNoteOf(harness: EngineHarness, id: string): Promise<string> {
  await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('no-show'));
  const note = (await harness.folder('Drafts')).find((f) => f.mail.messageId?.includes(`${id}.noshow.`));
  return (note?.mail.text ?? '').replace(/\s+/g, ' ');
}

describe('a call missed by the interviewer with the next call soon after it', () => {
  it('the no-show note keeps the phone free only until the next call begins, not into it', async () => {
    h = await startEngineHarness({ timing: { confirmLeadMinutes: 15, waitMinutes: 15, giveUpMinutes: 30 } });
    const start = Math.floor((h.now() + 2 * 60 * MINUTE) / MINUTE) * MINUTE;
    const next = start + 30 * MINUTE;
    await h.setEvents([interviewEvent({ uid: 'acme', start }), interviewEvent({ uid: 'globex', start: next, ...GLOBEX })]);
    await h.sync();
    await h.start();
    const acme = interviewIdFor('cal', 'acme');

    await h.advance(start + 15 * MINUTE + 1000 - h.now());
    const text = await noShowNoteOf(h, acme);
    const zone = CANDIDATE.timezone;
    expect(text).toContain(`I will keep my phone free until ${clockWithZone(next, zone)}`);
    expect(text).not.toContain(clockWithZone(start + 45 * MINUTE, zone));
  });

  // Guard (passed before the change): with nothing after it, the article's half hour stands.
  it('with the next call after the half hour, the note keeps the half hour', async () => {
    h = await startEngineHarness({ timing: { confirmLeadMinutes: 15, waitMinutes: 15, giveUpMinutes: 30 } });
    const start = Math.floor((h.now() + 2 * 60 * MINUTE) / MINUTE) * MINUTE;
    await h.setEvents([interviewEvent({ uid: 'acme', start }), interviewEvent({ uid: 'globex', start: start + 60 * MINUTE, ...GLOBEX })]);
    await h.sync();
    await h.start();
    const acme = interviewIdFor('cal', 'acme');

    await h.advance(start + 15 * MINUTE + 1000 - h.now());
    const text = await noShowNoteOf(h, acme);
    expect(text).toContain(`I will keep my phone free until ${clockWithZone(start + 45 * MINUTE, CANDIDATE.timezone)}`);
  });

  // The brief, read before the call, told the user to stay available until the half hour's end
  // (10:45) while the note to the recruiter said 10:30: it now reads the same busy times.
  it('the brief read before the call names the same time as the note will', async () => {
    h = await startEngineHarness({ timing: { confirmLeadMinutes: 15, waitMinutes: 15, giveUpMinutes: 30 } });
    const start = Math.floor((h.now() + 2 * 60 * MINUTE) / MINUTE) * MINUTE;
    const next = start + 30 * MINUTE;
    await h.setEvents([interviewEvent({ uid: 'acme', start }), interviewEvent({ uid: 'globex', start: next, ...GLOBEX })]);
    await h.sync();
    const acme = await getInterview(h.engine.store, interviewIdFor('cal', 'acme'));
    expect(acme).not.toBeNull();
    if (acme === null) return;
    const text = (await briefFor(h.engine.store, h.config, acme, h.now())).replace(/\s+/g, ' ');
    const zone = CANDIDATE.timezone;
    expect(text).toContain(`Stay available until ${clockWithZone(next, zone)}`);
    expect(text).toContain(`I will stay available until ${clockWithZone(next, zone)}`);
    expect(text).not.toContain(clockWithZone(start + 45 * MINUTE, zone));
  });
});
