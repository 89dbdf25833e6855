/**
 * The note left in Drafts that a confirmation was not sent goes when its call is cancelled, as the
 * call's other unsent drafts do (DESIGN.md: cancelled → unsent drafts deleted): a note about a call
 * that is off only misleads. One the user changed is theirs and stays, as a confirmation they
 * edited is never rewritten (late-confirmation.ts). The engine with its Redis, the ics file and the
 * Maildir of the harness; the Dovecot (IMAP) adapter in missed-notice.int.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { getNotices } from '../../src/store/notices.js';
import { type HarnessEvent } from '../providers/calendar/contract.js';
import { CANDIDATE, MINUTE, interviewEvent, startEngineHarness, type EngineHarness, type MailFile } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const isNote = (f: MailFile): boolean => f.mail.messageId?.includes('.notice.') === true;

/**
 * A call 12 minutes ahead, its confirmation drafted at once (lead 60 minutes) and its send missed
 * when four minutes go by at once (the call then less than 10 minutes away): the note is in Drafts
 * beside the confirmation's draft.
 */
async function noteLeft(uid: string): Promise<{ harness: EngineHarness; id: string; event: HarnessEvent }> {
  const harness = await startEngineHarness({ timing: { confirmLeadMinutes: 60, minLeadMinutes: 10, reviewMinutes: 5 } });
  h = harness;
  const event = interviewEvent({ uid, start: Math.floor((harness.now() + 12 * MINUTE) / 1000) * 1000 });
  await harness.setEvents([event]);
  await harness.start();
  await harness.sync();
  const id = interviewIdFor('cal', uid);
  await harness.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
  await harness.advance(4 * MINUTE);
  await harness.waitForAudit((r) => r.interviewId === id && r.message.includes('not sent is in your Drafts'));
  expect((await harness.folder('Drafts')).map(isNote).sort()).toEqual([false, true]);
  return { harness, id, event };
}

/** How the call goes off, as the next sync reads it. */
const OFF = [
  {
    // The organizer's cancellation (RFC 5545 STATUS:CANCELLED).
    status: 'cancelled',
    change: (event: HarnessEvent): HarnessEvent => ({ ...event, status: 'CANCELLED', sequence: 1 }),
  },
  {
    // The candidate declines the invitation in their calendar (PARTSTAT=DECLINED, RFC 5545 §3.2.12).
    // Guards (both passed when written): a decline takes the cancellation's path (cancel.ts calls
    // removeNotes for any call that is off); declined had no test of its own.
    status: 'declined',
    change: (event: HarnessEvent): HarnessEvent => ({
      ...event,
      attendees: [
        { name: CANDIDATE.name, email: CANDIDATE.email, status: 'declined' },
        { name: 'Dana Whitfield', email: 'dana@acme.example', status: 'accepted' },
      ],
    }),
  },
] as const;

describe.each(OFF)('the note that a confirmation was not sent, when its call is $status', ({ status, change }) => {
  const goesOff = async (harness: EngineHarness, event: HarnessEvent) => {
    await harness.setEvents([change(event)]);
    await harness.sync();
  };

  it('is deleted from Drafts with the confirmation, and said so once', async () => {
    const { harness, id, event } = await noteLeft(`note-${status}-1`);
    await goesOff(harness, event);
    const removed = await harness.waitForAudit((r) => r.type === 'deleted-draft' && r.interviewId === id && r.message.startsWith('the note'));
    expect(removed.message).toMatch(new RegExp(`^the note that the confirmation was not sent was removed from Drafts \\("Not sent: your confirmation for .+"\\): the call was ${status}$`));
    await harness.waitForAudit((r) => r.type === 'deleted-draft' && r.interviewId === id && r.message.startsWith('confirmation draft'));
    expect(await harness.folder('Drafts')).toEqual([]);
    expect([...(await getNotices(harness.runtime.store, id)).values()].map((n) => n.state)).toEqual(['deleted']);
    // The reconciler's rounds find nothing more to do.
    await reconcile(harness.engine);
    expect((await harness.audit(id)).filter((r) => r.message.startsWith('the note'))).toHaveLength(1);
    expect(await harness.folder('Sent')).toEqual([]);
  });

  it('stays when the user changed it: their words are theirs', async () => {
    const { harness, id, event } = await noteLeft(`note-${status}-2`);
    const note = (await harness.folder('Drafts')).find(isNote);
    if (!note) throw new Error('no note in Drafts');
    await harness.userEdits(note.path, 'Call Dana back at 555 0142 before Friday.');
    await goesOff(harness, event);
    const kept = await harness.waitForAudit((r) => r.interviewId === id && r.message.startsWith('the note'));
    expect(kept.message).toMatch(new RegExp(`^the note that the confirmation was not sent stays in your Drafts \\(".+"\\): the call was ${status}, but you changed it; delete it when you wish$`));
    // The confirmation's draft is gone; the note, as the user left it, is not.
    await harness.waitForAudit((r) => r.type === 'deleted-draft' && r.interviewId === id && r.message.startsWith('confirmation draft'));
    const left = await harness.folder('Drafts');
    expect(left.map((f) => (f.mail.text ?? '').trim())).toEqual(['Call Dana back at 555 0142 before Friday.']);
    expect([...(await getNotices(harness.runtime.store, id)).values()].map((n) => n.state)).toEqual(['edited']);
    await reconcile(harness.engine);
    expect(await harness.folder('Drafts')).toHaveLength(1);
  });
});

describe('the note that a confirmation was not sent, when its call is cancelled', () => {
  it('is left alone when the user deleted it already, and recorded gone', async () => {
    const { harness, id, event } = await noteLeft('note-cancel-3');
    const note = (await harness.folder('Drafts')).find(isNote);
    if (!note) throw new Error('no note in Drafts');
    await harness.userDeletes(note.path);
    await harness.setEvents([{ ...event, status: 'CANCELLED', sequence: 1 }]);
    await harness.sync();
    await harness.waitForAudit((r) => r.type === 'deleted-draft' && r.interviewId === id);
    expect(await harness.folder('Drafts')).toEqual([]);
    expect([...(await getNotices(harness.runtime.store, id)).values()].map((n) => n.state)).toEqual(['gone']);
  });
});
