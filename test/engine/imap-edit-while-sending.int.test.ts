/**
 * The user edits the confirmation draft in the moments its send is under way, on an IMAP account
 * (a real Dovecot) sending through a real SMTP server that records what it accepts; real Redis,
 * the ics file. The IMAP side of edit-while-sending.int.test.ts (DESIGN.md, Sending exactly once:
 * "the user's edits win").
 *
 * The edit is landed right after the send's last look at the call (SendOptions.beforeSubmit), the
 * latest moment before the hand-over, by another IMAP session as the user's mail client.
 *
 * What a mail client's save of an edited draft is over IMAP: there is no "replace" in IMAP, so it
 * APPENDs the new version and removes the old one (STORE \Deleted, then EXPUNGE). Thunderbird does
 * so, and a server that misses its STORE/EXPUNGE ends up with a copy per save
 * (stalwartlabs/stalwart#234: "Thunderbird is not issuing any `STORE` or `EXPUNGE` commands after
 * creating a new draft, that is why the older drafts remain"; linagora/james-project#4329);
 * mscdex/node-imap#654 gives a client's recipe the same way. Thunderbird gives the saved draft a
 * Message-ID of its own and keeps the unknown X-Ringback-Ref header (imap.ts).
 */
import type { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../../src/engine/actions.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { getEmail } from '../../src/store/drafts.js';
import { afterLastLook, draftedConfirmation, sendJob } from '../support/last-look.js';
import { dovecotVersionSync, mailClient, startDovecot, type TestDovecot } from '../support/dovecot.js';
import { startEngineHarness, type EngineHarness } from '../support/engine-harness.js';
import { startRecordingSmtpServer, type RecordingSmtpServer } from '../support/smtp-server.js';

let dovecot: TestDovecot;
let smtp: RecordingSmtpServer;
let client: ImapFlow;
let h: EngineHarness | null = null;

beforeAll(async () => {
  [dovecot, smtp] = await Promise.all([startDovecot(), startRecordingSmtpServer()]);
  client = await mailClient(dovecot);
});
afterEach(async () => {
  await h?.stop();
  h = null;
});
afterAll(async () => {
  await client?.logout();
  await Promise.all([dovecot?.stop(), smtp?.stop()]);
});

const USER_WORDS = 'P.S. My mobile signal is weak at home; if the line drops, please try 555 0199.';

/** A call 3 hours ahead, read, its confirmation drafted in Dovecot's Drafts. */
async function drafted(uid: string): Promise<{ id: string; messageId: string }> {
  h = await startEngineHarness({
    mailbox: { type: 'imap', id: 'mail', host: dovecot.host, port: dovecot.port, secure: false, username: dovecot.username, smtp: { host: smtp.host, port: smtp.port, secure: false }, serverFilesSent: false },
    secrets: { mail: { password: dovecot.password } },
  });
  return await draftedConfirmation(h, uid);
}

interface Held {
  readonly uid: number;
  readonly raw: string;
  readonly text: string;
}

/** The messages of this call (by Message-ID or X-Ringback-Ref) in `folder`, as the mail client sees them. */
async function mine(folder: 'Drafts' | 'Sent', messageId: string): Promise<Held[]> {
  const lock = await client.getMailboxLock(folder);
  try {
    await client.noop();
    const uids = await client.search({ or: [{ header: { 'message-id': messageId } }, { header: { 'x-ringback-ref': messageId } }], deleted: false }, { uid: true });
    if (!Array.isArray(uids) || uids.length === 0) return [];
    const out: Held[] = [];
    for await (const m of client.fetch(uids.join(','), { source: true }, { uid: true })) {
      const raw = m.source?.toString('utf8') ?? '';
      out.push({ uid: m.uid, raw, text: (await simpleParser(raw)).text ?? '' });
    }
    return out;
  } finally {
    lock.release();
  }
}

/**
 * The mail client's save of the edited draft: the user's words added before the closing, the new
 * version APPENDed to Drafts, then the old one flagged \Deleted and expunged (imapflow's
 * messageDelete: UID STORE +FLAGS (\Deleted), UID EXPUNGE). `newMessageId`: as Thunderbird.
 */
async function userSavesEdit(messageId: string, options: { newMessageId?: boolean } = {}): Promise<void> {
  const deleteOld = await userAppendsEdit(messageId, options);
  await deleteOld();
}

/**
 * The first of the mail client's two steps alone: the edited version APPENDed, the old one still
 * there. Returns the second step (UID STORE \Deleted, UID EXPUNGE of the old UID), which the client
 * runs whatever happened meanwhile: on a UID already expunged both are no-ops (RFC 3501 §6.4.8).
 */
async function userAppendsEdit(messageId: string, options: { newMessageId?: boolean; words?: string; to?: string; unchanged?: boolean } = {}): Promise<() => Promise<void>> {
  const opened = (await mine('Drafts', messageId)).at(-1);
  expect(opened?.raw).toContain('I look forward');
  let raw = options.unchanged ? opened!.raw : opened!.raw.replace('I look forward', `${options.words ?? USER_WORDS}\r\n\r\nI look forward`);
  if (options.newMessageId) raw = raw.replace(/^Message-ID: .*$/im, `Message-ID: <3f1c9a2e-${Math.random().toString(16).slice(2)}-thunderbird@example.org>`);
  if (options.to) raw = raw.replace(/^To: .*$/im, `To: ${options.to}`);
  const lock = await client.getMailboxLock('Drafts');
  try {
    await client.append('Drafts', Buffer.from(raw), ['\\Draft', '\\Seen']);
  } finally {
    lock.release();
  }
  return async () => {
    const again = await client.getMailboxLock('Drafts');
    try {
      await client.messageDelete(String(opened!.uid), { uid: true });
    } finally {
      again.release();
    }
  };
}

async function userDeletes(messageId: string): Promise<void> {
  const [opened] = await mine('Drafts', messageId);
  const lock = await client.getMailboxLock('Drafts');
  try {
    await client.messageDelete(String(opened!.uid), { uid: true });
  } finally {
    lock.release();
  }
}


describe(`IMAP (Dovecot ${dovecotVersionSync()}): the user edits the confirmation draft while it is being sent`, () => {
  it('saved right after the last look, before the hand-over: the edited text leaves, once, and is the copy in Sent', async () => {
    const { id, messageId } = await drafted('imap-edit-send-1');

    const outcome = await runAction(afterLastLook(h!.engine, () => userSavesEdit(messageId)), sendJob(id));

    expect(outcome).toMatchObject({ state: 'sent' });
    expect(smtp.countByMessageId(messageId)).toBe(1);
    expect(smtp.messages.find((m) => m.raw.includes(messageId))?.text).toContain(USER_WORDS);
    expect((await mine('Sent', messageId)).map((m) => m.text.includes(USER_WORDS))).toEqual([true]);
    expect(await mine('Drafts', messageId)).toHaveLength(0);
    expect((await h!.audit(id)).filter((r) => r.type === 'sent')).toHaveLength(1);
    expect((await getEmail(h!.runtime.store, id, 'confirmation'))?.state).toBe('sent');
  });

  it("saved under a Message-ID of the mail client's own: the edited text leaves, once, and nothing is left in Drafts", async () => {
    const { id, messageId } = await drafted('imap-edit-send-2');
    const before = smtp.messages.length;

    const outcome = await runAction(afterLastLook(h!.engine, () => userSavesEdit(messageId, { newMessageId: true })), sendJob(id));

    expect(outcome).toMatchObject({ state: 'sent' });
    expect(smtp.messages.length - before).toBe(1);
    expect(smtp.messages.at(-1)?.text).toContain(USER_WORDS);
    expect((await mine('Sent', messageId)).map((m) => m.text.includes(USER_WORDS))).toEqual([true]);
    expect(await mine('Drafts', messageId)).toHaveLength(0);
    expect((await h!.audit(id)).filter((r) => r.type === 'sent')).toHaveLength(1);
  });

  it("deleted right after the last look: the user's veto, nothing reaches the server", async () => {
    const { id, messageId } = await drafted('imap-edit-send-3');
    const before = smtp.messages.length;

    const outcome = await runAction(afterLastLook(h!.engine, () => userDeletes(messageId)), sendJob(id));

    expect(smtp.messages.length - before).toBe(0);
    expect(outcome).toMatchObject({ state: 'vetoed' });
    expect(await mine('Sent', messageId)).toHaveLength(0);
    expect((await getEmail(h!.runtime.store, id, 'confirmation'))?.state).toBe('vetoed');
    expect((await h!.audit(id)).filter((r) => r.type === 'sent')).toHaveLength(0);
  });

  // Guard (passed before the change): the moment no edit can win.
  it('saved while the server takes the message: what was read leaves, once, and is the copy in Sent; the edit stays in Drafts, never sent', async () => {
    const { id, messageId } = await drafted('imap-edit-send-4');
    const before = smtp.messages.length;
    smtp.beforeNextAccept(() => userSavesEdit(messageId));

    const outcome = await runAction(h!.engine, sendJob(id));

    expect(outcome).toMatchObject({ state: 'sent' });
    expect(smtp.messages.length - before).toBe(1);
    expect(smtp.messages.at(-1)?.text).not.toContain(USER_WORDS);
    // The copy in Sent is the one that left, not the edit: never a message that did not go.
    expect((await mine('Sent', messageId)).map((m) => m.text.includes(USER_WORDS))).toEqual([false]);
    expect((await mine('Drafts', messageId)).map((m) => m.text.includes(USER_WORDS))).toEqual([true]);
    expect((await getEmail(h!.runtime.store, id, 'confirmation'))?.state).toBe('sent');
    // A send of the call run again (a retry, a second worker) finds it sent and relays nothing.
    await runAction(h!.engine, sendJob(id));
    expect(smtp.messages.length - before).toBe(1);
    expect((await h!.audit(id)).filter((r) => r.type === 'sent')).toHaveLength(1);
  });

  // The mail client's save is two steps (an APPEND of the new version, then \Deleted and EXPUNGE
  // of the old): thunderbird/thunderbird-android#2060 ("Overwriting drafts is not possible with
  // IMAP. We create a new one and delete the old draft"), stalwartlabs/stalwart#234 (Thunderbird),
  // nextcloud/mail#3600 ("IMAP messages are immutable"). A send that looks in between finds two.
  it("caught between the mail client's two steps (new version appended, old one not yet deleted): the new version leaves, once, and neither copy stays in Drafts", async () => {
    const { id, messageId } = await drafted('imap-edit-send-5');
    const before = smtp.messages.length;
    let deleteOld: (() => Promise<void>) | null = null;

    const outcome = await runAction(
      afterLastLook(h!.engine, async () => {
        deleteOld = await userAppendsEdit(messageId);
      }),
      sendJob(id),
    );
    await deleteOld!();

    expect(outcome).toMatchObject({ state: 'sent' });
    expect(smtp.messages.length - before).toBe(1);
    expect(smtp.messages.at(-1)?.text).toContain(USER_WORDS);
    expect((await mine('Sent', messageId)).map((m) => m.text.includes(USER_WORDS))).toEqual([true]);
    expect(await mine('Drafts', messageId)).toHaveLength(0);
    // Run again (a retry, a second worker): found sent, nothing relayed.
    await runAction(h!.engine, sendJob(id));
    expect(smtp.messages.length - before).toBe(1);
    expect((await h!.audit(id)).filter((r) => r.type === 'sent')).toHaveLength(1);
    expect((await getEmail(h!.runtime.store, id, 'confirmation'))?.state).toBe('sent');
  });

  it("caught between the two steps of two saves in a row, under the mail client's own Message-IDs: the newest version leaves, once", async () => {
    const { id, messageId } = await drafted('imap-edit-send-6');
    const before = smtp.messages.length;
    const NEWER = 'P.S. I will be at my desk from 9:30.';
    const pending: Array<() => Promise<void>> = [];

    const outcome = await runAction(
      afterLastLook(h!.engine, async () => {
        pending.push(await userAppendsEdit(messageId, { newMessageId: true }));
        pending.push(await userAppendsEdit(messageId, { newMessageId: true, words: NEWER }));
      }),
      sendJob(id),
    );
    for (const step of pending) await step();

    expect(outcome).toMatchObject({ state: 'sent' });
    expect(smtp.messages.length - before).toBe(1);
    expect(smtp.messages.at(-1)?.text).toContain(NEWER);
    expect((await mine('Sent', messageId)).map((m) => m.text.includes(NEWER))).toEqual([true]);
    expect(await mine('Drafts', messageId)).toHaveLength(0);
    await runAction(h!.engine, sendJob(id));
    expect(smtp.messages.length - before).toBe(1);
  });

  it('saved while the server takes the message: the user is told, once, that their edit came after it had left and stays in Drafts', async () => {
    const { id, messageId } = await drafted('imap-edit-send-7');
    smtp.beforeNextAccept(() => userSavesEdit(messageId));

    expect(await runAction(h!.engine, sendJob(id))).toMatchObject({ state: 'sent' });

    const told = (await h!.audit(id)).filter((r) => r.message.startsWith('you saved an edit of the confirmation'));
    expect(told.map((r) => r.type)).toEqual(['kept-as-draft']);
    expect(told[0]?.message).toMatch(
      /^you saved an edit of the confirmation \(".+"\) after it had left at .+: dana@acme\.example has the version in your Sent folder, and your edit is in Drafts, not sent; send it yourself if it tells them something they need, or delete it$/,
    );
    // Nothing sent or deleted for them; a reconcile round tells nothing more.
    expect((await mine('Drafts', messageId)).map((m) => m.text.includes(USER_WORDS))).toEqual([true]);
    await reconcile(h!.engine);
    expect((await h!.audit(id)).filter((r) => r.message.startsWith('you saved an edit of the confirmation'))).toHaveLength(1);
  });

  it('a second edit saved after it left, with other words, is told too; the same words saved again are not, nor any edit at every round', async () => {
    const { id, messageId } = await drafted('imap-edit-send-9');
    smtp.beforeNextAccept(() => userSavesEdit(messageId));
    expect(await runAction(h!.engine, sendJob(id))).toMatchObject({ state: 'sent' });
    const sayings = async () => (await h!.audit(id)).filter((r) => /^you saved (an|another) edit of the confirmation/.test(r.message)).map((r) => r.message);
    expect(await sayings()).toHaveLength(1);

    // The user opens their edit in Drafts and saves it again with more words, under Thunderbird's own Message-ID.
    const NEWER = 'P.S. I will be at my desk from 9:30.';
    await (await userAppendsEdit(messageId, { words: NEWER, newMessageId: true }))();
    await reconcile(h!.engine);
    await reconcile(h!.engine);

    const told = await sayings();
    expect(told).toHaveLength(2);
    expect(told[1]).toMatch(/^you saved another edit of the confirmation \(".+"\) after it had left at .+: dana@acme\.example has the version in your Sent folder, and this edit is in Drafts, not sent; send it yourself if it tells them something they need, or delete it$/);
    // Saved once more without a change: nothing new to tell.
    await (await userAppendsEdit(messageId, { unchanged: true }))();
    expect((await mine('Drafts', messageId)).map((m) => m.text.includes(NEWER))).toEqual([true]);
    await reconcile(h!.engine);
    expect(await sayings()).toHaveLength(2);
  });

  // Passed before the newest copy was looked for; failed on its first version, which sent the copy to Sam.
  it('a copy the user addressed to someone else, made while the send looks, is no version of it: the draft goes to the interviewer, the copy stays', async () => {
    const { id, messageId } = await drafted('imap-edit-send-8');
    const before = smtp.messages.length;
    const OTHER = 'P.S. Sam, the same time works for our call too.';

    const outcome = await runAction(
      afterLastLook(h!.engine, async () => {
        await userAppendsEdit(messageId, { words: OTHER, to: 'Sam Ortiz <sam@globex.example>' });
      }),
      sendJob(id),
    );

    expect(outcome).toMatchObject({ state: 'sent' });
    expect(smtp.messages.length - before).toBe(1);
    expect(smtp.messages.at(-1)?.envelope.to).toEqual(['dana@acme.example']);
    expect(smtp.messages.at(-1)?.text).not.toContain(OTHER);
    expect((await mine('Drafts', messageId)).map((m) => m.text.includes(OTHER))).toEqual([true]);
    // Nor is it taken for an edit saved too late.
    expect((await h!.audit(id)).filter((r) => r.message.startsWith('you saved an edit of the confirmation'))).toEqual([]);
  });
});
