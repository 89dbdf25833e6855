/**
 * An invitation cancelled and sent again for the same time, as a new event (a new UID): a
 * scheduling tool's reschedule cancels the booking and creates a new event ("When an invitee
 * reschedules an event, both webhook events (invitee.created and invitee.canceled) will be
 * triggered", https://developer.calendly.com/see-how-webhook-payloads-change-when-invitees-reschedule-events),
 * and an organizer who fixes an invitation by deleting it and sending a fresh one does the same.
 * Once the interviewer had ringback's confirmation of that time, the new listing sent them a
 * second one, word for word the first, minutes later. It now stays in Drafts, as after a move and
 * a move back (recipient-change.int.test.ts); with nothing sent yet, the new listing's
 * confirmation goes as usual, once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { getActionRecords } from '../../src/store/interviews.js';
import { MINUTE, draftedAhead, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const TIMING = { confirmLeadMinutes: 60, minLeadMinutes: 10, reviewMinutes: 5 };
const confirmationsSent = async (harness: EngineHarness) => (await harness.folder('Sent')).filter((f) => f.mail.messageId?.includes('.confirmation.'));

/** Waits until the action of `kind` of the interview `id` is no longer pending. */
async function settled(harness: EngineHarness, id: string, kind: string): Promise<string> {
  for (let tries = 0; ; tries++) {
    const record = (await getActionRecords(harness.runtime.store, id)).find((r) => r.kind === kind);
    if (record && record.state !== 'pending' && record.state !== 'parked') return record.state;
    if (tries > 200) throw new Error(`${kind} of ${id} did not run: ${(await harness.audit()).map((r) => `${r.type} ${r.message}`).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('an invitation cancelled and sent again as a new event for the same time', () => {
  it.each([
    ['in the same sync', false],
    ['the cancellation read one sync before the new invitation', true],
  ])('after the confirmation went (%s): the new one stays in Drafts, and the audit says why', async (_, apart) => {
    h = await startEngineHarness({ timing: TIMING });
    const { id: first, start } = await draftedAhead(h, 'first-booking', 50 * MINUTE);
    await h.advance(6 * MINUTE);
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === first);

    await h.advance(MINUTE);
    if (apart) {
      await h.setEvents([]);
      await h.sync();
      await h.waitForAudit((r) => r.type === 'cancelled' && r.interviewId === first);
    }
    await h.setEvents([interviewEvent({ uid: 'second-booking', start, title: 'Phone screen with Dana (Acme) - rescheduled' })]);
    await h.sync();
    const second = interviewIdFor('cal', 'second-booking');
    const drafted = await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === second);
    expect(drafted.message).toContain('it is not sent: they already have a confirmation of this time');
    await h.advance(6 * MINUTE);
    expect(await settled(h, second, 'confirmation-send')).toBe('kept-as-draft');
    const kept = (await h.audit(second)).find((r) => r.type === 'kept-as-draft');
    expect(kept?.message).toMatch(/^dana@acme\.example already got a confirmation of this time, sent .*: this one stays in Drafts, delete it or send it yourself$/);
    expect((await confirmationsSent(h)).map((f) => f.mail.messageId)).toEqual([`<ringback.${first}.confirmation.1@example.org>`]);
  });

  it('before the confirmation went: the new listing\'s confirmation is sent, once', async () => {
    h = await startEngineHarness({ timing: TIMING });
    const { start } = await draftedAhead(h, 'first-draft', 120 * MINUTE);
    await h.setEvents([interviewEvent({ uid: 'second-draft', start })]);
    await h.sync();
    const second = interviewIdFor('cal', 'second-draft');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === second);
    await h.advance(62 * MINUTE);
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === second);
    expect((await confirmationsSent(h)).map((f) => f.mail.messageId)).toEqual([`<ringback.${second}.confirmation.1@example.org>`]);
    expect(await h.folder('Drafts')).toHaveLength(0);
  });
});
