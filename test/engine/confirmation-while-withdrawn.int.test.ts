/**
 * A confirmation being written or sent while a sync withdraws or moves its call, on the real
 * servers: the calendar in Radicale (CalDAV), the drafts in Dovecot (IMAP), sends through a
 * recording SMTP server.
 *
 * The action reads the interview when it starts (actions.ts) and writes the draft afterwards; the
 * sync that cancels the call deletes the unsent drafts it finds recorded, and a draft recorded
 * after that is not among them. To land the sync in that gap on every run, the mailbox given to
 * the action is the real Dovecot adapter whose first call of one method runs the sync first (the
 * way a sync on another worker lands while the action waits on the IMAP server); the adapter then
 * does the real work. A late job of the old time is the job as it read the call before it moved
 * (the follow-ups' test, draft-while-cancelled.int.test.ts, does the same).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { interviewIdFor, messageIdFor } from '../../src/domain/ids.js';
import type { ActionKind } from '../../src/domain/actions.js';
import { runAction } from '../../src/engine/actions.js';
import { draftConfirmation } from '../../src/engine/confirmation.js';
import type { Engine } from '../../src/engine/context.js';
import type { Mailbox } from '../../src/providers/mail/types.js';
import { getEmail } from '../../src/store/drafts.js';
import { getActionRecords, getInterview, settleActionState } from '../../src/store/interviews.js';
import { harnessCalendarToIcs, type HarnessEvent } from '../providers/calendar/contract.js';
import { imapFolder, mailClient, startDovecot, type TestDovecot } from '../support/dovecot.js';
import { MINUTE, interviewEvent, openSecondEngine, startEngineHarness, syncOnce, type EngineHarness } from '../support/engine-harness.js';
import { startRadicale, type TestRadicale } from '../support/radicale.js';
import { startRecordingSmtpServer, type RecordingSmtpServer } from '../support/smtp-server.js';

const HOUR = 60 * MINUTE;

let radicale: TestRadicale;
let dovecot: TestDovecot;
let smtp: RecordingSmtpServer;
let h: EngineHarness | null = null;

beforeAll(async () => {
  [radicale, dovecot, smtp] = await Promise.all([startRadicale(), startDovecot(), startRecordingSmtpServer()]);
});
afterEach(async () => {
  await h?.stop();
  h = null;
});
afterAll(async () => {
  await Promise.all([radicale?.stop(), dovecot?.stop(), smtp?.stop()]);
});

interface Call {
  readonly h: EngineHarness;
  readonly id: string;
  readonly event: HarnessEvent;
  /** Writes the event into the call's calendar in Radicale and reads the calendar, as a poll of `engine` (default: the harness's) does. */
  show(event: HarnessEvent, engine?: Engine): Promise<void>;
}

/** An accepted call 5 hours ahead in a calendar of its own, read once: its confirmation is due. */
async function callAhead(): Promise<Call> {
  const calendar = await radicale.makeCalendar(`cal-${randomUUID().slice(0, 8)}`);
  h = await startEngineHarness({
    calendars: [{ type: 'caldav', id: 'work', url: radicale.url, username: radicale.username, calendars: [calendar] }],
    mailbox: {
      type: 'imap',
      id: 'mail',
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      username: dovecot.username,
      smtp: { host: smtp.host, port: smtp.port, secure: false },
      serverFilesSent: false,
    },
    secrets: { work: { password: radicale.password }, mail: { password: dovecot.password } },
  });
  const harness = h;
  const uid = `race-${randomUUID()}@test`;
  const event = interviewEvent({ uid, start: Math.floor((harness.now() + 5 * HOUR) / 1000) * 1000, sequence: 1 });
  const show = async (shown: HarnessEvent, engine = harness.engine) => {
    await radicale.putObject(calendar, `${encodeURIComponent(uid)}.ics`, harnessCalendarToIcs([shown]));
    await syncOnce(engine, 'work');
  };
  await show(event);
  const id = interviewIdFor('work', uid);
  expect((await getInterview(harness.engine.store, id))?.status).toBe('scheduled');
  return { h: harness, id, event, show };
}

/** The engine with the real mailbox, whose first call of `method` lets `meanwhile` happen first. */
function landingIn(engine: Engine, method: 'createDraft' | 'draftState' | 'send', meanwhile: () => Promise<void>): Engine {
  const real = engine.mailbox;
  if (!real) throw new Error('no mailbox connected');
  let landed = false;
  const mailbox = new Proxy(real, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const call = (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, args);
      if (property !== method || landed) return call;
      return async (...args: unknown[]) => {
        landed = true;
        await meanwhile();
        return await call(...args);
      };
    },
  }) as Mailbox;
  return { ...engine, mailbox };
}

const confirmationId = (id: string, revision: number) => messageIdFor({ interviewId: id, kind: 'confirmation', revision, domain: 'example.org' });

const job = (id: string, kind: ActionKind, revision = 1) => ({ interviewId: id, kind, revision });

describe('a confirmation written or sent while its call is cancelled', () => {
  it('the draft written meanwhile is removed, not left in Drafts, and the step says why', async () => {
    const call = await callAhead();
    const cancelled = landingIn(call.h.engine, 'createDraft', () => call.show({ ...call.event, sequence: 2, status: 'CANCELLED' }));

    const outcome = await runAction(cancelled, job(call.id, 'confirmation-draft'));

    expect((await getInterview(call.h.engine.store, call.id))?.status).toBe('cancelled');
    expect((await imapFolder(dovecot, 'Drafts')).filter((m) => m.messageId === confirmationId(call.id, 1))).toEqual([]);
    expect(outcome).toMatchObject({ state: 'stale' });
    expect(outcome.message).toContain('cancelled while its confirmation draft was written');
    expect((await getEmail(call.h.engine.store, call.id, 'confirmation'))?.state).toBe('deleted');
    const removed = await call.h.waitForAudit((r) => r.type === 'deleted-draft' && r.interviewId === call.id);
    expect(removed.message).toContain('confirmation draft removed from Drafts');
  });

  it('a send that writes its own draft meanwhile sends nothing and leaves no draft', async () => {
    const call = await callAhead();
    const cancelled = landingIn(call.h.engine, 'createDraft', () => call.show({ ...call.event, sequence: 2, status: 'CANCELLED' }));

    const outcome = await runAction(cancelled, job(call.id, 'confirmation-send'));

    expect(smtp.countByMessageId(confirmationId(call.id, 1))).toBe(0);
    expect(outcome).toMatchObject({ state: 'stale' });
    expect(outcome.message).toContain('cancelled while its confirmation draft was written');
    expect((await imapFolder(dovecot, 'Sent')).filter((m) => m.messageId === confirmationId(call.id, 1))).toEqual([]);
    expect((await imapFolder(dovecot, 'Drafts')).filter((m) => m.messageId === confirmationId(call.id, 1))).toEqual([]);
  });
});

describe('a confirmation whose call is cancelled while it is being sent', () => {
  // The sync of another process reads the cancellation while the SMTP server holds the message
  // (recorded, not yet answered): the send had looked at the call and found it scheduled. An email
  // handed to the mail server cannot be taken back; the cancellation then removed the draft "from
  // Drafts" and said so, while the confirmation went out and was filed in Sent.
  it('goes out once, and the audit says it was being sent, not that its draft was removed', async () => {
    const call = await callAhead();
    const other = await openSecondEngine(call.h);
    try {
      smtp.beforeNextAccept(() => call.show({ ...call.event, sequence: 2, status: 'CANCELLED' }, other.engine));

      const outcome = await runAction(call.h.engine, job(call.id, 'confirmation-send'));

      expect((await getInterview(call.h.engine.store, call.id))?.status).toBe('cancelled');
      expect(smtp.countByMessageId(confirmationId(call.id, 1))).toBe(1);
      expect(outcome).toMatchObject({ state: 'sent' });
      expect((await imapFolder(dovecot, 'Sent')).filter((m) => m.messageId === confirmationId(call.id, 1))).toHaveLength(1);
      expect((await imapFolder(dovecot, 'Drafts')).filter((m) => m.messageId.includes(`.${call.id}.`))).toEqual([]);
      expect(await getEmail(call.h.engine.store, call.id, 'confirmation')).toMatchObject({ state: 'sent' });
      const entries = await call.h.audit(call.id);
      expect(entries.filter((r) => r.type === 'deleted-draft')).toEqual([]);
      // What the cancellation found, then what became of the send.
      const told = entries.filter((r) => r.message.includes('already being sent') || r.type === 'sent').map((r) => r.type);
      expect(told).toEqual(['cancelled', 'sent']);
      expect(entries.find((r) => r.message.includes('already being sent'))?.message).toContain('was already being sent when the call was cancelled: a send under way is not stopped');
    } finally {
      await other.close();
    }
  });
});

/**
 * The send has claimed its Message-ID (the call was scheduled then, and the claim holds the draft's
 * lock) and asks the mailbox to send the draft; the cancellation lands before the adapter reads
 * the draft from Dovecot. Landed through the mailbox's own `send`, the way a sync of another
 * process lands while this one waits on the IMAP server. Before, the claim was the point of no
 * return: the cancellation found the lock held and said "already being sent", and the email left.
 * Now the adapter asks, right before it hands the draft to SMTP, whether the call is still as the
 * claim read it, in the same Redis step that records the send as submitted.
 */
describe('a confirmation whose call changes after its send was claimed and before the mailbox reads the draft', () => {
  it('a cancellation then is honoured: nothing reaches the mail server, the draft is removed, and the audit says so', async () => {
    const call = await callAhead();
    expect(await runAction(call.h.engine, job(call.id, 'confirmation-draft'))).toMatchObject({ state: 'done' });
    const other = await openSecondEngine(call.h);
    try {
      const cancelled = landingIn(call.h.engine, 'send', () => call.show({ ...call.event, sequence: 2, status: 'CANCELLED' }, other.engine));

      const outcome = await runAction(cancelled, job(call.id, 'confirmation-send'));

      expect((await getInterview(call.h.engine.store, call.id))?.status).toBe('cancelled');
      expect(smtp.countByMessageId(confirmationId(call.id, 1))).toBe(0);
      expect(outcome).toMatchObject({ state: 'stale' });
      expect(outcome.message).toContain('cancelled');
      expect((await imapFolder(dovecot, 'Sent')).filter((m) => m.messageId.includes(`.${call.id}.`))).toEqual([]);
      expect((await imapFolder(dovecot, 'Drafts')).filter((m) => m.messageId.includes(`.${call.id}.`))).toEqual([]);
      expect((await getEmail(call.h.engine.store, call.id, 'confirmation'))?.state).toBe('deleted');
      const entries = await call.h.audit(call.id);
      expect(entries.filter((r) => r.type === 'sent')).toEqual([]);
      expect(entries.filter((r) => r.message.includes('already being sent'))).toEqual([]);
      expect(entries.find((r) => r.type === 'deleted-draft')?.message).toContain('confirmation draft removed from Drafts');
    } finally {
      await other.close();
    }
  });

  it('a move then sends nothing for the old time', async () => {
    const call = await callAhead();
    expect(await runAction(call.h.engine, job(call.id, 'confirmation-draft'))).toMatchObject({ state: 'done' });
    const other = await openSecondEngine(call.h);
    try {
      const moved = landingIn(call.h.engine, 'send', () => call.show({ ...call.event, sequence: 2, start: call.event.start + HOUR, end: call.event.end + HOUR }, other.engine));

      const outcome = await runAction(moved, job(call.id, 'confirmation-send'));

      expect((await getInterview(call.h.engine.store, call.id))?.revision).toBe(2);
      expect(smtp.countByMessageId(confirmationId(call.id, 1))).toBe(0);
      expect(outcome).toMatchObject({ state: 'stale' });
      expect(outcome.message).toContain('moved');
      expect((await imapFolder(dovecot, 'Sent')).filter((m) => m.messageId.includes(`.${call.id}.`))).toEqual([]);
      expect(await getEmail(call.h.engine.store, call.id, 'confirmation')).not.toMatchObject({ state: 'submitted' });
    } finally {
      await other.close();
    }
  });

  it('a draft the user deletes then is their veto, not a failure', async () => {
    const call = await callAhead();
    expect(await runAction(call.h.engine, job(call.id, 'confirmation-draft'))).toMatchObject({ state: 'done' });
    const deleted = landingIn(call.h.engine, 'send', async () => {
      const client = await mailClient(dovecot);
      try {
        const lock = await client.getMailboxLock('Drafts');
        try {
          const uids = await client.search({ header: { 'message-id': confirmationId(call.id, 1) } }, { uid: true });
          expect(uids).not.toEqual(false);
          expect((uids || []).length).toBe(1);
          await client.messageDelete(uids || [], { uid: true });
        } finally {
          lock.release();
        }
      } finally {
        await client.logout();
      }
    });

    const outcome = await runAction(deleted, job(call.id, 'confirmation-send'));

    expect(smtp.countByMessageId(confirmationId(call.id, 1))).toBe(0);
    expect(outcome).toMatchObject({ state: 'vetoed' });
    expect(outcome.message).toContain('you deleted the confirmation draft');
    expect((await getEmail(call.h.engine.store, call.id, 'confirmation'))?.state).toBe('vetoed');
    expect((await call.h.audit(call.id)).filter((r) => r.type === 'vetoed')).toHaveLength(1);
  });
});

describe('a confirmation written or sent while its call moves', () => {
  it('a send of the old time, its draft written before the move, sends nothing', async () => {
    const call = await callAhead();
    expect(await runAction(call.h.engine, job(call.id, 'confirmation-draft'))).toMatchObject({ state: 'done' });
    const moved = landingIn(call.h.engine, 'draftState', () => call.show({ ...call.event, sequence: 2, start: call.event.start + HOUR, end: call.event.end + HOUR }));

    const outcome = await runAction(moved, job(call.id, 'confirmation-send'));

    expect((await getInterview(call.h.engine.store, call.id))?.revision).toBe(2);
    expect(smtp.countByMessageId(confirmationId(call.id, 1))).toBe(0);
    expect(outcome).toMatchObject({ state: 'stale' });
    expect(outcome.message).toContain('moved while its confirmation');
    expect((await imapFolder(dovecot, 'Sent')).filter((m) => m.messageId.includes(`.${call.id}.`))).toEqual([]);
    expect((await imapFolder(dovecot, 'Drafts')).filter((m) => m.messageId.includes(`.${call.id}.`))).toEqual([]);
  });

  it('a draft of the old time written meanwhile is removed, and the new time’s draft is written after it', async () => {
    const call = await callAhead();
    const moved = landingIn(call.h.engine, 'createDraft', () => call.show({ ...call.event, sequence: 2, start: call.event.start + HOUR, end: call.event.end + HOUR }));

    const outcome = await runAction(moved, job(call.id, 'confirmation-draft'));

    expect((await imapFolder(dovecot, 'Drafts')).filter((m) => m.messageId.includes(`.${call.id}.`))).toEqual([]);
    expect(outcome).toMatchObject({ state: 'stale' });
    expect(outcome.message).toContain('moved while its confirmation draft was written');
    const removed = await call.h.waitForAudit((r) => r.type === 'deleted-draft' && r.interviewId === call.id);
    expect(removed.message).toContain('written for the old time was removed');

    expect(await runAction(call.h.engine, job(call.id, 'confirmation-draft', 2))).toMatchObject({ state: 'done' });
    expect((await imapFolder(dovecot, 'Drafts')).filter((m) => m.messageId.includes(`.${call.id}.`))).toEqual([{ messageId: confirmationId(call.id, 2), draft: true }]);
  });

  it('a draft that tells of a time already confirmed is left for the new time’s draft, which still says which time it replaces', async () => {
    const call = await callAhead();
    expect(await runAction(call.h.engine, job(call.id, 'confirmation-send'))).toMatchObject({ state: 'sent' });
    const later = (hours: number, sequence: number) => ({ ...call.event, sequence, start: call.event.start + hours * HOUR, end: call.event.end + hours * HOUR });
    await call.show(later(1, 2));
    const movedAgain = landingIn(call.h.engine, 'createDraft', () => call.show(later(2, 3)));

    const outcome = await runAction(movedAgain, job(call.id, 'confirmation-draft', 2));

    expect(outcome).toMatchObject({ state: 'stale' });
    expect(outcome.message).not.toContain('the draft was removed');
    expect(await runAction(call.h.engine, job(call.id, 'confirmation-draft', 3))).toMatchObject({ state: 'done' });
    const drafts = (await imapFolder(dovecot, 'Drafts')).filter((m) => m.messageId.includes(`.${call.id}.`));
    expect(drafts).toEqual([{ messageId: confirmationId(call.id, 3), draft: true }]);
    // What the interviewer was told first is still known: the new draft names the time it replaces.
    expect(await getEmail(call.h.engine.store, call.id, 'confirmation')).toMatchObject({ revision: 3, state: 'draft', confirmed: call.event.start });
  });

  it('a late draft job of the old time leaves the new time’s draft as it is', async () => {
    const call = await callAhead();
    const asRead = await getInterview(call.h.engine.store, call.id);
    const records = await getActionRecords(call.h.engine.store, call.id);
    if (!asRead) throw new Error('the interview was not recorded');
    await call.show({ ...call.event, sequence: 2, start: call.event.start + HOUR, end: call.event.end + HOUR });
    expect(await runAction(call.h.engine, job(call.id, 'confirmation-draft', 2))).toMatchObject({ state: 'done' });

    // The job of revision 1, as it read the call before it moved, ends as the action runner ends it.
    const late = await draftConfirmation(call.h.engine, asRead, records);
    await settleActionState(call.h.engine.store, undefined, { ...job(call.id, 'confirmation-draft'), state: late.state, note: late.message }, [], late.release);

    const drafts = (await imapFolder(dovecot, 'Drafts')).filter((m) => m.messageId.includes(`.${call.id}.`));
    expect(drafts).toEqual([{ messageId: confirmationId(call.id, 2), draft: true }]);
    expect(late.state).toBe('stale');
    expect(await getEmail(call.h.engine.store, call.id, 'confirmation')).toMatchObject({ revision: 2, state: 'draft' });
  });
});
