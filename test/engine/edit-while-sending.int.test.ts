/**
 * The user edits the confirmation draft in the moments its send is under way (DESIGN.md, Sending
 * exactly once: "the user's edits win: a confirmation is sent as the draft stands at due time").
 * The embedded Maildir relaying through a real SMTP server that records what it accepts, real
 * Redis, the ics file.
 *
 * The send finds the draft, takes its last look at the call in Redis (SendOptions.beforeSubmit),
 * reads the draft and hands it to the server. The edit is landed right after that last look, the
 * latest moment before the hand-over, by the real Maildir adapter whose caller's last look is
 * followed by the user's save (the way a mail client saves while the send waits on Redis); the
 * adapter and the engine then do the real work. An edit saved while the server is taking the
 * message is the moment nothing can win: what left is what was read.
 *
 * What a mail client's save is in a Maildir: a new file with the edited text, the old one removed
 * (maildir.ts); most keep the Message-ID, Thunderbird writes a new one and keeps X-Ringback-Ref.
 */
import { readFile, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { runAction } from '../../src/engine/actions.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { getEmail, putEmail } from '../../src/store/drafts.js';
import { afterLastLook, draftedConfirmation, sendJob } from '../support/last-look.js';
import { startRelayedHarness, type RelayedHarness } from '../support/relayed-harness.js';

let relayed: RelayedHarness | null = null;
afterEach(async () => {
  await relayed?.stop();
  relayed = null;
});

const USER_WORDS = 'P.S. My mobile signal is weak at home; if the line drops, please try 555 0199.';

/** A call 3 hours ahead, read, its confirmation drafted in a Maildir that relays through `smtp`. */
async function drafted(uid: string): Promise<{ id: string; messageId: string }> {
  relayed = await startRelayedHarness('edit-send');
  return await draftedConfirmation(relayed.harness, uid);
}

/** The messages of a folder of the relaying Maildir, with their files. */
async function folder(name: 'Drafts' | 'Sent'): Promise<{ path: string; mail: ParsedMail }[]> {
  const out: { path: string; mail: ParsedMail }[] = [];
  for (const sub of ['new', 'cur']) {
    const dir = join(relayed!.folder, `.${name}`, sub);
    const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    for (const n of names) out.push({ path: join(dir, n), mail: await simpleParser(await readFile(join(dir, n))) });
  }
  return out;
}

async function draftPath(): Promise<string> {
  const drafts = await folder('Drafts');
  expect(drafts).toHaveLength(1);
  return drafts[0]!.path;
}

/**
 * A mail client's save of the edited draft: the user's words added before the closing of the text
 * it opened (`opened`, read from `path` when not given), written as a new file in Drafts, and the
 * file it opened removed. `newMessageId`: a client that gives the saved draft a Message-ID of its
 * own (keeping X-Ringback-Ref).
 */
async function userSavesEdit(path: string, options: { newMessageId?: boolean; opened?: string } = {}): Promise<void> {
  await userAppendsEdit(path, options);
  // The file it opened may have left Drafts meanwhile (filed in Sent): a client then removes nothing.
  if (options.opened === undefined) await unlink(path);
}

/**
 * The first of the two steps of a save through Dovecot's IMAP (an APPEND: the new file), the file
 * it opened still there; the second (EXPUNGE: the file removed) is the caller's. Written under a
 * Dovecot-shaped unique name of its own moment.
 */
async function userAppendsEdit(path: string, options: { newMessageId?: boolean; opened?: string; words?: string; to?: string; unchanged?: boolean } = {}): Promise<void> {
  let raw = options.opened ?? (await readFile(path, 'utf8'));
  expect(raw).toContain('I look forward');
  if (!options.unchanged) raw = raw.replace('I look forward', `${options.words ?? USER_WORDS}\r\n\r\nI look forward`);
  if (options.to) raw = raw.replace(/^To: .*$/im, `To: ${options.to}`);
  if (options.newMessageId) raw = raw.replace(/^Message-ID: .*$/im, `Message-ID: <3f1c9a2e-${Math.random().toString(16).slice(2)}-thunderbird@example.org>`);
  const now = Date.now();
  const unique = `${Math.floor(now / 1000)}.M${(now % 1000) * 1000}P2Q${Math.random().toString(16).slice(2, 8)}.laptop`;
  const dir = join(relayed!.folder, '.Drafts');
  await writeFile(join(dir, 'tmp', unique), raw);
  await rename(join(dir, 'tmp', unique), join(dir, 'cur', `${unique}:2,DS`));
}

/** The mail client's second step: the file it opened removed, if still there (EXPUNGE of a message gone is no error). */
async function userExpunges(path: string): Promise<void> {
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}


describe('the user edits the confirmation draft while it is being sent', () => {
  it('saved right after the last look, before the hand-over: the edited text leaves, once, and is the copy in Sent', async () => {
    const { id, messageId } = await drafted('edit-send-1');
    const path = await draftPath();

    const outcome = await runAction(afterLastLook(relayed!.harness.engine, () => userSavesEdit(path)), sendJob(id));

    expect(outcome).toMatchObject({ state: 'sent' });
    expect(relayed!.relay.countByMessageId(messageId)).toBe(1);
    expect(relayed!.relay.messages[0]?.text).toContain(USER_WORDS);
    const sent = await folder('Sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]?.mail.text).toContain(USER_WORDS);
    expect(await folder('Drafts')).toHaveLength(0);
    expect((await relayed!.harness.audit(id)).filter((r) => r.type === 'sent')).toHaveLength(1);
    expect((await getEmail(relayed!.harness.runtime.store, id, 'confirmation'))?.state).toBe('sent');
  });

  it('saved under a Message-ID of the mail client\'s own: the edited text leaves, once, and nothing is left in Drafts', async () => {
    const { id, messageId } = await drafted('edit-send-2');
    const path = await draftPath();

    const outcome = await runAction(afterLastLook(relayed!.harness.engine, () => userSavesEdit(path, { newMessageId: true })), sendJob(id));

    expect(outcome).toMatchObject({ state: 'sent' });
    expect(relayed!.relay.messages).toHaveLength(1);
    expect(relayed!.relay.countByMessageId(messageId)).toBe(1);
    expect(relayed!.relay.messages[0]?.text).toContain(USER_WORDS);
    expect((await folder('Sent')).map((m) => m.mail.text?.includes(USER_WORDS))).toEqual([true]);
    expect(await folder('Drafts')).toHaveLength(0);
  });

  it('deleted right after the last look: the user\'s veto, nothing reaches the server', async () => {
    const { id, messageId } = await drafted('edit-send-3');
    const path = await draftPath();

    const outcome = await runAction(afterLastLook(relayed!.harness.engine, () => unlink(path)), sendJob(id));

    expect(relayed!.relay.countByMessageId(messageId)).toBe(0);
    expect(outcome).toMatchObject({ state: 'vetoed' });
    expect(await folder('Sent')).toHaveLength(0);
    expect((await getEmail(relayed!.harness.runtime.store, id, 'confirmation'))?.state).toBe('vetoed');
    expect((await relayed!.harness.audit(id)).filter((r) => r.type === 'sent')).toHaveLength(0);
  });

  // Guard (passed before the change): the moment no edit can win.
  it('saved while the server takes the message: what was read leaves, once, and is the copy in Sent; the edited copy stays in Drafts, never sent', async () => {
    const { id, messageId } = await drafted('edit-send-4');
    const path = await draftPath();
    const opened = await readFile(path, 'utf8');
    relayed!.relay.beforeNextAccept(() => userSavesEdit(path, { opened }));

    const outcome = await runAction(relayed!.harness.engine, sendJob(id));

    expect(outcome).toMatchObject({ state: 'sent' });
    expect(relayed!.relay.countByMessageId(messageId)).toBe(1);
    const left = relayed!.relay.messages[0]?.text ?? '';
    expect(left).not.toContain(USER_WORDS);
    // The copy in Sent is the one that left, not the edit: never a message that did not go.
    const sent = await folder('Sent');
    expect(sent.map((m) => m.mail.text?.includes(USER_WORDS))).toEqual([false]);
    const drafts = await folder('Drafts');
    expect(drafts.map((m) => m.mail.text?.includes(USER_WORDS))).toEqual([true]);
    expect((await getEmail(relayed!.harness.runtime.store, id, 'confirmation'))?.state).toBe('sent');
    // A send of the call run again (a retry, a second worker) finds it sent and relays nothing.
    await runAction(relayed!.harness.engine, sendJob(id));
    expect(relayed!.relay.countByMessageId(messageId)).toBe(1);
    expect((await relayed!.harness.audit(id)).filter((r) => r.type === 'sent')).toHaveLength(1);
    expect((await folder('Drafts')).map((m) => m.mail.text?.includes(USER_WORDS))).toEqual([true]);
  });

  // A save through IMAP is two steps (an APPEND of the new version, then \Deleted and EXPUNGE of
  // the old): thunderbird/thunderbird-android#2060, stalwartlabs/stalwart#234, nextcloud/mail#3600.
  it("caught between the mail client's two steps (new file written, old one not yet removed): the new version leaves, once, and neither copy stays in Drafts", async () => {
    const { id, messageId } = await drafted('edit-send-5');
    const path = await draftPath();

    const outcome = await runAction(afterLastLook(relayed!.harness.engine, () => userAppendsEdit(path)), sendJob(id));
    await userExpunges(path);

    expect(outcome).toMatchObject({ state: 'sent' });
    expect(relayed!.relay.countByMessageId(messageId)).toBe(1);
    expect(relayed!.relay.messages[0]?.text).toContain(USER_WORDS);
    expect((await folder('Sent')).map((m) => m.mail.text?.includes(USER_WORDS))).toEqual([true]);
    expect(await folder('Drafts')).toHaveLength(0);
    await runAction(relayed!.harness.engine, sendJob(id));
    expect(relayed!.relay.countByMessageId(messageId)).toBe(1);
    expect((await relayed!.harness.audit(id)).filter((r) => r.type === 'sent')).toHaveLength(1);
  });

  it("caught between the two steps of two saves in a row, under the mail client's own Message-IDs: the newest version leaves, once", async () => {
    const { id } = await drafted('edit-send-6');
    const path = await draftPath();
    const NEWER = 'P.S. I will be at my desk from 9:30.';

    const outcome = await runAction(
      afterLastLook(relayed!.harness.engine, async () => {
        await userAppendsEdit(path, { newMessageId: true });
        // The second save opens the first (same text plus the new line), a moment later.
        await new Promise((resolve) => setTimeout(resolve, 5));
        const first = (await folder('Drafts')).find((m) => m.mail.text?.includes(USER_WORDS));
        await userAppendsEdit(first!.path, { newMessageId: true, words: NEWER });
      }),
      sendJob(id),
    );
    await userExpunges(path);

    expect(outcome).toMatchObject({ state: 'sent' });
    expect(relayed!.relay.messages).toHaveLength(1);
    expect(relayed!.relay.messages[0]?.text).toContain(NEWER);
    expect((await folder('Sent')).map((m) => m.mail.text?.includes(NEWER))).toEqual([true]);
    expect(await folder('Drafts')).toHaveLength(0);
  });

  it('saved minutes after it left, from the draft the mail client still had open: the next reconcile round tells the user, once', async () => {
    const { id } = await drafted('edit-send-7');
    const path = await draftPath();
    const opened = await readFile(path, 'utf8');
    expect(await runAction(relayed!.harness.engine, sendJob(id))).toMatchObject({ state: 'sent' });
    const sayings = async () => (await relayed!.harness.audit(id)).filter((r) => r.message.startsWith('you saved an edit of the confirmation'));
    expect(await sayings()).toEqual([]);

    // The client saves the text it opened, with the user's words, as a new draft: the one it opened is gone.
    await userAppendsEdit(path, { opened });
    await reconcile(relayed!.harness.engine);

    const told = await sayings();
    expect(told.map((r) => r.type)).toEqual(['kept-as-draft']);
    expect(told[0]?.message).toMatch(/after it had left at .+: dana@acme\.example has the version in your Sent folder, and your edit is in Drafts, not sent/);
    expect((await folder('Drafts')).map((m) => m.mail.text?.includes(USER_WORDS))).toEqual([true]);
    expect(relayed!.relay.messages).toHaveLength(1);
    await reconcile(relayed!.harness.engine);
    expect(await sayings()).toHaveLength(1);
  });

  it('a second edit saved after it left, with other words, is told too; the same words saved again are not, nor any edit at every round', async () => {
    const { id } = await drafted('edit-send-9');
    const path = await draftPath();
    const opened = await readFile(path, 'utf8');
    expect(await runAction(relayed!.harness.engine, sendJob(id))).toMatchObject({ state: 'sent' });
    const sayings = async () => (await relayed!.harness.audit(id)).filter((r) => /^you saved (an|another) edit of the confirmation/.test(r.message)).map((r) => r.message);
    await userAppendsEdit(path, { opened });
    await reconcile(relayed!.harness.engine);
    expect(await sayings()).toHaveLength(1);

    // The user opens their edit in Drafts and saves it again with more words: a new file, the one opened removed.
    const NEWER = 'P.S. I will be at my desk from 9:30.';
    const [first] = await folder('Drafts');
    await userAppendsEdit(first!.path, { words: NEWER });
    await userExpunges(first!.path);
    await reconcile(relayed!.harness.engine);
    await reconcile(relayed!.harness.engine);

    const told = await sayings();
    expect(told).toHaveLength(2);
    expect(told[1]).toMatch(/^you saved another edit of the confirmation \(".+"\) after it had left at .+: dana@acme\.example has the version in your Sent folder, and this edit is in Drafts, not sent; send it yourself if it tells them something they need, or delete it$/);
    // Saved once more without a change (a client saving on close): nothing new to tell.
    const [second] = await folder('Drafts');
    await userAppendsEdit(second!.path, { unchanged: true });
    await userExpunges(second!.path);
    await reconcile(relayed!.harness.engine);
    expect(await sayings()).toHaveLength(2);
    expect(relayed!.relay.messages).toHaveLength(1);
  });

  // A record of an earlier version, which told one edit and kept no digest: that edit is not told again (as before the change), a later one is.
  it('a record that says an edit was told, without which: the edits in Drafts then are taken as told, and a later one is told', async () => {
    const { id } = await drafted('edit-send-10');
    const path = await draftPath();
    const opened = await readFile(path, 'utf8');
    expect(await runAction(relayed!.harness.engine, sendJob(id))).toMatchObject({ state: 'sent' });
    await userAppendsEdit(path, { opened });
    const store = relayed!.harness.runtime.store;
    const sent = await getEmail(store, id, 'confirmation');
    await putEmail(store, id, { ...sent!, lateEditNoted: true });
    const sayings = async () => (await relayed!.harness.audit(id)).filter((r) => /^you saved (an|another) edit of the confirmation/.test(r.message)).map((r) => r.message);

    await reconcile(relayed!.harness.engine);
    expect(await sayings()).toEqual([]);
    expect((await getEmail(store, id, 'confirmation'))?.lateEdits).toHaveLength(1);

    const [first] = await folder('Drafts');
    await userAppendsEdit(first!.path, { words: 'P.S. I will be at my desk from 9:30.' });
    await userExpunges(first!.path);
    await reconcile(relayed!.harness.engine);
    expect((await sayings()).map((m) => m.startsWith('you saved another edit'))).toEqual([true]);
  });

  // Passed before the newest copy was looked for; failed on its first version, which sent the copy to Sam.
  it('a copy the user addressed to someone else, made while the send looks, is no version of it: the draft goes to the interviewer, the copy stays', async () => {
    const { id } = await drafted('edit-send-8');
    const path = await draftPath();
    const OTHER = 'P.S. Sam, the same time works for our call too.';

    const outcome = await runAction(afterLastLook(relayed!.harness.engine, () => userAppendsEdit(path, { words: OTHER, to: 'Sam Ortiz <sam@globex.example>' })), sendJob(id));

    expect(outcome).toMatchObject({ state: 'sent' });
    expect(relayed!.relay.messages.map((m) => m.envelope.to)).toEqual([['dana@acme.example']]);
    expect(relayed!.relay.messages[0]?.text).not.toContain(OTHER);
    expect((await folder('Drafts')).map((m) => m.mail.text?.includes(OTHER))).toEqual([true]);
    expect((await relayed!.harness.audit(id)).filter((r) => r.message.startsWith('you saved an edit of the confirmation'))).toEqual([]);
  });
});
