/**
 * Drafts that speak of a call's old time, once the interviewer moves it. Real Redis and workers,
 * the ics source and the Maildir.
 *
 * - Moved after the no-show note was written (the interviewer, late, puts the call on tomorrow's
 *   calendar instead: a reschedule as the seed article advises, "ask to reschedule"): the note
 *   "I have not received your call yet" stayed in Drafts until the new time's note replaced it, a
 *   day later, one click from going to someone who had just rescheduled.
 * - Moved to a few minutes ahead, too soon for a confirmation (DESIGN.md: later than `minLead`, no
 *   confirmation): the draft confirming the old time stayed in Drafts until the call began, one
 *   click from telling the interviewer a time the call no longer has.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getActionRecords } from '../../src/store/interviews.js';
import { MINUTE, draftedAhead, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const subjects = async (folder: 'Drafts' | 'Sent') => (await h!.folder(folder)).map((m) => m.mail.subject ?? '');

describe('a call moved after a follow-up draft was written', () => {
  it('to tomorrow, after the no-show note: the note goes from Drafts at once, said in the audit, and a new one is written only at the new time', async () => {
    h = await startEngineHarness({ timing: { confirmLeadMinutes: 60 } });
    const { id, start } = await draftedAhead(h, 'moved-noshow', 90 * MINUTE);
    await h.advance(start - 60 * MINUTE - h.now());
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    await h.advance(start + 16 * MINUTE - h.now());
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.startsWith('no-show'));
    expect((await subjects('Drafts')).filter((s) => s.startsWith('Re: Confirming'))).toHaveLength(1);

    const later = start + 24 * 60 * MINUTE;
    await h.setEvents([interviewEvent({ uid: 'moved-noshow', start: later, sequence: 1 })]);
    await h.advance(MINUTE);

    const removed = await h.waitForAudit((r) => r.type === 'deleted-draft' && r.interviewId === id);
    expect(removed.message).toMatch(/^no-show draft removed from Drafts \(".+"\): it was written for the call at .+, which moved to .+: a new one is written at the new time, if the plan has one; it read: "Hi Dana, Our phone interview was planned for today/);
    // Left in Drafts: the confirmation of the new time only.
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('New time for our phone interview'));
    expect((await subjects('Drafts')).map((s) => s.startsWith('New time for our phone interview'))).toEqual([true]);
    // The no-show check of the old time does not run; the plan is the new time's.
    const records = await getActionRecords(h.runtime.store, id);
    expect(records.find((r) => r.kind === 'noshow-draft')).toMatchObject({ state: 'pending', dueAt: later + 15 * MINUTE });
  });

  it('to a few minutes ahead, too soon for a confirmation: the draft confirming the old time goes from Drafts at once, said in the audit', async () => {
    h = await startEngineHarness({ timing: { confirmLeadMinutes: 60, minLeadMinutes: 10, reviewMinutes: 5 } });
    const { id } = await draftedAhead(h, 'moved-soon', 3 * 60 * MINUTE);
    expect(await subjects('Drafts')).toHaveLength(1);
    const soon = Math.floor((h.now() + 5 * MINUTE) / 1000) * 1000;
    await h.setEvents([interviewEvent({ uid: 'moved-soon', start: soon, sequence: 1 })]);
    await h.advance(0);

    await h.waitForAudit((r) => r.type === 'skipped' && r.interviewId === id && r.message.includes('less than 10 minutes'));
    const removed = await h.waitForAudit((r) => r.type === 'deleted-draft' && r.interviewId === id);
    expect(removed.message).toMatch(/^confirmation draft removed from Drafts \(".+"\): it was written for the call at .+, which moved to .+: the call starts in less than 10 minutes; it read: /);
    expect(await subjects('Drafts')).toEqual([]);
    expect(await subjects('Sent')).toEqual([]);
  });

  // Guard: a move far enough ahead keeps the confirmation draft, rewritten by its job (timeline.int.test.ts).
  it('to later the same day, before its send: the confirmation draft is rewritten, not removed', async () => {
    h = await startEngineHarness({ timing: { confirmLeadMinutes: 60 } });
    const { id, start } = await draftedAhead(h, 'moved-later', 3 * 60 * MINUTE);
    await h.setEvents([interviewEvent({ uid: 'moved-later', start: start + 60 * MINUTE, sequence: 1 })]);
    await h.advance(0);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('rewritten'));
    expect((await h.audit(id)).filter((r) => r.type === 'deleted-draft')).toEqual([]);
    expect(await subjects('Drafts')).toHaveLength(1);
  });
});
