/**
 * Timelines of changes that come after the confirmation was written or sent, walked with the real
 * Redis, the real workers, the ics source and the Maildir, and read as the interviewer receives
 * them: the call made longer, or a colleague of the interviewer added, after the confirmation
 * went out. Both wrote a second confirmation, word for word the first, that stayed in Drafts for
 * the user to delete ("already got a confirmation of this time"); now none is written.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { listPendingActions } from '../../src/queue/queues.js';
import { getActionRecords } from '../../src/store/interviews.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness, type MailFile } from '../support/engine-harness.js';

const TIMING = { confirmLeadMinutes: 60, minLeadMinutes: 10, reviewMinutes: 5 };
const second = (ms: number) => Math.floor(ms / 1000) * 1000;
const confirmations = (files: MailFile[], id: string) => files.filter((f) => f.mail.messageId?.includes(`${id}.confirmation.`));

async function waitForSettled(harness: EngineHarness, id: string, kind: string): Promise<string> {
  for (let tries = 0; ; tries++) {
    const pending = (await listPendingActions(harness.runtime.queues)).filter((p) => p.interviewId === id && p.kind === kind);
    if (pending.length === 0) return (await getActionRecords(harness.runtime.store, id)).find((r) => r.kind === kind)?.state ?? 'none';
    if (tries > 200) throw new Error(`${kind} still pending: ${JSON.stringify(pending)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

describe('the call is made longer after the confirmation went out', () => {
  it('writes no second confirmation: the interviewer has the time, and the end is in no email', async () => {
    h = await startEngineHarness({ timing: TIMING });
    const start = second(h.now() + 61 * MINUTE);
    await h.setEvents([interviewEvent({ uid: 'longer', start })]);
    await h.start();
    await h.sync();
    const id = interviewIdFor('cal', 'longer');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    await h.advance(5 * MINUTE + 1_000);
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    expect(confirmations(await h.folder('Sent'), id)).toHaveLength(1);

    // The recruiter books 45 minutes instead of 30; the start stays.
    await h.setEvents([interviewEvent({ uid: 'longer', start, end: start + 45 * MINUTE })]);
    await h.sync();
    const updated = await h.waitForAudit((r) => r.type === 'updated' && r.interviewId === id);
    expect(updated.message).toContain('changed (its end time, number or attendees)');
    // Nothing for the user to delete either: a draft word for word what the interviewer already has.
    const skipped = await h.waitForAudit((r) => r.type === 'skipped' && r.interviewId === id);
    expect(skipped.message).toBe('confirmation draft skipped: dana@acme.example already got a confirmation that says all this one would (the change, to the end or the attendees, is in none of its lines)');
    expect(confirmations(await h.folder('Drafts'), id)).toEqual([]);
    // The send of the new revision comes and finds the one sent: nothing leaves.
    await h.advance(8 * MINUTE);
    const send = await waitForSettled(h, id, 'confirmation-send');
    expect(send).toBe('skipped');
    expect(confirmations(await h.folder('Sent'), id)).toHaveLength(1);
    expect(confirmations(await h.folder('Drafts'), id)).toEqual([]);
    expect((await h.audit(id)).filter((r) => r.type === 'sent')).toHaveLength(1);
  });
});

describe('a colleague of the interviewer added to the invitation after the confirmation went out', () => {
  it('writes no second confirmation to the interviewer', async () => {
    h = await startEngineHarness({ timing: TIMING });
    const start = second(h.now() + 61 * MINUTE);
    await h.setEvents([interviewEvent({ uid: 'colleague', start })]);
    await h.start();
    await h.sync();
    const id = interviewIdFor('cal', 'colleague');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    await h.advance(5 * MINUTE + 1_000);
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);

    const attendees = [
      { name: 'Ada Park', email: 'ada@example.org', status: 'accepted' as const },
      { name: 'Dana Whitfield', email: 'dana@acme.example', status: 'accepted' as const },
      { name: 'Sam Okafor', email: 'sam@acme.example', status: 'needs-action' as const },
    ];
    await h.setEvents([interviewEvent({ uid: 'colleague', start, attendees })]);
    await h.sync();
    const skipped = await h.waitForAudit((r) => r.type === 'skipped' && r.interviewId === id);
    expect(skipped.message).toContain('dana@acme.example already got a confirmation that says all this one would');
    await h.advance(8 * MINUTE);
    expect(await waitForSettled(h, id, 'confirmation-send')).toBe('skipped');
    expect(confirmations(await h.folder('Sent'), id)).toHaveLength(1);
    expect(confirmations(await h.folder('Drafts'), id)).toEqual([]);
  });
});
