/**
 * The whole engine through the standard-protocol adapters (issue 4, "Done when"): events created
 * over CalDAV in a real Radicale, drafts and Sent in a real Dovecot over IMAP, sending through a
 * real SMTP server that records what it receives. Real Redis, real BullMQ workers; the engine
 * clock moves, the queue runs for real. What the servers hold is read back from the servers.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { interviewIdFor } from '../../src/domain/ids.js';
import { AuthError } from '../../src/providers/errors.js';
import { getAccountStatus } from '../../src/store/accounts.js';
import { getInterview } from '../../src/store/interviews.js';
import { harnessCalendarToIcs, type HarnessEvent } from '../providers/calendar/contract.js';
import { dovecotVersionSync, imapFolder, startDovecot, type ImapMessage, type TestDovecot } from '../support/dovecot.js';
import { MINUTE, interviewEvent, startEngineHarness, syncOnce, type EngineHarness, type HarnessOptions } from '../support/engine-harness.js';
import { radicaleVersionSync, startRadicale, type TestRadicale } from '../support/radicale.js';
import { startRecordingSmtpServer, type RecordingSmtpServer } from '../support/smtp-server.js';

const HOUR = 60 * MINUTE;

let radicale: TestRadicale;
let dovecot: TestDovecot;
let smtp: RecordingSmtpServer;
let h: EngineHarness | null = null;
const extraDovecots: TestDovecot[] = [];

beforeAll(async () => {
  [radicale, dovecot, smtp] = await Promise.all([startRadicale(), startDovecot(), startRecordingSmtpServer()]);
});
afterEach(async () => {
  await h?.stop();
  h = null;
  for (const d of extraDovecots.splice(0)) await d.stop();
});
afterAll(async () => {
  await Promise.all([radicale?.stop(), dovecot?.stop(), smtp?.stop()]);
});

/** A calendar of its own for one test, on the shared Radicale. */
async function newCalendar(): Promise<string> {
  return await radicale.makeCalendar(`cal-${randomUUID().slice(0, 8)}`);
}

async function putEvent(calendarUrl: string, event: HarnessEvent): Promise<void> {
  await radicale.putObject(calendarUrl, `${encodeURIComponent(event.uid)}.ics`, harnessCalendarToIcs([event]));
}

function caldavEntry(id: string, calendarUrl: string): Record<string, unknown> {
  return { type: 'caldav', id, url: radicale.url, username: radicale.username, calendars: [calendarUrl] };
}

function imapEntry(server: TestDovecot): Record<string, unknown> {
  return {
    type: 'imap',
    id: 'mail',
    host: server.host,
    port: server.port,
    secure: false,
    username: server.username,
    smtp: { host: smtp.host, port: smtp.port, secure: false },
    serverFilesSent: false,
  };
}

async function harness(options: HarnessOptions): Promise<EngineHarness> {
  h = await startEngineHarness(options);
  return h;
}


/** The messages of one interview in `folder`. */
async function mine(server: TestDovecot, folder: 'Drafts' | 'Sent', interviewId: string): Promise<ImapMessage[]> {
  return (await imapFolder(server, folder)).filter((m) => m.messageId.includes(`.${interviewId}.`));
}

const confirmationId = (interviewId: string, revision: number) => `<ringback.${interviewId}.confirmation.${revision}@example.org>`;

describe(`engine on CalDAV and IMAP/SMTP (Radicale ${radicaleVersionSync()}, Dovecot ${dovecotVersionSync()})`, () => {
  it('event created in Radicale → draft in Dovecot Drafts → sent through SMTP and filed in Sent exactly once', async () => {
    const calendar = await newCalendar();
    const h = await harness({
      calendars: [caldavEntry('work', calendar)],
      mailbox: imapEntry(dovecot),
      secrets: { work: { password: radicale.password }, mail: { password: dovecot.password } },
    });
    const uid = `ci-${randomUUID()}@test`;
    const start = Math.floor((h.now() + 2 * HOUR) / 1000) * 1000;
    await putEvent(calendar, interviewEvent({ uid, start }));
    const summary = await syncOnce(h.engine, 'work');
    expect(summary.interviewsNew).toBe(1);
    await h.start();

    const id = interviewIdFor('work', uid);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    const drafts = await mine(dovecot, 'Drafts', id);
    expect(drafts).toEqual([{ messageId: confirmationId(id, 1), draft: true }]);
    expect(await mine(dovecot, 'Sent', id)).toHaveLength(0);
    expect(smtp.countByMessageId(confirmationId(id, 1))).toBe(0);

    await h.advance(2 * HOUR - 15 * MINUTE);
    await h.waitForAudit((r) => r.type === 'sent' && r.interviewId === id);
    const received = await smtp.waitFor((m) => m.messageId === confirmationId(id, 1) || m.ringbackRef === confirmationId(id, 1));
    expect(received.envelope.to).toContain('dana@acme.example');
    expect(received.text).toContain('I look forward');
    expect(smtp.countByMessageId(confirmationId(id, 1))).toBe(1);
    expect(await mine(dovecot, 'Sent', id)).toEqual([{ messageId: confirmationId(id, 1), draft: false }]);
    expect(await mine(dovecot, 'Drafts', id)).toHaveLength(0);

    // Another sync and a reconcile change nothing: still one message out, one in Sent.
    await syncOnce(h.engine, 'work');
    await h.advance(0);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(smtp.countByMessageId(confirmationId(id, 1))).toBe(1);
    expect(await mine(dovecot, 'Sent', id)).toHaveLength(1);
  });

  it('event moved in Radicale → the draft in Dovecot is rewritten, one draft left', async () => {
    const calendar = await newCalendar();
    const h = await harness({
      calendars: [caldavEntry('work', calendar)],
      mailbox: imapEntry(dovecot),
      secrets: { work: { password: radicale.password }, mail: { password: dovecot.password } },
    });
    const uid = `mv-${randomUUID()}@test`;
    const start = Math.floor((h.now() + 3 * HOUR) / 1000) * 1000;
    await putEvent(calendar, interviewEvent({ uid, start }));
    await syncOnce(h.engine, 'work');
    await h.start();
    const id = interviewIdFor('work', uid);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    expect(await mine(dovecot, 'Drafts', id)).toEqual([{ messageId: confirmationId(id, 1), draft: true }]);

    await putEvent(calendar, interviewEvent({ uid, start: start + 2 * HOUR }));
    const summary = await syncOnce(h.engine, 'work');
    expect(summary.interviewsUpdated).toBe(1);
    expect((await getInterview(h.runtime.store, id))?.revision).toBe(2);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id && r.message.includes('rewritten'));
    expect(await mine(dovecot, 'Drafts', id)).toEqual([{ messageId: confirmationId(id, 2), draft: true }]);
    expect(await mine(dovecot, 'Sent', id)).toHaveLength(0);
  });

  it('a wrong IMAP password → the mailbox needs attention, and a second calendar account keeps syncing', async () => {
    // A Dovecot of its own: its auth penalty for the refused logins stays out of the other tests.
    const own = await startDovecot();
    extraDovecots.push(own);
    const [first, second] = await Promise.all([newCalendar(), newCalendar()]);
    const h = await harness({
      calendars: [caldavEntry('work', first), caldavEntry('home', second)],
      mailbox: imapEntry(own),
      secrets: { work: { password: radicale.password }, home: { password: radicale.password }, mail: { password: 'not-the-password' } },
    });
    const uid = `pw-${randomUUID()}@test`;
    await putEvent(first, interviewEvent({ uid, start: Math.floor((h.now() + 3 * HOUR) / 1000) * 1000 }));
    await syncOnce(h.engine, 'work');
    await h.start();
    const id = interviewIdFor('work', uid);

    // The confirmation draft waits for the mailbox (it used to fail for good): one line says why.
    const failed = await h.waitForAudit((r) => r.type === 'account' && r.accountId === 'mail' && r.message.includes('needs attention'));
    expect(failed.message).toContain('IMAP server refused the username or app password');
    expect(failed.message).not.toContain('not-the-password');
    expect((await getAccountStatus(h.runtime.store, 'mail')).attention).toBe('needs-reauth');
    expect((await h.audit(id)).filter((r) => r.type === 'error')).toHaveLength(0);
    expect(await mine(own, 'Drafts', id)).toHaveLength(0);

    // The calendars go on: a new event in the second account is found and planned.
    const other = `home-${randomUUID()}@test`;
    await putEvent(second, interviewEvent({ uid: other, start: Math.floor((h.now() + 5 * HOUR) / 1000) * 1000 }));
    const summary = await syncOnce(h.engine, 'home');
    expect(summary.interviewsNew).toBe(1);
    expect(await getInterview(h.runtime.store, interviewIdFor('home', other))).not.toBeNull();
    const home = await getAccountStatus(h.runtime.store, 'home');
    expect(home.attention).toBeNull();
    expect(home.lastSyncAt).not.toBeNull();
    expect((await getAccountStatus(h.runtime.store, 'work')).attention).toBeNull();
    expect((await getAccountStatus(h.runtime.store, 'mail')).attention).toBe('needs-reauth');
  });

  it('a wrong CalDAV password on one account → it needs re-auth, the other still reaches Dovecot Drafts', async () => {
    const [good, bad] = await Promise.all([newCalendar(), newCalendar()]);
    const h = await harness({
      calendars: [caldavEntry('good', good), caldavEntry('bad', bad)],
      mailbox: imapEntry(dovecot),
      secrets: { good: { password: radicale.password }, bad: { password: 'wrong-s3cret' }, mail: { password: dovecot.password } },
    });
    const start = Math.floor((h.now() + 3 * HOUR) / 1000) * 1000;
    const goodUid = `good-${randomUUID()}@test`;
    await putEvent(good, interviewEvent({ uid: goodUid, start }));
    await putEvent(bad, interviewEvent({ uid: `bad-${randomUUID()}@test`, start: start + HOUR }));

    const refused = await syncOnce(h.engine, 'bad').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AuthError);
    const status = await getAccountStatus(h.runtime.store, 'bad');
    expect(status.attention).toBe('needs-reauth');
    expect(status.lastError).not.toContain('wrong-s3cret');
    const said = await h.waitForAudit((r) => r.type === 'account' && r.accountId === 'bad');
    expect(said.message).toContain('bad needs you to sign in again');

    expect((await syncOnce(h.engine, 'good')).interviewsNew).toBe(1);
    await h.start();
    const id = interviewIdFor('good', goodUid);
    await h.waitForAudit((r) => r.type === 'drafted' && r.interviewId === id);
    expect(await mine(dovecot, 'Drafts', id)).toEqual([{ messageId: confirmationId(id, 1), draft: true }]);
    expect((await getAccountStatus(h.runtime.store, 'good')).attention).toBeNull();
  });
});

