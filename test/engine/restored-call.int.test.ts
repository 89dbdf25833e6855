/**
 * A call its organizer cancels and then restores (the same invitation, STATUS back to CONFIRMED
 * with a higher SEQUENCE, RFC 5546 §3.2.2 and §2.1.4: a new revision of the same event), and one the
 * user declines and then accepts again. Real Redis and workers, the ics source and the Maildir.
 *
 * The plan comes back as it should (timeline tests of duplicates cover two calendars); what the
 * user read was wrong: the return was told as `"…" changed (number or attendees): plan
 * recomputed`, after `"…" was cancelled: pending emails withdrawn`, as if some detail had changed
 * in a call they had been told was off. They are told it is on again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getActionRecords } from '../../src/store/interviews.js';
import { MINUTE, CANDIDATE, draftedAhead, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const updatedLines = async (id: string) => (await h!.audit(id)).filter((r) => r.type === 'updated').map((r) => r.message);

describe('a call cancelled, then restored by its organizer', () => {
  it('before the confirmation went: told it is on again, the confirmation drafted again and sent once at its time', async () => {
    h = await startEngineHarness({ timing: { confirmLeadMinutes: 60 } });
    const { id, start } = await draftedAhead(h, 'restored-1', 3 * 60 * MINUTE);
    await h.setEvents([interviewEvent({ uid: 'restored-1', start, sequence: 1, status: 'CANCELLED' })]);
    await h.advance(10 * MINUTE);
    await h.waitForAudit((r) => r.type === 'deleted-draft' && r.interviewId === id);

    await h.setEvents([interviewEvent({ uid: 'restored-1', start, sequence: 2, status: 'CONFIRMED' })]);
    await h.advance(10 * MINUTE);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.at > start - 3 * 60 * MINUTE + 15 * MINUTE);

    expect(await updatedLines(id)).toEqual(['"Phone screen with Dana (Acme)" is on again: it had been cancelled; planned again']);
    await h.advance(start - 60 * MINUTE - h.now());
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    expect((await h.folder('Sent')).length).toBe(1);
  });

  it('after the confirmation went: told it is on again, no second confirmation, and the follow-ups planned', async () => {
    h = await startEngineHarness({ timing: { confirmLeadMinutes: 60 } });
    const { id, start } = await draftedAhead(h, 'restored-2', 90 * MINUTE);
    await h.advance(start - 60 * MINUTE - h.now());
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    await h.setEvents([interviewEvent({ uid: 'restored-2', start, sequence: 1, status: 'CANCELLED' })]);
    await h.advance(5 * MINUTE);
    await h.waitForAudit((r) => r.type === 'cancelled' && r.interviewId === id);

    await h.setEvents([interviewEvent({ uid: 'restored-2', start, sequence: 2, status: 'CONFIRMED' })]);
    await h.advance(5 * MINUTE);
    await h.waitForAudit((r) => r.type === 'skipped' && r.interviewId === id && r.message.startsWith('confirmation send skipped'));

    expect(await updatedLines(id)).toEqual(['"Phone screen with Dana (Acme)" is on again: it had been cancelled; planned again']);
    const records = await getActionRecords(h.runtime.store, id);
    expect(records.filter((r) => r.state === 'pending').map((r) => r.kind)).toEqual(['noshow-draft', 'noshow-resolve', 'thankyou-draft']);
    expect((await h.folder('Sent')).length).toBe(1);
  });
});

describe('a call the user declined, then accepted again', () => {
  it('told they accepted it again, not that a detail changed', async () => {
    h = await startEngineHarness({ timing: { confirmLeadMinutes: 60 } });
    const { id, start } = await draftedAhead(h, 'reaccepted', 3 * 60 * MINUTE);
    const withAnswer = (status: 'declined' | 'accepted') =>
      interviewEvent({
        uid: 'reaccepted',
        start,
        attendees: [
          { name: 'Ada Park', email: CANDIDATE.email, status },
          { name: 'Dana Whitfield', email: 'dana@acme.example', status: 'accepted' },
        ],
      });
    await h.setEvents([withAnswer('declined')]);
    await h.advance(5 * MINUTE);
    await h.waitForAudit((r) => r.type === 'declined' && r.interviewId === id);

    await h.setEvents([withAnswer('accepted')]);
    await h.advance(5 * MINUTE);
    await h.waitForAudit((r) => r.type === 'updated' && r.interviewId === id);
    expect(await updatedLines(id)).toEqual(['you accepted "Phone screen with Dana (Acme)" again, after declining it; planned again']);
  });
});
