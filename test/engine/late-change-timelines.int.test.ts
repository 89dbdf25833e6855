/**
 * Timelines of changes that come after the confirmation was written or sent, walked with the real
 * Redis, the real workers, the ics source and the Maildir, and read as the interviewer receives
 * them. The call made longer, or a colleague of the interviewer added, after the confirmation
 * went out: both wrote a second confirmation, word for word the first, that stayed in Drafts for
 * the user to delete ("already got a confirmation of this time"); now none is written. Two guards,
 * right when written: the call moved twice within the hour before it, the second move back to the
 * time first confirmed after the "new time" note of the first move had left (each note names the
 * time it replaces, the last one the second time); and the user declining the invitation after
 * the draft was written (the draft removed, nothing sent before or after the call).
 */
import { DateTime } from 'luxon';
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

describe('the call made longer after the candidate changed their phone number in the config', () => {
  it('writes a new confirmation draft, with the new number: the one sent signs with the old', async () => {
    h = await startEngineHarness({ timing: TIMING });
    const start = second(h.now() + 61 * MINUTE);
    // The candidate dials: the confirmation names the recruiter's number, and signs with the candidate's.
    const event = (end: number) => interviewEvent({ uid: 'newphone', start, end, description: 'Please call me at +1 212 555 0199.' });
    await h.setEvents([event(start + 30 * MINUTE)]);
    await h.start();
    await h.sync();
    const id = interviewIdFor('cal', 'newphone');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    await h.advance(5 * MINUTE + 1_000);
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    const [sent] = confirmations(await h.folder('Sent'), id);
    expect(sent?.mail.text).toMatch(/I will call you at \+1 212.555.0199\./);
    expect(sent?.mail.text).toMatch(/Ada Park\s+\+1 415.555.0100\s*$/);

    // The user's number changes (ringback.yaml, candidate.phone); then the recruiter books 45 minutes.
    await h.reopenWith({ phone: '+1 415 555 0177' });
    await h.start();
    await h.setEvents([event(start + 45 * MINUTE)]);
    await h.sync();
    await h.waitForAudit((r) => r.type === 'updated' && r.interviewId === id);
    // The interviewer's copy signs with a number that is no longer the user's: a new draft says the new one.
    await h.waitForAudit((r) => (r.type === 'drafted' || r.type === 'skipped') && r.interviewId === id && (r.at ?? 0) > (sent?.mail.date?.getTime() ?? 0) && r.message.startsWith('confirmation draft'));
    const drafts = confirmations(await h.folder('Drafts'), id);
    expect(drafts).toHaveLength(1);
    expect(drafts[0]?.mail.text).toMatch(/Ada Park\s+\+1 415.555.0177\s*$/);
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

describe('the call moved twice within the hour before it, the second time back to the first', () => {
  it('tells the interviewer each new time once, the last one as replacing the time they were told last', async () => {
    h = await startEngineHarness({ timing: TIMING });
    const harness = h;
    const first = second(harness.now() + 61 * MINUTE);
    await harness.setEvents([interviewEvent({ uid: 'twice', start: first })]);
    await harness.start();
    await harness.sync();
    const id = interviewIdFor('cal', 'twice');
    const entries = async (type: string, n: number) => {
      for (let tries = 0; (await harness.audit(id)).filter((r) => r.type === type).length < n; tries++) {
        if (tries > 200) throw new Error(`fewer than ${n} ${type}: ${(await harness.audit(id)).map((r) => `${r.type} ${r.message}`).join('\n')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await entries('drafted', 1);
    await harness.advance(5 * MINUTE + 1_000);
    await entries('sent', 1);

    // 55 minutes before the call, the recruiter pushes it back half an hour...
    const later = first + 30 * MINUTE;
    await harness.setEvents([interviewEvent({ uid: 'twice', start: later })]);
    await harness.sync();
    await entries('drafted', 2);
    await harness.advance(later - 60 * MINUTE - harness.now() + 1_000);
    await entries('sent', 2);
    // ...and, 25 minutes before the first time, back to it.
    await harness.advance(5 * MINUTE);
    await harness.setEvents([interviewEvent({ uid: 'twice', start: first })]);
    await harness.sync();
    await entries('drafted', 3);
    await harness.advance(6 * MINUTE);
    await entries('sent', 3);

    // Read as Dana reads them, in the order they came: the time, the new time and the one it
    // replaces, then the first time again as replacing the second (never "instead of" the time
    // she now reads as the call's).
    const sent = confirmations(await harness.folder('Sent'), id).sort((a, b) => (a.mail.date?.getTime() ?? 0) - (b.mail.date?.getTime() ?? 0));
    const clock = (t: number) => DateTime.fromMillis(t, { zone: 'America/New_York' }).toFormat('h:mm a');
    // (A run late in the evening in New York reads "tomorrow" for a call past midnight.)
    const day = '(?:today|tomorrow)';
    expect(sent.map((m) => m.mail.subject)).toHaveLength(3);
    expect(sent[0]?.mail.subject).toMatch(new RegExp(`^Confirming our phone interview ${day} at ${clock(first)} Eastern$`));
    expect(sent[1]?.mail.subject).toMatch(new RegExp(`^New time for our phone interview: ${day} at ${clock(later)} Eastern$`));
    expect(sent[2]?.mail.subject).toMatch(new RegExp(`^New time for our phone interview: ${day} at ${clock(first)} Eastern$`));
    expect(sent[1]?.mail.text).toMatch(new RegExp(`the new time of our phone interview: ${day} at ${clock(later)} Eastern, instead of ${clock(first)} Eastern\\.`));
    expect(sent[2]?.mail.text).toMatch(new RegExp(`the new time of our phone interview: in \\d+ minutes, at ${clock(first)} Eastern, instead of ${clock(later)} Eastern\\.`));
    expect(confirmations(await harness.folder('Drafts'), id)).toEqual([]);
  });
});

describe('the user declines the invitation after the confirmation draft was written', () => {
  it('takes the draft out of Drafts and sends nothing, before or after the call', async () => {
    h = await startEngineHarness({ timing: TIMING });
    const start = second(h.now() + 90 * MINUTE);
    await h.setEvents([interviewEvent({ uid: 'declined', start })]);
    await h.start();
    await h.sync();
    const id = interviewIdFor('cal', 'declined');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    expect(confirmations(await h.folder('Drafts'), id)).toHaveLength(1);

    const declined = [
      { name: 'Ada Park', email: 'ada@example.org', status: 'declined' as const },
      { name: 'Dana Whitfield', email: 'dana@acme.example', status: 'accepted' as const },
    ];
    await h.setEvents([interviewEvent({ uid: 'declined', start, attendees: declined })]);
    await h.sync();
    const removed = await h.waitForAudit((r) => r.type === 'deleted-draft' && r.interviewId === id);
    expect(removed.message).toContain('I am writing to confirm our phone interview');
    expect(confirmations(await h.folder('Drafts'), id)).toEqual([]);
    expect((await listPendingActions(h.runtime.queues)).filter((p) => p.interviewId === id)).toEqual([]);

    // The send time, the call and the thank-you's time go by: nothing is written or sent.
    await h.advance(start - 60 * MINUTE - h.now() + MINUTE);
    await h.advance(start + 30 * MINUTE + 61 * MINUTE - h.now());
    await h.advance(60 * MINUTE);
    expect((await listPendingActions(h.runtime.queues)).filter((p) => p.interviewId === id)).toEqual([]);
    expect(await h.folder('Sent')).toEqual([]);
    expect(await h.folder('Drafts')).toEqual([]);
    expect((await h.audit(id)).filter((r) => r.type === 'drafted')).toHaveLength(1);
  });
});
