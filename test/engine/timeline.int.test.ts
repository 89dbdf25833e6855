/**
 * The engine timeline of issue "The engine", with a real Redis, real BullMQ workers, the ics source
 * and the Maildir mailbox: added → drafted → sent once; moved → one rewritten draft and no job of the
 * old revision; deleted → draft removed, nothing sent; draft deleted by the user → vetoed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { listPendingActions } from '../../src/queue/queues.js';
import { getActionRecords, getInterview } from '../../src/store/interviews.js';
import { MINUTE, interviewEvent, startEngineHarness, type EngineHarness } from '../support/engine-harness.js';

let h: EngineHarness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

describe('engine timeline on the embedded default', () => {
  it('writes the confirmation draft, then sends it once at T - confirmLead', async () => {
    h = await startEngineHarness();
    const start = h.now() + 15 * MINUTE + 3_000;
    await h.setEvents([interviewEvent({ uid: 'a1', start })]);
    // Synced before the workers start: their own first sync would otherwise race this one.
    const summary = await h.sync();
    await h.start();
    expect(summary.interviewsNew).toBe(1);

    const id = interviewIdFor('cal', 'a1');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    const drafts = await h.folder('Drafts');
    expect(drafts).toHaveLength(1);
    expect(JSON.stringify(drafts[0]?.mail.to)).toContain('dana@acme.example');
    expect(drafts[0]?.mail.messageId).toBe(`<ringback.${id}.confirmation.1@example.org>`);
    expect(await h.folder('Sent')).toHaveLength(0);

    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    const sent = await h.folder('Sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.mail.messageId).toBe(`<ringback.${id}.confirmation.1@example.org>`);
    expect(await h.folder('Drafts')).toHaveLength(0);

    // A second sync and a reconcile change nothing: still exactly one message.
    await h.sync();
    await h.advance(0);
    await new Promise((r) => setTimeout(r, 500));
    expect(await h.folder('Sent')).toHaveLength(1);
  });

  it('a call found inside the lead window stays in Drafts for reviewMinutes, and the audit says when it goes', async () => {
    h = await startEngineHarness({ timing: { reviewMinutes: 5 } });
    // Lead 15 minutes: without the review window it would go out 3 minutes after the draft.
    const start = h.now() + 18 * MINUTE;
    await h.setEvents([interviewEvent({ uid: 'r1', start })]);
    await h.start();
    await h.sync();
    const id = interviewIdFor('cal', 'r1');
    const drafted = await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    expect(drafted.message).toMatch(/it will be sent at .* \(in 5 min\)/);
    const sendDue = async () => (await getActionRecords(h!.runtime.store, id)).find((r) => r.kind === 'confirmation-send')?.dueAt ?? 0;
    const due = await sendDue();
    expect(Math.abs(due - (drafted.at + 5 * MINUTE))).toBeLessThan(2_000);
    // Later syncs do not push the send further out.
    await h.sync();
    await h.advance(4 * MINUTE);
    await h.sync();
    expect(await sendDue()).toBe(due);
    expect(await h.folder('Sent')).toHaveLength(0);
    await h.advance(MINUTE);
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    const sent = await h.folder('Sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.mail.text).toMatch(/(today|tomorrow) at/);
  });

  it('rewrites the draft when the event moves and leaves no job of the old revision', async () => {
    h = await startEngineHarness();
    // Calendars keep whole seconds.
    const start = Math.floor((h.now() + 3 * 60 * MINUTE) / 1000) * 1000;
    await h.setEvents([interviewEvent({ uid: 'm1', start })]);
    await h.start();
    await h.sync();
    const id = interviewIdFor('cal', 'm1');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);

    const moved = start + 2 * 60 * MINUTE;
    await h.setEvents([interviewEvent({ uid: 'm1', start: moved })]);
    const summary = await h.sync();
    expect(summary.interviewsUpdated).toBe(1);
    const interview = await getInterview(h.runtime.store, id);
    expect(interview?.revision).toBe(2);
    expect(interview?.rescheduled).toBe(1);

    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('rewritten'));
    const drafts = await h.folder('Drafts');
    expect(drafts).toHaveLength(1);
    expect(drafts[0]?.mail.messageId).toBe(`<ringback.${id}.confirmation.2@example.org>`);

    const pending = (await listPendingActions(h.runtime.queues)).filter((p) => p.interviewId === id);
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((p) => p.revision === 2)).toBe(true);
    const send = pending.find((p) => p.kind === 'confirmation-send');
    expect(Math.abs((send?.dueAt ?? 0) - (moved - 15 * MINUTE))).toBeLessThan(1000);
  });

  it('removes the draft and sends nothing when the event is deleted', async () => {
    h = await startEngineHarness();
    const start = h.now() + 15 * MINUTE + 6_000;
    await h.setEvents([interviewEvent({ uid: 'd1', start })]);
    await h.start();
    await h.sync();
    const id = interviewIdFor('cal', 'd1');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    expect(await h.folder('Drafts')).toHaveLength(1);

    await h.setEvents([]);
    const summary = await h.sync();
    expect(summary.withdrawn).toBe(1);
    expect(await h.folder('Drafts')).toHaveLength(0);
    expect((await listPendingActions(h.runtime.queues)).filter((p) => p.interviewId === id)).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 7_000));
    expect(await h.folder('Sent')).toHaveLength(0);
    expect((await getInterview(h.runtime.store, id))?.status).toBe('cancelled');
  });

  it('treats a draft the user deleted as a veto', async () => {
    h = await startEngineHarness();
    const start = h.now() + 15 * MINUTE + 4_000;
    await h.setEvents([interviewEvent({ uid: 'v1', start })]);
    await h.start();
    await h.sync();
    const id = interviewIdFor('cal', 'v1');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    const [draft] = await h.folder('Drafts');
    await h.userDeletes(draft?.path as string);

    const vetoed = await h.waitForAudit((r) => r.type === 'vetoed' && r.interviewId === id);
    expect(vetoed.message).toContain('nothing sent');
    expect(await h.folder('Sent')).toHaveLength(0);
  });

  it('sends the draft as the user edited it', async () => {
    h = await startEngineHarness();
    const start = h.now() + 15 * MINUTE + 4_000;
    await h.setEvents([interviewEvent({ uid: 'e1', start })]);
    await h.start();
    await h.sync();
    const id = interviewIdFor('cal', 'e1');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    const [draft] = await h.folder('Drafts');
    const { readFile, writeFile } = await import('node:fs/promises');
    const raw = await readFile(draft?.path as string, 'utf8');
    expect(raw).toContain('I look forward');
    await writeFile(draft?.path as string, raw.replaceAll('I look forward', 'P.S. edited by Ada. I look forward'));

    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    const [sent] = await h.folder('Sent');
    expect(sent?.mail.text).toContain('P.S. edited by Ada.');
  });

  it('keeps a confirmation as a draft for an invitation not accepted', async () => {
    h = await startEngineHarness();
    const start = h.now() + 15 * MINUTE + 3_000;
    await h.setEvents([
      interviewEvent({
        uid: 't1',
        start,
        attendees: [
          { name: 'Ada Park', email: 'ada@example.org', status: 'needs-action' },
          { name: 'Dana Whitfield', email: 'dana@acme.example', status: 'accepted' },
        ],
      }),
    ]);
    await h.start();
    await h.sync();
    const id = interviewIdFor('cal', 't1');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    const skipped = await h.waitForAudit((r) => r.type === 'skipped' && r.interviewId === id && r.message.includes('confirmation send'));
    expect(skipped.message).toMatch(/accepted/);
    await new Promise((r) => setTimeout(r, 4_000));
    expect(await h.folder('Sent')).toHaveLength(0);
    expect(await h.folder('Drafts')).toHaveLength(1);
  });
  it('keeps a confirmation as a draft when the ORGANIZER is the user and the attendee never accepted', async () => {
    // Anyone can write an entry whose ORGANIZER is the user's own address; that alone must not send.
    h = await startEngineHarness();
    const start = h.now() + 15 * MINUTE + 3_000;
    await h.setEvents([
      interviewEvent({
        uid: 'spoof1',
        start,
        organizer: { name: 'Ada Park', email: 'ada@example.org' },
        attendees: [{ name: 'Dana Whitfield', email: 'dana@acme.example', status: 'needs-action' }],
      }),
    ]);
    await h.start();
    await h.sync();
    const id = interviewIdFor('cal', 'spoof1');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    const skipped = await h.waitForAudit((r) => r.type === 'skipped' && r.interviewId === id && r.message.includes('confirmation send'));
    expect(skipped.message).toContain('dana@acme.example has not accepted the invitation (needs-action)');
    expect((await listPendingActions(h.runtime.queues)).filter((p) => p.interviewId === id).map((p) => p.kind)).not.toContain('confirmation-send');
    expect(await h.folder('Sent')).toHaveLength(0);
    expect(await h.folder('Drafts')).toHaveLength(1);
  });

  it('a confirmation already in Sent when its send falls due is recorded as sent and audited once, not sent again', async () => {
    h = await startEngineHarness();
    const start = h.now() + 15 * MINUTE + 3_000;
    await h.setEvents([interviewEvent({ uid: 's1', start })]);
    await h.start();
    await h.sync();
    const id = interviewIdFor('cal', 's1');
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    const [draft] = await h.folder('Drafts');
    // Sent from the mail client (or by an attempt that died before it recorded the send).
    await h.userSends(draft?.path as string);
    const sent = await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    expect(sent.message).toContain('found already in Sent');
    expect(await h.folder('Sent')).toHaveLength(1);
    expect((await getActionRecords(h.runtime.store, id)).find((r) => r.kind === 'confirmation-send')?.state).toBe('sent');
    expect((await h.audit(id)).filter((r) => r.type === 'sent')).toHaveLength(1);
  });
});
