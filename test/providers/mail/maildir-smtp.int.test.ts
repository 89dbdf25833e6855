import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ComposedEmail } from '../../../src/domain/types.js';
import { AuthError, PermanentError, TransientError } from '../../../src/providers/errors.js';
import { createMaildirMailbox } from '../../../src/providers/mail/maildir.js';
import { createSmtpRelay } from '../../../src/providers/mail/smtp.js';
import type { Mailbox } from '../../../src/providers/mail/types.js';
import { freePort } from '../../support/redis-server.js';
import { startRecordingSmtpServer, type RecordingSmtpServer } from '../../support/smtp-server.js';
import { createMaildirClient, describeMailboxContract } from './contract.js';

describeMailboxContract('maildir with an SMTP relay', async () => {
  const root = await mkdtemp(join(tmpdir(), 'ringback-maildir-smtp-'));
  const server = await startRecordingSmtpServer();
  const mailbox = createMaildirMailbox({ id: 'maildir-smtp-test', path: root, smtp: { host: server.host, port: server.port, secure: false } });
  const client = createMaildirClient(root);
  const received = (messageId: string) =>
    server.messages.filter((message) => message.messageId === messageId || message.ringbackRef === messageId);
  return {
    mailbox,
    userEditsDraft: (ref, text) => client.userEditsDraft(ref, text),
    userAddressesDraft: (ref, to) => client.userAddressesDraft(ref, to),
    userDeletesDraft: (ref) => client.userDeletesDraft(ref),
    userAppendsEdit: (ref, edit) => client.userAppendsEdit(ref, edit),
    deliverReply: (opts) => client.deliverReply(opts),
    deliverRaw: (raw, date) => client.deliverRaw(raw, date),
    sentCount: async (messageId) => server.countByMessageId(messageId),
    sentMessages: async (messageId) =>
      received(messageId).map((message) => ({
        subject: message.subject,
        recipients: message.envelope.to,
        text: message.text,
        inReplyTo: message.inReplyTo,
      })),
    async close() {
      await mailbox.close();
      await server.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
});

function email(): ComposedEmail {
  return {
    messageId: `<ringback.iv${randomUUID().slice(0, 8)}.confirmation.1@example.org>`,
    from: { name: 'Ada Park', email: 'ada@example.org' },
    to: [{ name: 'Lee Chen', email: 'lee@corp.example' }],
    subject: 'Confirming our call',
    text: 'Hello Lee, talk on Tuesday. Ada',
    html: '<p>Hello Lee, talk on Tuesday. Ada</p>',
    date: Date.UTC(2031, 2, 4, 15),
  };
}

describe('maildir sending through SMTP', () => {
  const user = 'ada@example.org';
  const password = 'correct horse battery staple';
  let root: string;
  let server: RecordingSmtpServer;
  const mailboxes: Mailbox[] = [];

  const open = (login?: { username: string; password: string }): Mailbox => {
    const mailbox = createMaildirMailbox({
      id: 'maildir-smtp-test',
      path: root,
      smtp: { host: server.host, port: server.port, secure: false, ...login },
    });
    mailboxes.push(mailbox);
    return mailbox;
  };

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'ringback-maildir-smtp-'));
    server = await startRecordingSmtpServer({ auth: { user, pass: password } });
  });
  afterEach(async () => {
    for (const mailbox of mailboxes.splice(0)) await mailbox.close();
    await server.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('logs in, relays to the draft recipients and files the message in Sent', async () => {
    const mailbox = open({ username: user, password });
    const draft = email();
    const ref = await mailbox.send(await mailbox.createDraft(draft));
    const message = await server.waitFor((received) => received.messageId === draft.messageId);
    expect(message.user).toBe(user);
    expect(message.envelope).toEqual({ from: 'ada@example.org', to: ['lee@corp.example'] });
    expect(await readdir(join(root, '.Sent', 'cur'))).toEqual([`${ref.providerId}:2,S`]);
  });

  it('dates the message when it is sent, not when the draft was written', async () => {
    const sentAt = Date.UTC(2026, 2, 10, 18, 0);
    const mailbox = createMaildirMailbox({ id: 'maildir-smtp-test', path: root, smtp: { host: server.host, port: server.port, secure: false, username: user, password }, now: () => sentAt });
    mailboxes.push(mailbox);
    const draft = { ...email(), date: sentAt - 86_400_000 };
    await mailbox.send(await mailbox.createDraft(draft));
    const message = await server.waitFor((received) => received.messageId === draft.messageId);
    const header = message.raw.toString('utf8').split(/\r?\n\r?\n/)[0] ?? '';
    expect(header.match(/^date:/gim)).toHaveLength(1);
    expect(header).toMatch(/^Date: Tue, 10 Mar 2026 18:00:00 \+0000$/m);
    // The user's Sent copy says the same: it kept the date it was drafted before.
    const [sent] = await readdir(join(root, '.Sent', 'cur'));
    const filed = (await readFile(join(root, '.Sent', 'cur', sent ?? ''), 'utf8')).split(/\r?\n\r?\n/)[0] ?? '';
    expect(filed.match(/^date:/gim)).toHaveLength(1);
    expect(filed.match(/^Date: .*$/m)?.[0]).toBe(header.match(/^Date: .*$/m)?.[0]);
  });

  it('survives a connection dropped in the middle of DATA: transient, still a draft, then delivered once', async () => {
    const mailbox = open({ username: user, password });
    const draft = email();
    const ref = await mailbox.createDraft(draft);
    server.dropNextDuringData();
    await expect(mailbox.send(ref)).rejects.toBeInstanceOf(TransientError);
    expect(await mailbox.draftState(ref)).toEqual({ state: 'draft', ref });
    expect(server.countByMessageId(draft.messageId)).toBe(0);
    await mailbox.send(ref);
    await mailbox.send(ref);
    expect(server.countByMessageId(draft.messageId)).toBe(1);
    expect(await mailbox.draftState(ref)).toMatchObject({ state: 'sent' });
  });

  it('reports a refused login (535) as an AuthError without the password, and keeps the draft', async () => {
    const mailbox = open({ username: user, password: 'wrong-secret-hunter2' });
    const ref = await mailbox.createDraft(email());
    const error: unknown = await mailbox.send(ref).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain('535');
    expect(JSON.stringify({ message: (error as Error).message, cause: String((error as Error).cause) })).not.toContain('hunter2');
    expect(await mailbox.draftState(ref)).toMatchObject({ state: 'draft' });
    expect(server.messages).toHaveLength(0);
  });

  it('treats a 4xx reply as transient and a 5xx reply as permanent', async () => {
    const mailbox = open({ username: user, password });
    const ref = await mailbox.createDraft(email());
    server.failNext({ stage: 'rcpt', code: 451, message: 'Try again later' });
    await expect(mailbox.send(ref)).rejects.toBeInstanceOf(TransientError);
    server.failNext({ stage: 'data', code: 554, message: 'Message refused' });
    await expect(mailbox.send(ref)).rejects.toBeInstanceOf(PermanentError);
    expect(await mailbox.draftState(ref)).toMatchObject({ state: 'draft' });
    await mailbox.send(ref);
    expect(server.messages).toHaveLength(1);
  });

  it('delivers the Cc and Bcc the user added, as a mail client would: the Bcc line never leaves', async () => {
    // The envelope used to hold To and Cc only: a Bcc the user added was dropped without a word,
    // while the Sent copy still said it went there.
    const mailbox = open({ username: user, password });
    const draft = email();
    const ref = await mailbox.createDraft(draft);
    const file = join(root, '.Drafts', 'cur', `${ref.providerId}:2,D`);
    const raw = await readFile(file, 'utf8');
    await writeFile(file, 'Cc: Sam Roe <sam@corp.example>\nBcc: hidden@other.example,\n  second@other.example\n' + raw);
    await mailbox.send(ref);
    const [message] = server.messages;
    expect(message?.envelope.to).toEqual(['lee@corp.example', 'sam@corp.example', 'hidden@other.example', 'second@other.example']);
    expect(message?.raw.toString('utf8')).not.toMatch(/hidden@|second@|^Bcc:/im);
    expect(message?.raw.toString('utf8')).toMatch(/^Cc: Sam Roe <sam@corp.example>$/m);
    expect(message?.raw.toString('utf8')).toContain('Message-ID: ' + draft.messageId);
    // The user's own Sent copy keeps the Bcc line, so that they can see whom they copied.
    const [sent] = await readdir(join(root, '.Sent', 'cur'));
    const filed = await readFile(join(root, '.Sent', 'cur', sent ?? ''), 'utf8');
    expect(filed).toMatch(/^Bcc: hidden@other.example,/m);
    // ...and is dated as the relayed copy is.
    expect(filed.match(/^Date: .*$/m)?.[0]).toBe(message?.raw.toString('utf8').match(/^Date: .*$/m)?.[0]);
  });

  it('says what to do with a draft that cannot be read as a message', async () => {
    const mailbox = open({ username: user, password });
    const ref = await mailbox.createDraft(email());
    const file = join(root, '.Drafts', 'cur', `${ref.providerId}:2,D`);
    const raw = await readFile(file, 'utf8');
    await writeFile(file, raw.replace(/^From: .*\r?\n/m, ''));
    const error: unknown = await mailbox.send(ref).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toBe(
      `draft ${ref.messageId} has no From address: open it in your mail client, check the From and To lines, and save it again (or delete it and write your own)`,
    );
    expect(server.messages).toHaveLength(0);
  });

  it('reports an unreachable server as transient', async () => {
    const port = await freePort();
    const mailbox = createMaildirMailbox({ id: 'unreachable', path: root, smtp: { host: '127.0.0.1', port, secure: false } });
    mailboxes.push(mailbox);
    const ref = await mailbox.createDraft(email());
    await expect(mailbox.send(ref)).rejects.toBeInstanceOf(TransientError);
    expect(await mailbox.draftState(ref)).toMatchObject({ state: 'draft' });
  });

  it('verifies settings: a good login passes, a bad one is an AuthError', async () => {
    const good = createSmtpRelay({ host: server.host, port: server.port, secure: false, username: user, password });
    const bad = createSmtpRelay({ host: server.host, port: server.port, secure: false, username: user, password: 'nope-hunter2' });
    try {
      await expect(good.verify()).resolves.toBeUndefined();
      const error: unknown = await bad.verify().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AuthError);
      expect((error as Error).message).not.toContain('hunter2');
    } finally {
      good.close();
      bad.close();
    }
  });
});
