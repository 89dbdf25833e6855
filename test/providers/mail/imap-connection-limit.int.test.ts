/**
 * Dovecot's limit on IMAP sessions one user holds at once from one address
 * (`mail_max_userip_connections`, 10 unless set otherwise: docker-mailserver/docker-mailserver
 * #1165, Mailu/Mailu#894), against a real Dovecot started with a limit of 1 and the user's own mail
 * client holding that one session. A login past it is refused: Dovecot 2.3 answers RFC 5530's
 * LIMIT, "NO [LIMIT] Maximum number of connections from user+IP exceeded
 * (mail_max_userip_connections=1)" (what the Dovecot of this test says), and earlier servers
 * UNAVAILABLE, "A1 NO [UNAVAILABLE] Maximum number of connections from user+IP exceeded
 * (mail_max_userip_connections=16)" (mscdex/node-imap#606; "=30", mscdex/node-imap#882). Users
 * meet it with several clients on one account, or several devices behind one address
 * (mail-in-a-box/mailinabox#1799: "If the limit is exceeded, *all* connections from that IP start
 * to fail"). imapflow marks it a failed login. The password is right: the account waits and is
 * tried again, saying what holds the sessions, and works again once the user's client lets one go.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MailboxConfig } from '../../../config/types.js';
import { connectImap } from '../../../src/cli/connect/imap.js';
import { fixFor } from '../../../src/engine/account-fix.js';
import { BadInputError } from '../../../src/errors.js';
import { accountTrouble } from '../../../src/engine/outage.js';
import { AuthError, TransientError } from '../../../src/providers/errors.js';
import { checkImapLogin, createImapMailbox } from '../../../src/providers/mail/imap.js';
import { composedEmail } from '../../support/composed-email.js';
import { dovecotVersionSync, mailClient, startDovecot, startImapCutProxy, type TestDovecot } from '../../support/dovecot.js';
import { startRecordingSmtpServer, type RecordingSmtpServer } from '../../support/smtp-server.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function servers(): Promise<{ dovecot: TestDovecot; smtp: RecordingSmtpServer }> {
  const dovecot = await startDovecot({ maxUserIpConnections: 1 });
  cleanups.push(() => dovecot.stop());
  const smtp = await startRecordingSmtpServer();
  cleanups.push(() => smtp.stop());
  return { dovecot, smtp };
}

describe(`an IMAP account past Dovecot's connections per user and address (Dovecot ${dovecotVersionSync()})`, () => {
  it('waits and says that other mail clients hold the sessions, never "sign in again"; works once one is let go', async () => {
    const { dovecot, smtp } = await servers();
    const usersClient = await mailClient(dovecot);
    const mailbox = createImapMailbox({
      id: 'mail',
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      username: dovecot.username,
      password: dovecot.password,
      smtp: { host: smtp.host, port: smtp.port, secure: false },
      serverFilesSent: false,
    });
    cleanups.push(() => mailbox.close());
    const draft = composedEmail();

    const failure = await mailbox.createDraft(draft).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TransientError);
    expect(failure).not.toBeInstanceOf(AuthError);
    expect(accountTrouble(failure)).toBe('unreachable');
    expect((failure as Error).message).toContain('Maximum number of connections from user+IP exceeded');
    expect((failure as Error).message).not.toContain(dovecot.password);
    const config = { type: 'imap', id: 'mail', host: 'mail.example.org', port: 993, secure: true, username: 'ada', smtp: { host: 'mail.example.org', port: 587, secure: false } } as MailboxConfig;
    const fix = fixFor(config, 'unreachable', failure);
    expect(fix).toMatch(/connections to this account from this address/);
    expect(fix).toMatch(/close a mail client/);
    expect(fix).toMatch(/1 at once/);
    expect(fix).not.toMatch(/is up and reachable/);
    expect(fix).not.toMatch(/sign in again/);

    // The `connect imap` check says the same.
    const check = await checkImapLogin({ host: dovecot.host, port: dovecot.port, secure: false, username: dovecot.username, password: dovecot.password }).catch((error: unknown) => error);
    expect(check).toBeInstanceOf(TransientError);
    expect((check as TransientError).fix).toMatch(/connections to this account/);

    // The user's client lets its session go: the same step goes through, written once.
    await usersClient.logout();
    const ref = await mailbox.createDraft(draft);
    expect(await mailbox.draftState(ref)).toMatchObject({ state: 'draft' });
  });

  /**
   * The same refusal under UNAVAILABLE, as earlier servers say it (mscdex/node-imap#606): the real
   * Dovecot's answer with its code rewritten on the way (adapted). UNAVAILABLE alone is a server in
   * trouble; with these words it is the same limit, and the account says so.
   */
  it('says the same of the refusal under [UNAVAILABLE]', async () => {
    const { dovecot } = await servers();
    const usersClient = await mailClient(dovecot);
    cleanups.push(() => usersClient.logout());
    const proxy = await startImapCutProxy(dovecot);
    cleanups.push(() => proxy.stop());
    proxy.rewrite = (fromServer) => fromServer.replace('NO [LIMIT] Maximum number of connections', 'NO [UNAVAILABLE] Maximum number of connections');
    const check = await checkImapLogin({ host: proxy.host, port: proxy.port, secure: false, username: dovecot.username, password: dovecot.password }).catch((error: unknown) => error);
    expect(check).toBeInstanceOf(TransientError);
    expect((check as Error).message).toContain('Maximum number of connections from user+IP exceeded (mail_max_userip_connections=1)');
    expect((check as TransientError).fix).toMatch(/connections to this account from this address/);
  });

  it('`connect imap` says the same in its one line, not "wrong password"', async () => {
    const { dovecot, smtp } = await servers();
    const usersClient = await mailClient(dovecot);
    cleanups.push(() => usersClient.logout());
    const io = {
      signal: new AbortController().signal,
      ask: async (question: string) => Promise.reject(new BadInputError(`${question}: required when not on a terminal`)),
      say: () => undefined,
      openUrl: async () => undefined,
    };
    const flags = { host: dovecot.host, port: dovecot.port, secure: false, username: dovecot.username, password: dovecot.password, smtpHost: smtp.host, smtpPort: smtp.port, smtpSecure: false };
    const failure = await connectImap(flags, io).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BadInputError);
    const line = (failure as Error).message;
    expect(line).toMatch(/^connect imap: IMAP 127\.0\.0\.1:\d+: IMAP login refused: Maximum number of connections/);
    expect(line).toMatch(/allows 1 at once/);
    expect(line).not.toMatch(/wrong password/);
    expect(line).not.toContain(dovecot.password);
  });
});
