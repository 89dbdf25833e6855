/**
 * A confirmation draft that was never sent is of no use once the call has begun: left in Drafts,
 * "Confirming our phone interview today at 2:41 AM" sat beside the no-show note or the thank-you,
 * one click from going to the interviewer after the call. Two real sequences left it there: the
 * mailbox down from before the send's time until after the call started (the send is recorded as
 * missed, DESIGN.md "Outages"), and ringback stopped (the computer asleep) from before the send
 * until after the no-show window. The first step after the call takes it out of Drafts, its text
 * kept in the audit as a cancel keeps it (cancel.ts).
 */
import { rename } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { getActionRecords } from '../../src/store/interviews.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const TIMING = { confirmLeadMinutes: 60, minLeadMinutes: 10, reviewMinutes: 5 };

/** A call 90 minutes ahead, its confirmation drafted (to be sent 60 minutes before the call). */
async function drafted(uid: string, options: { probeEveryMs?: number } = {}): Promise<{ id: string; start: number }> {
  h = await startEngineHarness({ timing: TIMING });
  const start = Math.floor((h.now() + 90 * MINUTE) / 1000) * 1000;
  await h.setEvents([interviewEvent({ uid, start })]);
  await h.start(options);
  await h.sync();
  const id = interviewIdFor('cal', uid);
  await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
  expect((await h.folder('Drafts')).map((d) => d.mail.subject)).toEqual([expect.stringMatching(/^Confirming our phone interview today at /)]);
  return { id, start };
}

async function waitFor(what: string, probe: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; !(await probe()); tries++) {
    if (tries > 200) throw new Error(`timed out waiting for ${what}: ${(await h!.audit()).map((r) => `${r.type} ${r.message}`).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const subjects = async (harness: EngineHarness, folder: 'Drafts' | 'Sent') => (await harness.folder(folder)).map((f) => f.mail.messageId);

describe('a confirmation never sent, once the call has begun', () => {
  it('the mailbox down from before its send until after the call started: the send is missed, and the no-show note replaces the draft', async () => {
    const { id, start } = await drafted('after-outage', { probeEveryMs: 200 });
    const away = `${h!.maildir}.away`;
    await rename(h!.maildir, away);
    // The send falls due 30 minutes on, with the mailbox gone; the call starts 90 minutes on.
    await h!.advance(35 * MINUTE);
    await waitFor('the send parked', async () => (await getActionRecords(h!.runtime.store, id)).find((r) => r.kind === 'confirmation-send')?.state === 'parked');
    await h!.advance(60 * MINUTE);
    const missed = await h!.waitForAudit((r) => r.type === 'missed' && r.interviewId === id && r.message.startsWith('confirmation send'));
    expect(missed.message).toContain('the call was less than 10 minutes away');
    // Back five minutes into the call: the draft is there again, and nothing goes out late.
    await rename(away, h!.maildir);
    await h!.waitForAudit((r) => r.type === 'account' && r.message.includes('works again'));
    expect(await subjects(h!, 'Sent')).toEqual([]);

    // At T + wait the no-show note is written, and the confirmation leaves Drafts.
    await h!.advance(start + 16 * MINUTE - h!.now());
    await h!.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.startsWith('no-show'));
    const removed = await h!.waitForAudit((r) => r.type === 'deleted-draft' && r.interviewId === id);
    expect(removed.message).toMatch(/^confirmation draft removed from Drafts \("Confirming our phone interview today at .+"\): never sent, and the call has begun; it read: "Hi Dana, I am writing to confirm/);
    expect(await subjects(h!, 'Drafts')).toEqual([`<ringback.${id}.noshow.1@example.org>`]);
    expect(await subjects(h!, 'Sent')).toEqual([]);
  }, 60_000);

  it('ringback stopped from before its send until after the no-show window: only the thank-you is left, and no confirmation goes', async () => {
    const { id, start } = await drafted('after-sleep');
    await h!.stopDaemon();
    await h!.advance(start + 45 * MINUTE - h!.now());
    await h!.start();
    await h!.advance(MINUTE);
    await waitFor('the send missed', async () => (await h!.audit(id)).some((r) => r.type === 'missed' && r.message.startsWith('confirmation send')));
    await h!.waitForAudit((r) => r.type === 'outcome' && r.interviewId === id && r.message.includes('held'));
    await h!.waitForAudit((r) => r.type === 'deleted-draft' && r.interviewId === id && r.message.startsWith('confirmation draft'));
    expect(await subjects(h!, 'Drafts')).toEqual([]);

    // E + thankYouDelay: the thank-you, alone in Drafts; nothing was sent.
    await h!.advance(start + 30 * MINUTE + 61 * MINUTE - h!.now());
    await h!.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.startsWith('thank-you'));
    expect(await subjects(h!, 'Drafts')).toEqual([`<ringback.${id}.thankyou.1@example.org>`]);
    expect(await subjects(h!, 'Sent')).toEqual([]);
    expect((await h!.audit(id)).filter((r) => r.type === 'missed' && r.message.startsWith('confirmation send'))).toHaveLength(1);
  }, 60_000);
});
