/**
 * Moves at short notice, read as the interviewer receives the result. A call moved from next week
 * to 40 minutes from now never had a draft (the draft horizon is a day): its first confirmation
 * is written at the move, says how soon the call is when it leaves, and is no "new time" note,
 * since the interviewer was told no other time. A call moved three times within the review
 * window gets one confirmation, of the last time, sent a review window after its last rewrite,
 * and no draft of a time it no longer has stays in Drafts. Both were right when written; they
 * guard what no other test pins: the first draft of a call that arrives inside the lead window
 * by a move, and the review window counted again from each rewrite.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const TIMING = { confirmLeadMinutes: 60, minLeadMinutes: 10, reviewMinutes: 5 };
const second = (ms: number) => Math.floor(ms / 1000) * 1000;
const drafted = (harness: EngineHarness, id: string) => harness.audit(id).then((records) => records.filter((r) => r.type === 'drafted'));

async function waitForDrafts(harness: EngineHarness, id: string, count: number): Promise<void> {
  for (let tries = 0; (await drafted(harness, id)).length < count; tries++) {
    if (tries > 200) throw new Error(`fewer than ${count} drafts written: ${(await harness.audit(id)).map((r) => `${r.type} ${r.message}`).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a call moved at short notice', () => {
  it('from next week to 40 minutes from now: one confirmation, "in 35 minutes", no "new time"', async () => {
    h = await startEngineHarness({ timing: TIMING });
    await h.setEvents([interviewEvent({ uid: 'next-week', start: second(h.now() + 7 * 24 * 60 * MINUTE) })]);
    await h.start();
    await h.sync();
    const id = interviewIdFor('cal', 'next-week');
    await h.waitForAudit((r) => r.type === 'planned' && r.interviewId === id);
    expect(await h.folder('Drafts')).toEqual([]);

    const start = second(h.now() + 40 * MINUTE);
    await h.setEvents([interviewEvent({ uid: 'next-week', start })]);
    await h.sync();
    const written = await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    expect(written.message).toContain('it will be sent at');
    await h.advance(5 * MINUTE + 1_000);
    const sent = await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    const [mail, ...more] = await h.folder('Sent');
    expect(more).toEqual([]);
    expect(mail?.mail.subject).toMatch(/^Confirming our phone interview today at /);
    expect(mail?.mail.text).toContain(`in ${Math.round((start - sent.at) / MINUTE)} minutes, at `);
    expect(mail?.mail.text).not.toMatch(/new time|instead of/i);
    expect(mail?.mail.messageId).toBe(`<ringback.${id}.confirmation.2@example.org>`);
    expect(await h.folder('Drafts')).toEqual([]);
  });

  it('three times within the review window: one confirmation, of the last time, and no draft of an earlier one left', async () => {
    h = await startEngineHarness({ timing: TIMING });
    const first = second(h.now() + 50 * MINUTE);
    await h.setEvents([interviewEvent({ uid: 'three-moves', start: first })]);
    await h.start();
    await h.sync();
    const id = interviewIdFor('cal', 'three-moves');
    await waitForDrafts(h, id, 1);
    // A minute apart, each before the send of the time before it is due.
    const moves = [first + 5 * MINUTE, first - 5 * MINUTE, first - 7 * MINUTE];
    for (const [i, start] of moves.entries()) {
      await h.advance(MINUTE);
      await h.setEvents([interviewEvent({ uid: 'three-moves', start })]);
      await h.sync();
      await waitForDrafts(h, id, i + 2);
      expect((await h.folder('Drafts')).map((d) => d.mail.messageId)).toEqual([`<ringback.${id}.confirmation.${i + 2}@example.org>`]);
      expect(await h.folder('Sent')).toEqual([]);
    }
    const last = moves[moves.length - 1] as number;
    await h.advance(5 * MINUTE + 1_000);
    const sent = await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    const [mail, ...more] = await h.folder('Sent');
    expect(more).toEqual([]);
    expect(mail?.mail.messageId).toBe(`<ringback.${id}.confirmation.4@example.org>`);
    expect(mail?.mail.text).toContain(`in ${Math.round((last - sent.at) / MINUTE)} minutes, at `);
    expect(mail?.mail.text).not.toMatch(/new time|instead of/i);
    expect(await h.folder('Drafts')).toEqual([]);
    expect((await h.audit(id)).filter((r) => r.type === 'sent')).toHaveLength(1);
  });
});
