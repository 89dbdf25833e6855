/**
 * A message handed to the SMTP relay is recorded as relayed before anything else can fail: when
 * filing it in `.Sent` fails afterwards (the folder removed or replaced by a mail client), the
 * retry files it alone and never relays it again, in this process or after a restart.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ComposedEmail } from '../../../src/domain/types.js';
import { AccountUnusableError, TransientError } from '../../../src/providers/errors.js';
import { createMaildirMailbox } from '../../../src/providers/mail/maildir.js';
import type { Mailbox } from '../../../src/providers/mail/types.js';
import { startRecordingSmtpServer, type RecordingSmtpServer } from '../../support/smtp-server.js';

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

describe('maildir relay: a filing failure never relays again', () => {
  let root: string;
  let server: RecordingSmtpServer;
  const mailboxes: Mailbox[] = [];
  const open = (): Mailbox => {
    const mailbox = createMaildirMailbox({ id: 'relayed-test', path: root, smtp: { host: server.host, port: server.port, secure: false } });
    mailboxes.push(mailbox);
    return mailbox;
  };

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'ringback-maildir-relayed-'));
    server = await startRecordingSmtpServer();
  });
  afterEach(async () => {
    for (const mailbox of mailboxes.splice(0)) await mailbox.close();
    await server.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('files the message alone once .Sent is back, after the folder was removed during the send', async () => {
    const mailbox = open();
    const draft = email();
    const ref = await mailbox.createDraft(draft);
    // A mail client removed Sent after ringback last looked at the layout.
    await rm(join(root, '.Sent'), { recursive: true });
    await expect(mailbox.send(ref)).rejects.toBeInstanceOf(TransientError);
    expect(server.countByMessageId(draft.messageId)).toBe(1);
    expect(await mailbox.draftState(ref)).toMatchObject({ state: 'draft' });

    const sent = await mailbox.send(ref);
    await mailbox.send(sent);
    expect(server.countByMessageId(draft.messageId)).toBe(1);
    expect(await mailbox.draftState(ref)).toMatchObject({ state: 'sent' });
    expect(await readdir(join(root, '.Drafts', 'cur'))).toEqual([]);
  });

  it('remembers across a restart, while Sent cannot be created, and after it is fixed', async () => {
    const first = open();
    const draft = email();
    const ref = await first.createDraft(draft);
    await rm(join(root, '.Sent'), { recursive: true });
    // A file where the folder should be: nothing can be filed until the user removes it.
    await writeFile(join(root, '.Sent'), 'oops');
    await expect(first.send(ref)).rejects.toBeInstanceOf(AccountUnusableError);
    expect(server.countByMessageId(draft.messageId)).toBe(1);

    const restarted = open();
    await expect(restarted.send(ref)).rejects.toBeInstanceOf(AccountUnusableError);
    await rm(join(root, '.Sent'));
    await restarted.send(ref);
    expect(server.countByMessageId(draft.messageId)).toBe(1);
    expect(await restarted.draftState(ref)).toMatchObject({ state: 'sent' });
  });

  it('still relays a draft that never reached the server', async () => {
    const mailbox = open();
    const draft = email();
    const ref = await mailbox.createDraft(draft);
    server.failNext({ stage: 'rcpt', code: 451, message: 'Try again later' });
    await expect(mailbox.send(ref)).rejects.toBeInstanceOf(TransientError);
    await mailbox.send(ref);
    expect(server.countByMessageId(draft.messageId)).toBe(1);
  });
});
