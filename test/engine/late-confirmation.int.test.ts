/**
 * A confirmation that says when the call is ("in 45 minutes", "tomorrow at") and leaves later
 * than planned (the daemon was asleep, the mailbox was down) says it as of when it leaves, unless
 * the user changed the draft: then it goes as they left it. Found by the randomised timelines
 * (timeline-stories.int.test.ts): "in 44 minutes" sent 13 minutes before the call, and "tomorrow
 * at 12:32 AM" sent after midnight.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { DateTime } from 'luxon';
import { CANDIDATE, MINUTE, draftedAhead, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const TIMING = { confirmLeadMinutes: 60, minLeadMinutes: 10, reviewMinutes: 5 };

async function draftedFiftyMinutesAhead(uid: string): Promise<{ harness: EngineHarness; id: string; start: number }> {
  const harness = await startEngineHarness({ timing: TIMING });
  const { id, start } = await draftedAhead(harness, uid, 50 * MINUTE);
  const [draft] = await harness.folder('Drafts');
  expect(draft?.mail.text).toMatch(/in 45 minutes, at /);
  return { harness, id, start };
}

describe('a short-notice confirmation that leaves late', () => {
  it('says how soon the call is when it leaves, not when it was planned to', async () => {
    const { harness, id, start } = await draftedFiftyMinutesAhead('late1');
    h = harness;
    // Twenty minutes pass before the send runs (planned five minutes after the draft).
    await h.advance(20 * MINUTE);
    const sent = await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    const [mail] = await h.folder('Sent');
    const left = Math.round((start - sent.at) / MINUTE);
    expect(left).toBeGreaterThanOrEqual(29);
    expect(mail?.mail.text).toContain(`in ${left} minutes, at `);
    expect(mail?.mail.text).not.toContain('in 45 minutes');
    expect(mail?.mail.html).toContain(`in ${left} minutes, at `);
    expect(mail?.mail.messageId).toBe(`<ringback.${id}.confirmation.1@example.org>`);
    expect(await h.folder('Drafts')).toHaveLength(0);
  });

  it('says "today" when it leaves after midnight, not the "tomorrow" of its draft', async () => {
    h = await startEngineHarness({ timing: TIMING });
    // The call at 00:32 in New York; the draft is written at 23:00 the evening before.
    const midnight = DateTime.fromMillis(h.now(), { zone: CANDIDATE.timezone }).plus({ days: 1 }).startOf('day').toMillis();
    const start = midnight + 32 * MINUTE;
    await h.advance(start - 92 * MINUTE - h.now());
    await h.setEvents([interviewEvent({ uid: 'late3', start })]);
    await h.start();
    await h.sync();
    const id = interviewIdFor('cal', 'late3');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    const [draft] = await h.folder('Drafts');
    expect(draft?.mail.subject).toBe('Confirming our phone interview tomorrow at 12:32 AM Eastern');
    // The send, due at 23:32, runs at 00:05.
    await h.advance(65 * MINUTE);
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    const [mail] = await h.folder('Sent');
    expect(mail?.mail.subject).toBe('Confirming our phone interview today at 12:32 AM Eastern');
    expect(mail?.mail.text).toContain('our phone interview today at 12:32 AM Eastern.');
  });

  it('leaves a draft the user edited as they left it', async () => {
    const { harness, id } = await draftedFiftyMinutesAhead('late2');
    h = harness;
    const [draft] = await h.folder('Drafts');
    const raw = await readFile(draft?.path as string, 'utf8');
    await writeFile(draft?.path as string, raw.replaceAll('I look forward', 'P.S. edited by Ada. I look forward'));
    await h.advance(20 * MINUTE);
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    const [mail] = await h.folder('Sent');
    expect(mail?.mail.text).toContain('P.S. edited by Ada.');
    expect(mail?.mail.text).toContain('in 45 minutes, at ');
  });
});
