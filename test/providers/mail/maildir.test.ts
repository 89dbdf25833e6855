import { createHook } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ComposedEmail } from '../../../src/domain/types.js';
import { PermanentError } from '../../../src/providers/errors.js';
import { createMaildirMailbox, parseMaildirName } from '../../../src/providers/mail/maildir.js';
import type { Mailbox } from '../../../src/providers/mail/types.js';
import { createMaildirClient, describeMailboxContract, type MaildirClient } from './contract.js';

describeMailboxContract('maildir without SMTP', async () => {
  const root = await mkdtemp(join(tmpdir(), 'ringback-maildir-'));
  const mailbox = createMaildirMailbox({ id: 'maildir-test', path: root });
  const client = createMaildirClient(root);
  return {
    mailbox,
    userEditsDraft: (ref, text) => client.userEditsDraft(ref, text),
    userAddressesDraft: (ref, to) => client.userAddressesDraft(ref, to),
    userDeletesDraft: (ref) => client.userDeletesDraft(ref),
    userAppendsEdit: (ref, edit) => client.userAppendsEdit(ref, edit),
    deliverReply: (opts) => client.deliverReply(opts),
    deliverRaw: (raw, date) => client.deliverRaw(raw, date),
    sentCount: async (messageId) => (await client.sentFiles(messageId)).length,
    sentMessages: (messageId) => client.sentFiles(messageId),
    async close() {
      await mailbox.close();
      await rm(root, { recursive: true, force: true });
    },
  };
});

const T0 = Date.UTC(2031, 2, 4, 15, 0, 0);

function email(overrides: Partial<ComposedEmail> = {}): ComposedEmail {
  return {
    messageId: `<ringback.iv${randomUUID().slice(0, 8)}.confirmation.1@example.org>`,
    from: { name: 'Ada Park', email: 'ada@example.org' },
    to: [{ name: 'Lee Chen', email: 'lee@corp.example' }],
    subject: 'Confirming our call',
    text: 'Hello Lee, talk on Tuesday. Ada',
    html: '<p>Hello Lee, talk on Tuesday. Ada</p>',
    date: T0,
    ...overrides,
  };
}

describe('maildir mailbox', () => {
  let root: string;
  let mailbox: Mailbox;
  let client: MaildirClient;
  const now = T0 - 3_600_000;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'ringback-maildir-'));
    mailbox = createMaildirMailbox({ id: 'maildir-test', path: root, now: () => now });
    client = createMaildirClient(root);
  });
  afterEach(async () => {
    await mailbox.close();
    await chmod(root, 0o700);
    await rm(root, { recursive: true, force: true });
  });

  it('lays the folder out as Maildir++ with flags in the file names', async () => {
    const draft = email();
    const ref = await mailbox.createDraft(draft);
    for (const dir of ['cur', 'new', 'tmp', '.Drafts/cur', '.Drafts/new', '.Drafts/tmp', '.Sent/cur', '.Sent/new', '.Sent/tmp']) {
      expect((await stat(join(root, dir))).isDirectory(), dir).toBe(true);
    }
    expect(await readFile(join(root, '.Drafts', 'maildirfolder'), 'utf8')).toBe('');
    expect(await readFile(join(root, '.Sent', 'maildirfolder'), 'utf8')).toBe('');

    expect(ref.providerId).toMatch(new RegExp(`^${Math.floor(now / 1000)}\\.M\\d+P${process.pid}Q\\d+R[0-9a-f]{8}\\.[^/:]+$`));
    expect(await readdir(join(root, '.Drafts', 'cur'))).toEqual([`${ref.providerId}:2,D`]);
    const file = join(root, '.Drafts', 'cur', `${ref.providerId}:2,D`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const raw = await readFile(file, 'utf8');
    expect(raw).toMatch(new RegExp(`^Message-ID: ${draft.messageId.replace(/\./g, '\\.')}$`, 'm'));
    expect(raw).toMatch(new RegExp(`^X-Ringback-Ref: ${draft.messageId.replace(/\./g, '\\.')}$`, 'm'));
    expect(raw).toMatch(/^Date: Tue, 04 Mar 2031 15:00:00 \+0000$/m);
    expect(raw).toMatch(/^To: Lee Chen <lee@corp\.example>$/m);

    await mailbox.send(ref);
    expect(await readdir(join(root, '.Drafts', 'cur'))).toEqual([]);
    expect(await readdir(join(root, '.Sent', 'cur'))).toEqual([`${ref.providerId}:2,S`]);
    expect(await readdir(join(root, '.Sent', 'tmp'))).toEqual([]);
  });

  it('writes a draft in five requests to the file system, each through a callback of node:fs rather than a FileHandle', async () => {
    // Counted with async_hooks: open, write, fsync, close, rename, each through libuv's thread
    // pool. Through fs/promises' FileHandle (three FSREQPROMISE and a FILEHANDLECLOSEREQ of its own
    // for the close, the rename a fourth FSREQPROMISE) the same requests cost the event loop that
    // drains a burst of drafts several times as much (fire benchmark, bench/README.md).
    await mailbox.createDraft(email());
    const requests: string[] = [];
    const hook = createHook({
      init(_id, type) {
        if (type === 'FSREQPROMISE' || type === 'FSREQCALLBACK' || type === 'FILEHANDLECLOSEREQ') requests.push(type);
      },
    });
    hook.enable();
    try {
      await mailbox.createDraft(email());
    } finally {
      hook.disable();
    }
    expect(requests).toEqual(['FSREQCALLBACK', 'FSREQCALLBACK', 'FSREQCALLBACK', 'FSREQCALLBACK', 'FSREQCALLBACK']);
    expect(await readdir(join(root, '.Drafts', 'cur'))).toHaveLength(2);
    expect(await readdir(join(root, '.Drafts', 'tmp'))).toEqual([]);
  });

  it('dates the copy filed in Sent when it is filed, not when it was drafted (DESIGN.md: Date: is the time of sending)', async () => {
    // The copy in Sent was the draft file renamed as it stood: a confirmation drafted a day
    // ahead showed in the user's Sent a day early, and without a relay it is the only copy.
    let clock = now;
    const warnings: string[] = [];
    const dated = createMaildirMailbox({ id: 'maildir-test', path: root, now: () => clock, warn: (line) => warnings.push(line) });
    const ref = await dated.createDraft(email({ date: now }));
    clock = now + 86_400_000;
    const sentRef = await dated.send(ref);
    const sent = await readFile(join(root, '.Sent', 'cur', `${sentRef.providerId}:2,S`), 'utf8');
    const header = sent.split(/\r?\n\r?\n/)[0] ?? '';
    expect(header.match(/^date:/gim)).toHaveLength(1);
    expect(header).toMatch(/^Date: Wed, 05 Mar 2031 14:00:00 \+0000$/m);
    expect(await readdir(join(root, '.Sent', 'cur'))).toEqual([`${sentRef.providerId}:2,S`]);
    expect(await readdir(join(root, '.Sent', 'tmp'))).toEqual([]);
    // The folder cache holds the copy as it is now: found by its Message-ID, read with the new date.
    expect((await dated.readMessage(sentRef))?.raw.toString('utf8')).toMatch(/^Date: Wed, 05 Mar 2031 14:00:00 \+0000$/m);
    expect(warnings).toEqual([]);
    await dated.close();
  });

  it('counts a message whose Sent copy cannot be dated again as sent, and says so', async () => {
    const warnings: string[] = [];
    const dated = createMaildirMailbox({ id: 'maildir-test', path: root, now: () => now + 60_000, warn: (line) => warnings.push(line) });
    const ref = await dated.createDraft(email());
    // Something left in Sent's tmp/ under the name the rewrite uses (a crash in an earlier
    // rewrite): the rename into cur/ still works, the rewrite through tmp/ cannot.
    await mkdir(join(root, '.Sent', 'tmp', `${ref.providerId}.replacing`), { recursive: true });
    try {
      const sentRef = await dated.send(ref);
      expect(await dated.draftState(ref)).toEqual({ state: 'sent', ref: sentRef });
      expect(await readdir(join(root, '.Sent', 'cur'))).toEqual([`${sentRef.providerId}:2,S`]);
      const sent = await readFile(join(root, '.Sent', 'cur', `${sentRef.providerId}:2,S`), 'utf8');
      expect(sent).toMatch(/^Date: Tue, 04 Mar 2031 15:00:00 \+0000$/m);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/was sent, but its copy in Sent .* keeps the date it was drafted: maildir: \S+ on \S+\.replacing$/);
    } finally {
      await dated.close();
    }
  });

  it('follows a draft whose flags a client changed, and files it in Sent with S instead of D', async () => {
    const ref = await mailbox.createDraft(email());
    await rename(join(root, '.Drafts', 'cur', `${ref.providerId}:2,D`), join(root, '.Drafts', 'cur', `${ref.providerId}:2,DFS`));
    expect(await mailbox.draftState(ref)).toEqual({ state: 'draft', ref });
    await mailbox.send(ref);
    expect(await readdir(join(root, '.Sent', 'cur'))).toEqual([`${ref.providerId}:2,FS`]);
  });

  it('keeps an edited draft that kept its Message-ID, under its new file name', async () => {
    const draft = email();
    const ref = await mailbox.createDraft(draft);
    await client.userEditsDraft(ref, 'Edited, same id', 'same-message-id');
    const state = await mailbox.draftState(ref);
    if (state.state !== 'draft') throw new Error(`expected a draft, got ${state.state}`);
    expect(state.ref.providerId).not.toBe(ref.providerId);
    expect(state.ref.messageId).toBe(draft.messageId);
    expect(await mailbox.findByMessageId(draft.messageId)).toEqual({ folder: 'drafts', ref: state.ref });
  });

  it('recognises a draft rewritten with a new Message-ID by its X-Ringback-Ref, and threads replies to the new id', async () => {
    const draft = email();
    const ref = await mailbox.createDraft(draft);
    await client.userEditsDraft(ref, 'Edited, new id', 'new-message-id');
    const state = await mailbox.draftState(ref);
    expect(state).toMatchObject({ state: 'draft', ref: { messageId: draft.messageId } });
    expect(await mailbox.findByMessageId(draft.messageId)).toMatchObject({ folder: 'drafts' });
    await mailbox.send(ref);
    const [sentName] = await readdir(join(root, '.Sent', 'cur'));
    const sentId = /^Message-ID: (<[^>]+>)$/m.exec(await readFile(join(root, '.Sent', 'cur', sentName ?? ''), 'utf8'))?.[1];
    expect(sentId).toMatch(/@client\.example>$/);
    await client.deliverReply({ from: 'assistant@corp.example', inReplyTo: sentId ?? '', subject: 'Re: Confirming', date: T0 + 60_000 });
    const replies = await mailbox.repliesSince({ messageIds: [draft.messageId], counterpart: 'lee@corp.example' }, T0);
    expect(replies.map((reply) => reply.from)).toEqual(['assistant@corp.example']);
  });

  it('counts a draft rewritten without our Message-ID and without X-Ringback-Ref as gone', async () => {
    const draft = email();
    const ref = await mailbox.createDraft(draft);
    await client.userEditsDraft(ref, 'Rewritten by a client that keeps nothing', 'new-message-id-dropping-ref');
    expect(await mailbox.draftState(ref)).toEqual({ state: 'gone' });
    await expect(mailbox.send(ref)).rejects.toBeInstanceOf(PermanentError);
    expect(await readdir(join(root, '.Sent', 'cur'))).toEqual([]);
  });

  it('reads replies with long header blocks and encoded subjects', async () => {
    const ours = '<ringback.ivlong.confirmation.1@example.org>';
    const references = Array.from({ length: 400 }, (_, i) => `<older.${i}.${'x'.repeat(30)}@list.example>`).join('\n ');
    const raw = [
      'From: =?UTF-8?Q?J=C3=BCrgen?= <jurgen@corp.example>',
      'To: ada@example.org',
      `References: ${references}`,
      `In-Reply-To: ${ours}`,
      'Subject: =?UTF-8?B?UmU6IETDqWrDoCB2dQ==?= =?UTF-8?Q?_=E2=98=8E?=',
      'Message-ID: <long.reply@corp.example>',
      'Date: Tue, 04 Mar 2031 16:00:00 +0000',
      '',
      'body',
      '',
    ].join('\n');
    expect(raw.length).toBeGreaterThan(16_000);
    await mkdir(join(root, 'new'), { recursive: true });
    await writeFile(join(root, 'new', '1900000000.long.test'), raw);
    const replies = await mailbox.repliesSince({ messageIds: [ours], counterpart: 'lee@corp.example' }, T0);
    expect(replies).toEqual([
      { messageId: '<long.reply@corp.example>', from: 'jurgen@corp.example', date: Date.UTC(2031, 2, 4, 16), subject: 'Re: Déjà vu ☎', automatic: null },
    ]);
  });

  it('names the folder when the maildir root does not exist', async () => {
    const missing = join(root, 'not-there');
    const lost = createMaildirMailbox({ id: 'lost', path: missing });
    const error: unknown = await lost.createDraft(email()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toContain(missing);
    await lost.close();
  });

  it.skipIf(process.getuid?.() === 0)('reports a folder it may not write as a permanent failure', async () => {
    await chmod(root, 0o500);
    await expect(mailbox.createDraft(email())).rejects.toBeInstanceOf(PermanentError);
  });
});

describe('maildir unique names', () => {
  it('splits names into the unique part and the flags', () => {
    expect(parseMaildirName('1700000000.M1P2Q3.host:2,DS')).toEqual({ unique: '1700000000.M1P2Q3.host', flags: 'DS' });
    expect(parseMaildirName('1700000000.M1P2Q3.host')).toEqual({ unique: '1700000000.M1P2Q3.host', flags: '' });
  });
});
