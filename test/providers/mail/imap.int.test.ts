/**
 * The `imap` mailbox against a real Dovecot (IMAP) and a real SMTP server that records what it
 * receives. The contract suite runs unchanged; then the failures that must not duplicate mail:
 * a connection dropped in the middle of an APPEND or of an SMTP DATA, and a wrong password.
 */
import { randomUUID } from 'node:crypto';
import type { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ComposedEmail } from '../../../src/domain/types.js';
import { fixFor } from '../../../src/engine/account-fix.js';
import { accountTrouble } from '../../../src/engine/outage.js';
import { AccountUnusableError, AuthError, PermanentError, TransientError } from '../../../src/providers/errors.js';
import { checkImapLogin, createImapMailbox, type ImapMailboxOptions } from '../../../src/providers/mail/imap.js';
import type { DraftRef, Mailbox } from '../../../src/providers/mail/types.js';
import { dovecotVersionSync, mailClient, startDovecot, startImapCutProxy, type TestDovecot } from '../../support/dovecot.js';
import { startRecordingSmtpServer, type RecordingSmtpServer } from '../../support/smtp-server.js';
import { describeMailboxContract, type MailboxHarness } from './contract.js';

function mailboxOptions(dovecot: TestDovecot, smtp: RecordingSmtpServer, overrides: Partial<ImapMailboxOptions> = {}): ImapMailboxOptions {
  return {
    id: 'imap-test',
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    username: dovecot.username,
    password: dovecot.password,
    smtp: { host: smtp.host, port: smtp.port, secure: false },
    serverFilesSent: false,
    ...overrides,
  };
}

/** UIDs in `folder` whose Message-ID or X-Ringback-Ref is `messageId`. */
async function uidsOf(client: ImapFlow, folder: string, messageId: string): Promise<number[]> {
  const lock = await client.getMailboxLock(folder);
  try {
    await client.noop();
    const uids = await client.search(
      { or: [{ header: { 'message-id': messageId } }, { header: { 'x-ringback-ref': messageId } }], deleted: false },
      { uid: true },
    );
    return uids || [];
  } finally {
    lock.release();
  }
}

async function makeHarness(): Promise<MailboxHarness> {
  const dovecot = await startDovecot();
  const smtp = await startRecordingSmtpServer();
  const mailbox = createImapMailbox(mailboxOptions(dovecot, smtp));
  const client = await mailClient(dovecot);

  const draftUid = async (ref: DraftRef): Promise<number> => {
    const [uid] = await uidsOf(client, 'Drafts', ref.messageId);
    if (uid === undefined) throw new Error(`no draft ${ref.messageId} in Drafts`);
    return uid;
  };

  // As Thunderbird saves an edited draft: a new message with a new Message-ID that keeps the
  // unknown X-Ringback-Ref header, then the old one removed.
  // `append` alone: the first step, the one opened left (from Sent when it has left since: the text the client had open).
  const saveAgain = async (ref: DraftRef, edit: { readonly text?: string; readonly addTo?: string; readonly to?: string }, step: 'both' | 'append' = 'both'): Promise<void> => {
    const [inDrafts] = await uidsOf(client, 'Drafts', ref.messageId);
    const opened = inDrafts === undefined && step === 'append' ? 'Sent' : 'Drafts';
    const uid = inDrafts ?? (opened === 'Sent' ? (await uidsOf(client, 'Sent', ref.messageId))[0] : undefined);
    if (uid === undefined) throw new Error(`no draft ${ref.messageId} in Drafts`);
    const lock = await client.getMailboxLock(opened);
    try {
      const old = await client.fetchOne(String(uid), { source: true }, { uid: true });
      if (!old || !old.source) throw new Error('draft has no source');
      const parsed = await simpleParser(old.source);
      const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? '');
      const edited = await new MailComposer({
        messageId: `<edit.${randomUUID()}@thunderbird.example>`,
        date: new Date(),
        from: parsed.from?.text ?? '',
        to: edit.to ?? [to, edit.addTo ?? ''].filter((a) => a !== '').join(', '),
        subject: parsed.subject ?? '',
        text: edit.text ?? parsed.text ?? '',
        headers: { 'X-Ringback-Ref': String(parsed.headers.get('x-ringback-ref') ?? ref.messageId) },
      })
        .compile()
        .build();
      await client.append('Drafts', edited, ['\\Draft', '\\Seen']);
      if (step === 'both') await client.messageDelete(String(uid), { uid: true });
    } finally {
      lock.release();
    }
  };

  return {
    mailbox,
    async userEditsDraft(ref, newText) {
      await saveAgain(ref, { text: newText });
    },
    async userAddressesDraft(ref, to) {
      await saveAgain(ref, { addTo: `"${to.name}" <${to.email}>` });
    },
    async userAppendsEdit(ref, edit) {
      await saveAgain(ref, { text: edit.text, ...(edit.to ? { to: `"${edit.to.name}" <${edit.to.email}>` } : {}) }, 'append');
    },
    async userDeletesDraft(ref) {
      const uid = await draftUid(ref);
      const lock = await client.getMailboxLock('Drafts');
      try {
        await client.messageDelete(String(uid), { uid: true });
      } finally {
        lock.release();
      }
    },
    async deliverReply({ from, inReplyTo, subject, date }) {
      const raw = await new MailComposer({
        messageId: `<reply.${randomUUID()}@corp.example>`,
        date: new Date(date),
        from,
        to: 'ada@example.org',
        subject,
        inReplyTo,
        references: [inReplyTo],
        text: 'Thanks, talk soon.',
      })
        .compile()
        .build();
      await client.append('INBOX', raw, [], new Date(date));
    },
    async deliverRaw(raw, date) {
      await client.append('INBOX', raw, [], new Date(date));
    },
    async sentCount(messageId) {
      return smtp.countByMessageId(messageId);
    },
    async sentMessages(messageId) {
      return smtp.messages
        .filter((message) => message.messageId === messageId || message.ringbackRef === messageId)
        .map((message) => ({
          subject: message.subject,
          recipients: message.envelope.to,
          text: message.text,
          inReplyTo: message.inReplyTo,
        }));
    },
    async close() {
      await mailbox.close();
      await client.logout();
      await smtp.stop();
      await dovecot.stop();
    },
  };
}

describeMailboxContract(`imap (Dovecot ${dovecotVersionSync()})`, makeHarness);

function email(overrides: Partial<ComposedEmail> = {}): ComposedEmail {
  return {
    messageId: `<ringback.iv${randomUUID().slice(0, 8)}.confirmation.1@example.org>`,
    from: { name: 'Ada Park', email: 'ada@example.org' },
    to: [{ name: 'Lee Chen', email: 'lee@corp.example' }],
    subject: 'Confirming our call',
    text: 'Hello Lee, talk at 10:00. Ada',
    html: '<p>Hello Lee, talk at 10:00. Ada</p>',
    date: Date.UTC(2031, 2, 4, 15),
    ...overrides,
  };
}

describe('imap mailbox failures (Dovecot)', () => {
  let dovecot: TestDovecot;
  let smtp: RecordingSmtpServer;
  let client: ImapFlow;
  const opened: Mailbox[] = [];

  beforeAll(async () => {
    dovecot = await startDovecot();
    smtp = await startRecordingSmtpServer();
    client = await mailClient(dovecot);
  });
  afterEach(async () => {
    for (const mailbox of opened.splice(0)) await mailbox.close();
  });
  afterAll(async () => {
    await client.logout();
    await smtp.stop();
    await dovecot.stop();
  });

  const open = (overrides: Partial<ImapMailboxOptions> = {}): Mailbox => {
    const mailbox = createImapMailbox(mailboxOptions(dovecot, smtp, overrides));
    opened.push(mailbox);
    return mailbox;
  };

  it('finds Drafts and Sent by SPECIAL-USE on the connect check', async () => {
    await expect(checkImapLogin(mailboxOptions(dovecot, smtp))).resolves.toEqual({ drafts: 'Drafts', sent: 'Sent' });
  });

  it('keeps exactly one draft when the connection drops after the server stored an APPEND', async () => {
    const proxy = await startImapCutProxy(dovecot);
    try {
      const mailbox = open({ host: proxy.host, port: proxy.port });
      const draft = email();
      proxy.cutAtNextAppend('stored');
      await expect(mailbox.createDraft(draft)).rejects.toBeInstanceOf(TransientError);
      expect(proxy.cuts).toBe(1);
      expect(await uidsOf(client, 'Drafts', draft.messageId)).toHaveLength(1);
      // The queue retries: the draft is found, not written again.
      const ref = await mailbox.createDraft(draft);
      expect(await uidsOf(client, 'Drafts', draft.messageId)).toEqual([Number(ref.providerId.split(':').pop())]);
      expect(await mailbox.draftState(ref)).toMatchObject({ state: 'draft' });
    } finally {
      await proxy.stop();
    }
  });

  it('keeps exactly one draft when an update is cut after the new version was stored', async () => {
    const proxy = await startImapCutProxy(dovecot);
    try {
      const mailbox = open({ host: proxy.host, port: proxy.port });
      const draft = email();
      const ref = await mailbox.createDraft(draft);
      proxy.cutAtNextAppend('stored');
      await expect(mailbox.updateDraft(ref, { ...draft, text: 'Second version.' })).rejects.toBeInstanceOf(TransientError);
      const updated = await mailbox.updateDraft(ref, { ...draft, text: 'Second version.' });
      expect(await uidsOf(client, 'Drafts', draft.messageId)).toHaveLength(1);
      await mailbox.send(updated);
      expect(smtp.messages.filter((m) => m.messageId === draft.messageId).map((m) => m.text.trim())).toEqual(['Second version.']);
    } finally {
      await proxy.stop();
    }
  });

  /**
   * A server that ends the session in the middle of a command: Dovecot says "* BYE Server shutting
   * down." to its clients as it stops (dovecot/core src/imap/imap-client.c, clients_destroy_all;
   * src/imap/main.c, client_kill_idle) and closes. Here it comes as the draft's APPEND begins (the
   * server never gets the message, or only its first line) or once the server has stored it and
   * before the client hears OK. Either way: a transient failure that drops the connection, the
   * retry connects again, finds the draft by its Message-ID when it was stored, and Drafts holds
   * it exactly once, whole. Guard: already so.
   */
  it.each(['lost', 'stored'] as const)('keeps exactly one whole draft when the server says BYE at its APPEND (%s)', async (mode) => {
    const proxy = await startImapCutProxy(dovecot);
    try {
      const mailbox = open({ host: proxy.host, port: proxy.port });
      const draft = email();
      proxy.cutAtNextAppend(mode, 'Server shutting down.');
      const failure = await mailbox.createDraft(draft).then(() => null, (error: unknown) => error);
      expect(failure).toBeInstanceOf(TransientError);
      expect(accountTrouble(failure)).toBe('unreachable');
      expect(await uidsOf(client, 'Drafts', draft.messageId)).toHaveLength(mode === 'stored' ? 1 : 0);
      const ref = await mailbox.createDraft(draft);
      expect(await uidsOf(client, 'Drafts', draft.messageId)).toEqual([Number(ref.providerId.split(':').pop())]);
      const read = await mailbox.readMessage(ref);
      expect(read?.state).toBe('draft');
      expect(read?.raw.toString('utf8')).toContain('Hello Lee, talk at 10:00. Ada');
    } finally {
      await proxy.stop();
    }
  });

  /**
   * Dovecot ends a session left idle: "* BYE Disconnected for inactivity." (dovecot/core
   * src/imap/imap-client.c, client_idle_timeout), then closes. ringback keeps its connection open
   * between steps, and a step that began on it as it closed failed (imapflow's "NoConnection" at
   * the APPEND), to be tried again later with the account counted as not answering once. A
   * connection left idle is now checked with a NOOP before a step uses it, and opened again when
   * the server has closed it: the step goes through at once. (`idleCheckMs: 0` checks it at every
   * step, so that the BYE sent just before is met.)
   */
  it('connects again before the next step after the server ended an idle session with BYE', async () => {
    const proxy = await startImapCutProxy(dovecot);
    try {
      const mailbox = open({ host: proxy.host, port: proxy.port, idleCheckMs: 0 });
      await mailbox.createDraft(email());
      proxy.byeToAll('Disconnected for inactivity.');
      await expect.poll(() => proxy.cuts).toBe(1);
      const second = email();
      const ref = await mailbox.createDraft(second);
      expect(await uidsOf(client, 'Drafts', second.messageId)).toEqual([Number(ref.providerId.split(':').pop())]);
    } finally {
      await proxy.stop();
    }
  });

  /**
   * A SEARCH the server refuses ("NO [SERVERBUG] Internal error occurred. Refer to server log for
   * more information.": Dovecot's words for a failure of its own, "they don't show the exact
   * reason for clients. Instead they show: Internal error occurred. Refer to server log for more
   * information." (Dovecot's documentation on logging), under RFC 5530's SERVERBUG code) says
   * nothing about the draft. imapflow
   * answers such a refusal `false`, and a draft stored by an attempt whose answer was lost was
   * then taken for absent and appended again: two copies in Drafts. The step fails as transient
   * instead, and finds its draft once the server answers.
   */
  it('does not write a draft again when the search for it is refused', async () => {
    const proxy = await startImapCutProxy(dovecot);
    try {
      const mailbox = open({ host: proxy.host, port: proxy.port });
      const draft = email();
      proxy.cutAtNextAppend('stored', 'Server shutting down.');
      await expect(mailbox.createDraft(draft)).rejects.toBeInstanceOf(TransientError);
      proxy.rewrite = (said) => said.replace(/^\* SEARCH[^\r\n]*\r\n(\S+) OK [^\r\n]*/m, '$1 NO [SERVERBUG] Internal error occurred. Refer to server log for more information.');
      await expect(mailbox.createDraft(draft)).rejects.toBeInstanceOf(TransientError);
      expect(await uidsOf(client, 'Drafts', draft.messageId)).toHaveLength(1);
      proxy.rewrite = null;
      const ref = await mailbox.createDraft(draft);
      expect(await uidsOf(client, 'Drafts', draft.messageId)).toEqual([Number(ref.providerId.split(':').pop())]);
    } finally {
      await proxy.stop();
    }
  });

  it('dates the message when it is sent, not when the draft was written, in the relay and in Sent', async () => {
    const mailbox = open();
    const draft = { ...email(), date: Date.UTC(2020, 0, 1, 12, 0) };
    const before = Date.now();
    await mailbox.send(await mailbox.createDraft(draft));
    const relayed = await smtp.waitFor((m) => m.messageId === draft.messageId);
    const header = relayed.raw.toString('utf8').split(/\r?\n\r?\n/)[0] ?? '';
    expect(header.match(/^date:/gim)).toHaveLength(1);
    const date = Date.parse(/^Date: (.*)$/im.exec(header)?.[1] ?? '');
    expect(date).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    const [uid] = await uidsOf(client, 'Sent', draft.messageId);
    await client.mailboxOpen('Sent');
    const filed = await client.fetchOne(String(uid), { envelope: true }, { uid: true });
    expect(new Date(filed ? (filed.envelope?.date ?? 0) : 0).getTime()).toBe(date);
  });

  // One recipient refused at RCPT ("550 5.1.1 … User unknown in virtual mailbox table",
  // mailcow/mailcow-dockerized#893) and another accepted: the relay sends to the accepted one, and
  // the caller is told of the refused one (before, nothing was said). Filed in Sent once.
  it('tells the caller of a recipient the relay refused while it sent to the others, and files the message once', async () => {
    const mailbox = open();
    const draft = email({ to: [{ name: 'Lee Chen', email: 'lee@corp.example' }, { name: 'Kim Ito', email: 'kim@corp.example' }] });
    const ref = await mailbox.createDraft(draft);
    smtp.failNext({ stage: 'rcpt', code: 550, message: '5.1.1 <lee@corp.example>: Recipient address rejected: User unknown in virtual mailbox table' });
    const told: unknown[] = [];
    await mailbox.send(ref, { onRecipientsRefused: (refused) => told.push(...refused) });
    expect(told).toEqual([{ recipient: 'lee@corp.example', status: '5.1.1', reason: '550 5.1.1 <lee@corp.example>: Recipient address rejected: User unknown in virtual mailbox table' }]);
    const relayed = await smtp.waitFor((m) => m.messageId === draft.messageId);
    expect(relayed.envelope.to).toEqual(['kim@corp.example']);
    expect(smtp.countByMessageId(draft.messageId)).toBe(1);
    expect(await uidsOf(client, 'Sent', draft.messageId)).toHaveLength(1);
  });

  it('sends once when the SMTP connection drops in the middle of DATA and the send is retried', async () => {
    const mailbox = open();
    const draft = email();
    const ref = await mailbox.createDraft(draft);
    smtp.dropNextDuringData();
    await expect(mailbox.send(ref)).rejects.toBeInstanceOf(TransientError);
    expect(smtp.countByMessageId(draft.messageId)).toBe(0);
    expect(await mailbox.draftState(ref)).toMatchObject({ state: 'draft' });
    const sent = await mailbox.send(ref);
    await mailbox.send(sent);
    expect(smtp.countByMessageId(draft.messageId)).toBe(1);
    expect(await uidsOf(client, 'Sent', draft.messageId)).toHaveLength(1);
    expect(await uidsOf(client, 'Drafts', draft.messageId)).toHaveLength(0);
  });

  it.each(['stored', 'lost'] as const)(
    'relays once when filing in Sent is cut (%s) and the send is retried',
    async (mode) => {
      const proxy = await startImapCutProxy(dovecot);
      try {
        const mailbox = open({ host: proxy.host, port: proxy.port });
        const draft = email();
        const ref = await mailbox.createDraft(draft);
        proxy.cutAtNextAppend(mode);
        await expect(mailbox.send(ref)).rejects.toBeInstanceOf(TransientError);
        expect(smtp.countByMessageId(draft.messageId)).toBe(1);
        const sent = await mailbox.send(ref);
        expect(sent.messageId).toBe(draft.messageId);
        expect(smtp.countByMessageId(draft.messageId)).toBe(1);
        expect(await uidsOf(client, 'Sent', draft.messageId)).toHaveLength(1);
        expect(await uidsOf(client, 'Drafts', draft.messageId)).toHaveLength(0);
        expect(await mailbox.findByMessageId(draft.messageId)).toMatchObject({ folder: 'sent' });
      } finally {
        await proxy.stop();
      }
    },
  );

  it('reconnects after the server dropped the connection it was reusing', async () => {
    const proxy = await startImapCutProxy(dovecot);
    try {
      const mailbox = open({ host: proxy.host, port: proxy.port });
      const ref = await mailbox.createDraft(email());
      await proxy.stop();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await expect(mailbox.draftState(ref)).rejects.toBeInstanceOf(TransientError);
      const direct = open();
      expect(await direct.draftState(ref)).toMatchObject({ state: 'draft' });
    } finally {
      await proxy.stop();
    }
  });

  it('does not relay a draft whose Message-ID is already in Sent', async () => {
    const mailbox = open();
    const draft = email();
    const ref = await mailbox.createDraft(draft);
    const raw = await new MailComposer({ messageId: draft.messageId, from: 'ada@example.org', to: 'lee@corp.example', subject: 's', text: 't' })
      .compile()
      .build();
    await client.append('Sent', raw, ['\\Seen']);
    const sent = await mailbox.send(ref);
    expect(sent.providerId.startsWith('Sent:')).toBe(true);
    expect(smtp.countByMessageId(draft.messageId)).toBe(0);
    expect(await uidsOf(client, 'Drafts', draft.messageId)).toHaveLength(0);
  });
});

describe('imap mailbox with a wrong password (Dovecot)', () => {
  // A Dovecot of its own: after a refused login it holds back the next one from this address.
  it('reports a wrong password as an AuthError, on use and on the connect check', async () => {
    const dovecot = await startDovecot();
    const smtp = await startRecordingSmtpServer();
    const mailbox = createImapMailbox(mailboxOptions(dovecot, smtp, { password: 'not-the-password' }));
    try {
      const failure = await mailbox.createDraft(email()).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AuthError);
      expect(String((failure as Error).message)).not.toContain('not-the-password');
      await expect(checkImapLogin({ ...mailboxOptions(dovecot, smtp), password: 'nope' })).rejects.toBeInstanceOf(AuthError);
    } finally {
      await mailbox.close();
      await smtp.stop();
      await dovecot.stop();
    }
  });
});

/**
 * A server that cannot check passwords for a while (its LDAP or SQL backend down) refuses every
 * login with a tagged NO that says so: Dovecot's "NO [UNAVAILABLE] Temporary authentication
 * failure. [host:date]" (docker-mailserver/docker-mailserver#1534, thunderbird/thunderbird-android
 * #7287; RFC 5530 §3: UNAVAILABLE, "temporary failure", "a later attempt may succeed"). imapflow
 * marks every NO to LOGIN `authenticationFailed`: read as such, the account "needs sign-in" and the
 * user is sent to change a password that is right.
 */
describe('imap mailbox while the server cannot check passwords (Dovecot)', () => {
  it('takes a temporary authentication failure as the server being down, not as a wrong password', async () => {
    const dovecot = await startDovecot();
    const smtp = await startRecordingSmtpServer();
    const mailbox = createImapMailbox(mailboxOptions(dovecot, smtp));
    try {
      await dovecot.breakAuth();
      const failure = await mailbox.createDraft(email()).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TransientError);
      expect((failure as Error).message).toMatch(/Temporary authentication failure/);
      const check = await checkImapLogin(mailboxOptions(dovecot, smtp)).catch((error: unknown) => error);
      expect(check).toBeInstanceOf(TransientError);
      await dovecot.mendAuth();
      const ref = await mailbox.createDraft(email());
      expect(await mailbox.draftState(ref)).toMatchObject({ state: 'draft' });
    } finally {
      await mailbox.close();
      await smtp.stop();
      await dovecot.stop();
    }
  });
});

describe('imap mailbox without Drafts and Sent folders (Dovecot)', () => {
  it('fails with a PermanentError that names the missing folder', async () => {
    const dovecot = await startDovecot({ specialFolders: false });
    const smtp = await startRecordingSmtpServer();
    const mailbox = createImapMailbox(mailboxOptions(dovecot, smtp));
    try {
      const failure = await mailbox.createDraft(email()).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(PermanentError);
      expect((failure as Error).message).toMatch(/folder Drafts is missing/);
      await expect(checkImapLogin(mailboxOptions(dovecot, smtp))).resolves.toEqual({ drafts: null, sent: null });
    } finally {
      await mailbox.close();
      await smtp.stop();
      await dovecot.stop();
    }
  });
});

/**
 * A folder removed by the user's mail client while ringback holds its connection. RFC 3501
 * §6.3.11 (https://www.rfc-editor.org/rfc/rfc3501#section-6.3.11): APPEND to a mailbox that does
 * not exist fails, and the server SHOULD say `[TRYCREATE]` (§7.1); SELECT says `[NONEXISTENT]`
 * (RFC 5530). The folder is missing: the account's trouble, not a fault of the email.
 */
describe('imap mailbox whose Sent folder is removed while connected (Dovecot)', () => {
  let dovecot: TestDovecot;
  let smtp: RecordingSmtpServer;
  let client: ImapFlow;
  let mailbox: Mailbox;
  // Folders made by hand, found by name: nothing creates them again (no `auto = create`).
  beforeEach(async () => {
    dovecot = await startDovecot({ specialFolders: false });
    smtp = await startRecordingSmtpServer();
    client = await mailClient(dovecot);
    await client.mailboxCreate('Drafts');
    await client.mailboxCreate('Sent');
    mailbox = createImapMailbox(mailboxOptions(dovecot, smtp));
  });
  afterEach(async () => {
    await mailbox.close();
    await client.logout();
    await smtp.stop();
    await dovecot.stop();
  });

  it('parks a send whose filing in Sent is refused after the relay ([TRYCREATE]), and files it without relaying again once Sent is back', async () => {
    const draft = email();
    const ref = await mailbox.createDraft(draft);
    // The user's mail client removes Sent while the SMTP server takes the message: the relay
    // has happened, the filing in Sent comes next and is refused "NO [TRYCREATE]".
    smtp.beforeNextAccept(() => client.mailboxDelete('Sent'));
    const failure = await mailbox.send(ref).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AccountUnusableError);
    expect((failure as Error).message).toMatch(/Sent/);
    expect(smtp.countByMessageId(draft.messageId)).toBe(1);
    await expect(mailbox.checkHealth?.()).rejects.toBeInstanceOf(AccountUnusableError);
    await client.mailboxCreate('Sent');
    await mailbox.checkHealth?.();
    const sent = await mailbox.send(ref);
    expect(sent.providerId.startsWith('Sent:')).toBe(true);
    expect(smtp.countByMessageId(draft.messageId)).toBe(1);
    expect(await uidsOf(client, 'Sent', draft.messageId)).toHaveLength(1);
    expect(await uidsOf(client, 'Drafts', draft.messageId)).toHaveLength(0);
  });

  it('parks a send when Sent is gone, and the health check keeps saying so until Sent is back', async () => {
    const draft = email();
    const ref = await mailbox.createDraft(draft);
    await mailbox.checkHealth?.();
    await client.mailboxDelete('Sent');
    const failure = await mailbox.send(ref).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AccountUnusableError);
    expect(smtp.countByMessageId(draft.messageId)).toBe(0);
    // The check that ends an outage: it must not call the account usable while Sent is missing.
    await expect(mailbox.checkHealth?.()).rejects.toBeInstanceOf(AccountUnusableError);
    await client.mailboxCreate('Sent');
    await mailbox.checkHealth?.();
    const sent = await mailbox.send(ref);
    expect(sent.providerId.startsWith('Sent:')).toBe(true);
    expect(smtp.countByMessageId(draft.messageId)).toBe(1);
  });
});

/**
 * A mailbox over its quota. Dovecot's quota plugin refuses an APPEND past it with `NO
 * [OVERQUOTA] Quota exceeded (mailbox for user is full)` (RFC 5530 §3, OVERQUOTA: "the operation
 * caused a quota to be exceeded"), and reports usage and limit over IMAP QUOTA (RFC 9208,
 * GETQUOTAROOT). The account is unusable until the user frees space; the health check must say
 * so as long as it lasts, or each check would end the outage and the next draft fail again.
 */
describe('imap mailbox over its quota (Dovecot)', () => {
  it('parks a draft refused for the quota, and the health check holds until space is freed', async () => {
    const dovecot = await startDovecot({ quotaKb: 16 });
    const smtp = await startRecordingSmtpServer();
    const client = await mailClient(dovecot);
    const mailbox = createImapMailbox(mailboxOptions(dovecot, smtp));
    try {
      await mailbox.checkHealth?.();
      // Within 100 bytes of the limit: no draft fits.
      const head = 'From: a@example.org\r\nTo: ada@example.org\r\nSubject: old newsletter\r\n\r\n';
      const filler = Buffer.from(`${head}${'x'.repeat(16 * 1024 - 100 - head.length - 2)}\r\n`);
      await client.append('INBOX', filler);
      const failure = await mailbox.createDraft(email()).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AccountUnusableError);
      expect((failure as Error).message).toMatch(/quota/i);
      await expect(mailbox.checkHealth?.()).rejects.toThrow(/quota/i);
      // The user deletes the large message: the account works again.
      const lock = await client.getMailboxLock('INBOX');
      try {
        await client.messageDelete('1:*');
      } finally {
        lock.release();
      }
      await mailbox.checkHealth?.();
      const ref = await mailbox.createDraft(email());
      expect(await mailbox.draftState(ref)).toMatchObject({ state: 'draft' });
    } finally {
      await mailbox.close();
      await client.logout();
      await smtp.stop();
      await dovecot.stop();
    }
  });
});

/**
 * Servers older than RFC 5530's OVERQUOTA say a full account in words, under [ALERT]: Courier-IMAP
 * (imap/imapd.c, store_mailbox) refuses an APPEND "NO [ALERT] You exceeded your mail quota." or
 * "NO [ALERT] Cannot create message - no write permission or out of disk space.". Read as a fault
 * of the email, the draft failed for good and the call went without its confirmation. Dovecot with
 * a quota refuses the draft, and a proxy puts its refusal in Courier's words.
 */
describe('imap mailbox over its quota, said in words (Dovecot as Courier)', () => {
  it.each([
    'NO [ALERT] You exceeded your mail quota.',
    'NO [ALERT] Cannot create message - no write permission or out of disk space.',
  ])('parks a draft refused "%s" as the account\'s trouble, not the email\'s', async (refusal) => {
    const dovecot = await startDovecot({ quotaKb: 16 });
    const proxy = await startImapCutProxy(dovecot);
    proxy.rewrite = (text) => text.replace(/NO \[OVERQUOTA\][^\r\n]*/, refusal);
    const smtp = await startRecordingSmtpServer();
    const client = await mailClient(dovecot);
    const mailbox = createImapMailbox(mailboxOptions(dovecot, smtp, { host: proxy.host, port: proxy.port }));
    try {
      const head = 'From: a@example.org\r\nTo: ada@example.org\r\nSubject: old newsletter\r\n\r\n';
      await client.append('INBOX', Buffer.from(`${head}${'x'.repeat(16 * 1024 - 100 - head.length - 2)}\r\n`));
      const failure = await mailbox.createDraft(email()).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AccountUnusableError);
      expect((failure as Error).message).toContain(refusal.slice('NO [ALERT] '.length));
      await expect(mailbox.checkHealth?.()).rejects.toThrow(/quota/i);
    } finally {
      await mailbox.close();
      await client.logout();
      await smtp.stop();
      await proxy.stop();
      await dovecot.stop();
    }
  });
});

/**
 * A login refused with an RFC 5530 code that no password fixes (https://www.rfc-editor.org/rfc/rfc5530#section-3):
 * PRIVACYREQUIRED, "the operation is not permitted due to a lack of privacy. If TLS is not in use,
 * the client could try STARTTLS", which Dovecot answers a plaintext login without TLS with
 * ("NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS)
 * connections.", its disable_plaintext_auth; quoted in kiss-mail's changelog and in Dovecot
 * transcripts); CONTACTADMIN, "the user should contact the system administrator or support desk",
 * as Lavabit's magma answers a locked account ("NO [CONTACTADMIN] This account has been
 * administratively locked.", src/servers/imap/imap.c). imapflow marks every NO to LOGIN
 * `authenticationFailed`: read as such, the user was told to sign in again with a password that is
 * right. Dovecot logs in; a proxy puts each refusal in place of its OK.
 */
describe('imap login refused for a reason no password fixes (Dovecot, refusal rewritten)', () => {
  it.each([
    ['NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.', /encrypted connection.*TLS/],
    ['NO [CONTACTADMIN] This account has been administratively locked.', /administrator/],
  ])('takes "%s" as the account to fix, with its own fix line', async (refusal, fix) => {
    const dovecot = await startDovecot();
    const proxy = await startImapCutProxy(dovecot);
    proxy.rewrite = (text) => text.replace(/^(\S+) OK \[CAPABILITY [^\]]*\] Logged in[^\r\n]*/m, `$1 ${refusal}`);
    const smtp = await startRecordingSmtpServer();
    const options = mailboxOptions(dovecot, smtp, { host: proxy.host, port: proxy.port });
    const mailbox = createImapMailbox(options);
    try {
      const failure = await mailbox.createDraft(email()).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AccountUnusableError);
      expect((failure as Error).message).toContain(refusal.replace(/^NO \[\w+\] /, ''));
      const trouble = accountTrouble(failure);
      expect(trouble).toBe('unusable');
      const line = fixFor({ ...options, type: 'imap' }, trouble ?? 'unusable', failure);
      expect(line).toMatch(fix);
      expect(line).not.toMatch(/sign in again|quota/);
      const check = await checkImapLogin(options).catch((error: unknown) => error);
      expect(check).toBeInstanceOf(AccountUnusableError);
    } finally {
      await mailbox.close();
      await smtp.stop();
      await proxy.stop();
      await dovecot.stop();
    }
  });
});

/**
 * Gmail's limit on IMAP commands and bandwidth: every command of the account is refused "NO
 * [OVERQUOTA] Account exceeded command or bandwidth limits." (ljmerza/ha-email-sensor#16, at
 * FETCH) until it lifts by itself: "The suspension typically lasts for one hour, but can last as
 * long as 24 hours ... request limits are automatically reset" (Google Workspace Admin Help,
 * "Request limits", support.google.com/a/answer/1359240; the bandwidth limits, answer/1071518,
 * are per day). Taken as a full mailbox, the user was told to check its quota, and as the check of
 * the account (a login, the folders, the storage quota) passes meanwhile, the account flipped
 * between working and "needs attention" until the limit lifted.
 */
describe('imap mailbox past Gmail\'s command or bandwidth limit (Dovecot, refusal rewritten)', () => {
  it('says the limit lifts by itself, and that the account is checked again only after an hour', async () => {
    const dovecot = await startDovecot();
    const proxy = await startImapCutProxy(dovecot);
    proxy.rewrite = (text) => text.replace(/^(\S+) OK \[APPENDUID [^\r\n]*/m, '$1 NO [OVERQUOTA] Account exceeded command or bandwidth limits.');
    const smtp = await startRecordingSmtpServer();
    const options = mailboxOptions(dovecot, smtp, { host: proxy.host, port: proxy.port, serverFilesSent: true });
    const mailbox = createImapMailbox(options);
    try {
      const failure = await mailbox.createDraft(email()).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AccountUnusableError);
      expect((failure as Error).message).toContain('Account exceeded command or bandwidth limits');
      const line = fixFor({ ...options, type: 'imap' }, accountTrouble(failure) ?? 'unusable', failure);
      expect(line).toMatch(/Gmail's limit/);
      expect(line).toMatch(/lifts by itself/);
      expect(line).not.toMatch(/quota|folders/);
      expect((failure as { recheckAfterMs?: number }).recheckAfterMs).toBeGreaterThanOrEqual(60 * 60_000);
    } finally {
      await mailbox.close();
      await smtp.stop();
      await proxy.stop();
      await dovecot.stop();
    }
  });
});
