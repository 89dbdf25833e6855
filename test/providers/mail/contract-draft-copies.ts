/**
 * The `draftCopies` part of the mailbox contract, run by describeMailboxContract for every adapter
 * that has it (Maildir with and without SMTP, IMAP on a real Dovecot; Gmail and Graph send a draft
 * by its provider id and do not list copies: for them the suite holds only that they have no
 * draftCopies, so that the send's copy rule cannot be taken for granted there by mistake).
 *
 * Why copies: IMAP has no replace, so a mail client saves an edited draft in two steps, an APPEND
 * of the new version and then \Deleted and EXPUNGE of the old ("We create a new one and delete the
 * old draft", https://github.com/thunderbird/thunderbird-android/issues/2060; Thunderbird the same,
 * https://github.com/stalwartlabs/stalwart/issues/234). A look between the two steps finds both,
 * and the send's rule (draft-versions.ts) is that the newest copy going to the same people leaves
 * and the older ones go with it, while a copy addressed to someone else is the user's own email.
 * What the suite pins down, for each adapter alike:
 * - every copy in Drafts under the Message-ID, or under a client's own Message-ID with our
 *   X-Ringback-Ref, oldest first, each readable by the ref given; none in Sent, none deleted;
 * - the send takes the newest of them, and leaves in Drafts only a copy addressed to someone else;
 * - an edit saved after the send is listed (engine/late-edit.ts tells the user of it).
 */
import { randomUUID } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { expect, it } from 'vitest';
import type { ComposedEmail } from '../../../src/domain/types.js';
import { readHeaders } from '../../../src/providers/mail/mime.js';
import type { DraftRef, Mailbox } from '../../../src/providers/mail/types.js';
import type { MailboxHarness } from './contract.js';

const COUNTERPART = { name: 'Lee Chen', email: 'lee@corp.example' };
const OTHER = { name: 'Sam Ortiz', email: 'sam@globex.example' };

function confirmation(): ComposedEmail {
  return {
    messageId: `<ringback.iv${randomUUID().slice(0, 8)}.confirmation.1@example.org>`,
    from: { name: 'Ada Park', email: 'ada@example.org' },
    to: [COUNTERPART],
    subject: 'Confirming our call on Tuesday at 10:00',
    text: 'Hello Lee,\n\nI am looking forward to our call on Tuesday at 10:00.\n\nAda',
    html: '<p>Hello Lee,</p><p>I am looking forward to our call on Tuesday at 10:00.</p><p>Ada</p>',
    date: Date.UTC(2031, 2, 4, 15, 0, 0),
  };
}

type Listing = Required<Pick<Mailbox, 'draftCopies'>>['draftCopies'];
type Appending = NonNullable<MailboxHarness['userAppendsEdit']>;

export function describeDraftCopies(harness: () => MailboxHarness, listsCopies: boolean): void {
  if (!listsCopies) {
    it('draftCopies: none, as the adapter sends a draft by its provider id and lists no copies of it', () => {
      expect(harness().mailbox.draftCopies).toBeUndefined();
    });
    return;
  }
  /** The adapter's draftCopies and the harness's first step of a save; both must be there. */
  const tools = (): { mailbox: Mailbox; copies: Listing; append: Appending } => {
    const { mailbox, userAppendsEdit } = harness();
    const { draftCopies } = mailbox;
    if (!draftCopies || !userAppendsEdit) throw new Error('this adapter is declared to list copies of a draft, and has no draftCopies or no userAppendsEdit');
    return { mailbox, copies: (id) => draftCopies.call(mailbox, id), append: (ref, edit) => userAppendsEdit(ref, edit) };
  };
  /** The text of each copy, in the order listed, and whom each goes to. */
  const read = async (mailbox: Mailbox, copies: readonly DraftRef[]): Promise<{ text: string; to: readonly string[] }[]> =>
    await Promise.all(
      copies.map(async (copy) => {
        const stored = await mailbox.readMessage(copy);
        expect(stored?.state).toBe('draft');
        const raw = stored?.raw ?? Buffer.alloc(0);
        return { text: ((await simpleParser(raw)).text ?? '').trim(), to: readHeaders(raw).to };
      }),
    );

  it('draftCopies: none for a Message-ID never written nor for a deleted draft; one for a draft, the ref draftState gives', async () => {
    const { mailbox, copies } = tools();
    expect(await copies(`<ringback.iv${randomUUID().slice(0, 8)}.confirmation.1@example.org>`)).toEqual([]);
    const draft = confirmation();
    const ref = await mailbox.createDraft(draft);
    const listed = await copies(draft.messageId);
    expect(listed).toHaveLength(1);
    expect(listed[0]?.providerId).toBe(ref.providerId);
    await harness().userDeletesDraft(ref);
    expect(await copies(draft.messageId)).toEqual([]);
  });

  it('draftCopies: a saved edit is one copy, the new version, found by X-Ringback-Ref under the mail client\'s own Message-ID', async () => {
    const { mailbox, copies } = tools();
    const draft = confirmation();
    const ref = await mailbox.createDraft(draft);
    await harness().userEditsDraft(ref, 'Hi Lee, could we make it 10:15 instead? Ada');
    const listed = await copies(draft.messageId);
    expect(listed).toHaveLength(1);
    const state = await mailbox.draftState(ref);
    expect(state).toMatchObject({ state: 'draft', ref: { providerId: listed[0]?.providerId } });
    expect((await read(mailbox, listed)).map((c) => c.text)).toEqual(['Hi Lee, could we make it 10:15 instead? Ada']);
  });

  it("draftCopies: between a mail client's two steps, every copy, oldest first; the send takes the newest and leaves none", async () => {
    const { mailbox, copies, append } = tools();
    const draft = confirmation();
    const ref = await mailbox.createDraft(draft);
    await append(ref, { text: 'First edit: could we make it 10:15?' });
    await append(ref, { text: 'Second edit: 10:30 suits me better.' });
    const listed = await copies(draft.messageId);
    expect((await read(mailbox, listed)).map((c) => c.text)).toEqual([
      'Hello Lee,\n\nI am looking forward to our call on Tuesday at 10:00.\n\nAda',
      'First edit: could we make it 10:15?',
      'Second edit: 10:30 suits me better.',
    ]);
    await mailbox.send(ref);
    expect((await harness().sentMessages(draft.messageId)).map((m) => m.text.trim())).toEqual(['Second edit: 10:30 suits me better.']);
    expect(await copies(draft.messageId)).toEqual([]);
  });

  it('draftCopies: a copy the user addressed to someone else is listed, and the send leaves it there, sending the draft to the counterpart', async () => {
    const { mailbox, copies, append } = tools();
    const draft = confirmation();
    const ref = await mailbox.createDraft(draft);
    await append(ref, { text: 'Sam, the same time works for our call too.', to: OTHER });
    expect((await read(mailbox, await copies(draft.messageId))).map((c) => c.to)).toEqual([[COUNTERPART.email], [OTHER.email]]);
    await mailbox.send(ref);
    const sent = await harness().sentMessages(draft.messageId);
    expect(sent.map((m) => [m.recipients, m.text.includes('looking forward')])).toEqual([[[COUNTERPART.email], true]]);
    expect((await read(mailbox, await copies(draft.messageId))).map((c) => c.to)).toEqual([[OTHER.email]]);
  });

  it('draftCopies: an edit saved after the send, from the text the client had open, is listed; the copy in Sent never is', async () => {
    const { mailbox, copies, append } = tools();
    const draft = confirmation();
    const ref = await mailbox.createDraft(draft);
    const sentRef = await mailbox.send(ref);
    expect(await copies(draft.messageId)).toEqual([]);
    await append(ref, { text: 'P.S. If the line drops, please try 555 0199.' });
    expect((await read(mailbox, await copies(draft.messageId))).map((c) => c.text)).toEqual(['P.S. If the line drops, please try 555 0199.']);
    expect(await mailbox.draftState(sentRef)).toMatchObject({ state: 'sent' });
    expect(await harness().sentCount(draft.messageId)).toBe(1);
  });
}
