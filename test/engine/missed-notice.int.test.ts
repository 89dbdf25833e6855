/**
 * A confirmation that did not leave is told in the candidate's own mailbox: a short note in their
 * Drafts, addressed to them and never sent, once. On the real servers: the calendar in Radicale,
 * the drafts in Dovecot (IMAP), sends through a recording SMTP server. The send's time passes
 * while ringback is not running (the harness's clock moves on with no job run); the reconciler
 * that runs when it starts again finds the call less than `minLeadMinutes` away and records the
 * send as missed, as the README says ("When an account is down").
 */
import { randomUUID } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { runAction } from '../../src/engine/actions.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { getActionRecords } from '../../src/store/interviews.js';
import { harnessCalendarToIcs, type HarnessEvent } from '../providers/calendar/contract.js';
import { mailClient, startDovecot, startImapCutProxy, type ImapCutProxy, type TestDovecot } from '../support/dovecot.js';
import { CANDIDATE, MINUTE, interviewEvent, openSecondEngine, startEngineHarness, syncOnce, type EngineHarness } from '../support/engine-harness.js';
import { startRadicale, type TestRadicale } from '../support/radicale.js';
import { startRecordingSmtpServer, type RecordingSmtpServer } from '../support/smtp-server.js';

const HOUR = 60 * MINUTE;

let radicale: TestRadicale;
let dovecot: TestDovecot;
let smtp: RecordingSmtpServer;
let h: EngineHarness | null = null;
let proxy: ImapCutProxy | null = null;

beforeAll(async () => {
  [radicale, dovecot, smtp] = await Promise.all([startRadicale(), startDovecot(), startRecordingSmtpServer()]);
});
afterEach(async () => {
  await h?.stop();
  h = null;
  await proxy?.stop();
  proxy = null;
});
afterAll(async () => {
  await Promise.all([radicale?.stop(), dovecot?.stop(), smtp?.stop()]);
});

/** Every message in Dovecot's Drafts whose Message-ID names the interview, parsed. */
async function draftsOf(interviewId: string): Promise<ParsedMail[]> {
  const client = await mailClient(dovecot);
  try {
    const lock = await client.getMailboxLock('Drafts');
    try {
      if (!client.mailbox || client.mailbox.exists === 0) return [];
      const out: ParsedMail[] = [];
      for await (const message of client.fetch('1:*', { source: true, flags: true })) {
        if (message.flags?.has('\\Deleted') || !message.source) continue;
        const mail = await simpleParser(message.source);
        // By its Message-ID, or for a draft a client saved again under a new one, by the X-Ringback-Ref it keeps.
        const ref = mail.headers.get('x-ringback-ref');
        if (mail.messageId?.includes(`.${interviewId}.`) || (typeof ref === 'string' && ref.includes(`.${interviewId}.`))) out.push(mail);
      }
      return out;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}

/** An accepted call with Dana 5 hours ahead in a calendar of its own, read once, its confirmation drafted. */
async function drafted(imap: { host: string; port: number } = dovecot): Promise<{ h: EngineHarness; id: string; event: HarnessEvent; show: () => Promise<void>; cancel: () => Promise<void> }> {
  const calendar = await radicale.makeCalendar(`cal-${randomUUID().slice(0, 8)}`);
  h = await startEngineHarness({
    calendars: [{ type: 'caldav', id: 'work', url: radicale.url, username: radicale.username, calendars: [calendar] }],
    mailbox: { type: 'imap', id: 'mail', host: imap.host, port: imap.port, secure: false, username: dovecot.username, smtp: { host: smtp.host, port: smtp.port, secure: false }, serverFilesSent: false },
    secrets: { work: { password: radicale.password }, mail: { password: dovecot.password } },
  });
  const harness = h;
  const uid = `notice-${randomUUID()}@test`;
  const event = interviewEvent({ uid, start: Math.floor((harness.now() + 5 * HOUR) / 1000) * 1000, title: 'Phone screen: Platform Engineer (Acme)', organizer: { name: 'Dana Whitfield', email: 'dana@acme.example' } });
  const show = async () => {
    await radicale.putObject(calendar, `${encodeURIComponent(uid)}.ics`, harnessCalendarToIcs([event]));
    await syncOnce(harness.engine, 'work');
  };
  await show();
  const id = interviewIdFor('work', uid);
  expect((await runAction(harness.engine, { interviewId: id, kind: 'confirmation-draft', revision: 1 })).state).toBe('done');
  // The organizer's cancellation (RFC 5545 STATUS:CANCELLED), read by the next sync.
  const cancel = async () => {
    await radicale.putObject(calendar, `${encodeURIComponent(uid)}.ics`, harnessCalendarToIcs([{ ...event, status: 'CANCELLED', sequence: 1 }]));
    await syncOnce(harness.engine, 'work');
  };
  return { h: harness, id, event, show, cancel };
}

async function sendState(harness: EngineHarness, id: string): Promise<string | undefined> {
  return (await getActionRecords(harness.runtime.store, id)).find((r) => r.kind === 'confirmation-send')?.state;
}

describe('a confirmation that did not leave', () => {
  it('leaves the candidate one note in Drafts, to themselves, saying what was not sent and why; never sent, never written twice', async () => {
    const call = await drafted();
    // Its send was due an hour before the call; ringback runs again 5 minutes before it.
    await call.h.advance(5 * HOUR - 5 * MINUTE, { sync: false });
    expect(await sendState(call.h, call.id)).toBe('missed');

    const notes = (await draftsOf(call.id)).filter((m) => m.messageId?.includes('.notice.'));
    expect(notes).toHaveLength(1);
    const [note] = notes;
    expect(note?.to && !Array.isArray(note.to) ? note.to.value.map((a) => a.address) : []).toEqual([CANDIDATE.email]);
    expect(note?.subject).toMatch(/^Not sent: your confirmation for /);
    const text = (note?.text ?? '').replace(/\s+/g, ' ');
    expect(text).toContain('for you only: this note goes to nobody else');
    expect(text).toContain('Your confirmation to Dana Whitfield (Acme) for your phone interview for the Platform Engineer role');
    expect(text).toContain('did not run then (ringback was not running)');
    expect(text).toContain('Dana Whitfield has not had it.');
    expect(text.split(' ').length).toBeLessThanOrEqual(120);
    expect(text).not.toContain('Phone screen:');
    expect(smtp.messages.filter((m) => m.raw.includes('.notice.'))).toEqual([]);
    expect((await call.h.audit(call.id)).filter((r) => r.message.includes('not sent is in your Drafts'))).toHaveLength(1);

    // Every later round, and another process started on the same Redis, find it written.
    await reconcile(call.h.engine);
    const other = await openSecondEngine(call.h);
    try {
      await reconcile(other.engine);
      await reconcile(other.engine);
    } finally {
      await other.close();
    }
    expect((await draftsOf(call.id)).filter((m) => m.messageId?.includes('.notice.'))).toHaveLength(1);
    expect((await call.h.audit(call.id)).filter((r) => r.message.includes('not sent is in your Drafts'))).toHaveLength(1);
  });

  it('is not written twice when the mailbox stored it and the answer was lost (a crash at that moment): the next round finds it', async () => {
    proxy = await startImapCutProxy(dovecot);
    const call = await drafted(proxy);
    // Dovecot stores the note; the connection is cut before ringback hears so.
    proxy.cutAtNextAppend('stored');
    await call.h.advance(5 * HOUR - 5 * MINUTE, { sync: false });
    expect(await sendState(call.h, call.id)).toBe('missed');
    expect(proxy.cuts).toBe(1);
    expect((await draftsOf(call.id)).filter((m) => m.messageId?.includes('.notice.'))).toHaveLength(1);

    await reconcile(call.h.engine);
    await reconcile(call.h.engine);
    expect((await draftsOf(call.id)).filter((m) => m.messageId?.includes('.notice.'))).toHaveLength(1);
  });

  it('is deleted from Drafts when the call is then cancelled, with the confirmation', async () => {
    const call = await drafted();
    await call.h.advance(5 * HOUR - 5 * MINUTE, { sync: false });
    expect((await draftsOf(call.id)).filter((m) => m.messageId?.includes('.notice.'))).toHaveLength(1);
    await call.cancel();
    expect(await draftsOf(call.id)).toEqual([]);
    expect((await call.h.audit(call.id)).filter((r) => r.type === 'deleted-draft').map((r) => r.message.split(' (')[0])).toEqual([
      'confirmation draft removed from Drafts',
      'the note that the confirmation was not sent was removed from Drafts',
    ]);
  });

  it('stays in Drafts when the user changed it before the call was cancelled', async () => {
    const call = await drafted();
    await call.h.advance(5 * HOUR - 5 * MINUTE, { sync: false });
    // As Thunderbird saves an edited draft (imap.int.test.ts): a new message with a new Message-ID,
    // the user's text and the X-Ringback-Ref header kept, the old one removed.
    const client = await mailClient(dovecot);
    try {
      const lock = await client.getMailboxLock('Drafts');
      try {
        let found: { uid: number; source: Buffer } | null = null;
        for await (const m of client.fetch('1:*', { uid: true, source: true, envelope: true })) {
          if (m.source && m.envelope?.messageId?.includes(`.${call.id}.`) && m.envelope.messageId.includes('.notice.')) found = { uid: m.uid, source: m.source };
        }
        if (!found) throw new Error('no note in Drafts');
        const parsed = await simpleParser(found.source);
        const edited = await new MailComposer({
          messageId: `<edit.${randomUUID()}@thunderbird.example>`,
          date: new Date(),
          from: parsed.from?.text ?? '',
          to: Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? ''),
          subject: parsed.subject ?? '',
          text: 'Call Dana back at 555 0142 before Friday.',
          headers: { 'X-Ringback-Ref': String(parsed.headers.get('x-ringback-ref') ?? parsed.messageId ?? '') },
        })
          .compile()
          .build();
        await client.append('Drafts', edited, ['\\Draft', '\\Seen']);
        await client.messageDelete(String(found.uid), { uid: true });
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
    await call.cancel();
    const left = await draftsOf(call.id);
    expect(left.map((m) => (m.text ?? '').trim())).toEqual(['Call Dana back at 555 0142 before Friday.']);
    expect((await call.h.audit(call.id)).find((r) => r.message.startsWith('the note'))?.message).toMatch(/stays in your Drafts .*: the call was cancelled, but you changed it/);
  });
});
