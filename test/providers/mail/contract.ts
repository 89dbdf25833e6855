/**
 * The contract every {@link Mailbox} adapter keeps (maildir, imap, gmail, graph). Each adapter's
 * test file calls {@link describeMailboxContract} with a factory for a fresh harness: the mailbox
 * under test plus what a user and a counterpart do outside ringback, and a view of what left
 * through the provider's sending path.
 *
 * What the suite pins down, so that "edited", "vetoed" and "already sent" are never confused:
 * - an edited draft is still a draft, and what is sent is the user's version;
 * - a draft the user deleted is gone: it is neither sent nor written again;
 * - sending again after a success sends nothing more;
 * - header values never carry CR/LF; hostile but legal values arrive intact.
 */
import { randomUUID } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeAutoReplies } from './contract-auto-replies.js';
import { describeDraftCopies } from './contract-draft-copies.js';
import { describeDeliveryReports } from './contract-reports.js';
import type { ComposedEmail, Millis } from '../../../src/domain/types.js';
import { PermanentError } from '../../../src/providers/errors.js';
import { readHeaders } from '../../../src/providers/mail/mime.js';
import type { DraftRef, Mailbox } from '../../../src/providers/mail/types.js';

/** One message as it left the provider, as its recipients see it. */
export interface SentMessage {
  readonly subject: string;
  /** Every address it went to: the SMTP envelope, or the API's To, Cc and Bcc. */
  readonly recipients: readonly string[];
  /** The plain-text body (or the HTML body reduced to text). */
  readonly text: string;
  /** The In-Reply-To Message-ID, or null. */
  readonly inReplyTo: string | null;
}

export interface MailboxHarness {
  readonly mailbox: Mailbox;
  /** What a user does in their mail client: */
  userEditsDraft(ref: DraftRef, newText: string): Promise<void>; // as that provider's clients do (may change id)
  /** The user writes a recipient into a draft that had none (its text unchanged), as that provider's clients save it. */
  userAddressesDraft(ref: DraftRef, to: { readonly name: string; readonly email: string }): Promise<void>;
  userDeletesDraft(ref: DraftRef): Promise<void>;
  /**
   * The first of the two steps of a mail client's save over IMAP alone (thunderbird/thunderbird-android#2060):
   * the edited version written as a new message in Drafts under the client's own Message-ID,
   * X-Ringback-Ref kept, the one opened (`ref`) still there; `to` replaces its recipients. Given
   * by the harnesses of the adapters that have `draftCopies`.
   */
  userAppendsEdit?(ref: DraftRef, edit: { readonly text: string; readonly to?: { readonly name: string; readonly email: string } }): Promise<void>;
  /** The counterpart answers: a message lands in the inbox replying to messageId. */
  deliverReply(opts: { from: string; inReplyTo: string; subject: string; date: Millis }): Promise<void>;
  /** A message lands in the inbox exactly as given (a delivery report), received at `date`. */
  deliverRaw(raw: Buffer, date: Millis): Promise<void>;
  /** Raw messages that left through the provider's sending path (SMTP server, API send), by Message-ID. */
  sentCount(messageId: string): Promise<number>;
  /** The messages counted by {@link sentCount}, for checks on content, recipients and threading. */
  sentMessages(messageId: string): Promise<readonly SentMessage[]>;
  close(): Promise<void>;
}

const CANDIDATE = { name: 'Ada Park', email: 'ada@example.org' };
const COUNTERPART = { name: 'Lee Chen', email: 'lee@corp.example' };
/** Whole seconds, as a Date header keeps them. */
const T0: Millis = Date.UTC(2031, 2, 4, 15, 0, 0);
const HOUR = 3_600_000;

function messageId(kind = 'confirmation', revision = 1): string {
  return `<ringback.iv${randomUUID().slice(0, 8)}.${kind}.${revision}@example.org>`;
}

function email(overrides: Partial<ComposedEmail> = {}): ComposedEmail {
  return {
    messageId: messageId(),
    from: CANDIDATE,
    to: [COUNTERPART],
    subject: 'Confirming our call on Tuesday at 10:00',
    text: 'Hello Lee,\n\nI am looking forward to our call on Tuesday at 10:00.\n\nAda',
    html: '<p>Hello Lee,</p><p>I am looking forward to our call on Tuesday at 10:00.</p><p>Ada</p>',
    date: T0,
    ...overrides,
  };
}

/** `listsDraftCopies: false` for the adapters that send a draft by its provider id (Gmail, Graph). */
export function describeMailboxContract(name: string, makeHarness: () => Promise<MailboxHarness>, options: { readonly listsDraftCopies?: boolean } = {}): void {
  describe(`Mailbox contract: ${name}`, () => {
    let harness: MailboxHarness;
    let mailbox: Mailbox;

    beforeEach(async () => {
      harness = await makeHarness();
      mailbox = harness.mailbox;
    });
    afterEach(async () => {
      await harness.close();
    });

    describeDeliveryReports(() => harness);
    describeAutoReplies(() => harness);
    describeDraftCopies(() => harness, options.listsDraftCopies ?? true);

    it('creates a draft that draftState and findByMessageId see in Drafts', async () => {
      const draft = email();
      const ref = await mailbox.createDraft(draft);
      expect(ref.messageId).toBe(draft.messageId);
      expect(ref.providerId).not.toBe('');
      expect(await mailbox.draftState(ref)).toMatchObject({ state: 'draft', ref: { messageId: draft.messageId } });
      expect(await mailbox.findByMessageId(draft.messageId)).toMatchObject({ folder: 'drafts', ref: { messageId: draft.messageId } });
      expect(await harness.sentCount(draft.messageId)).toBe(0);
    });

    it('creates a draft without a recipient (a no-reply invitation) for the user to address; nothing leaves', async () => {
      const draft = email({ to: [] });
      const ref = await mailbox.createDraft(draft);
      expect(await mailbox.draftState(ref)).toMatchObject({ state: 'draft', ref: { messageId: draft.messageId } });
      expect(await mailbox.findByMessageId(draft.messageId)).toMatchObject({ folder: 'drafts' });
      expect(await harness.sentCount(draft.messageId)).toBe(0);
    });

    it('reads and sends a draft written without a recipient to the one the user added, as it stands', async () => {
      const draft = email({ to: [] });
      const ref = await mailbox.createDraft(draft);
      await harness.userAddressesDraft(ref, COUNTERPART);
      const state = await mailbox.draftState(ref);
      if (state.state !== 'draft') throw new Error(`an addressed draft should still be a draft, got ${state.state}`);
      expect(state.ref.messageId).toBe(draft.messageId);
      const stored = await mailbox.readMessage(state.ref);
      expect(stored?.state).toBe('draft');
      const headers = readHeaders(stored?.raw ?? Buffer.alloc(0));
      expect([...headers.to, ...headers.cc, ...headers.bcc]).toEqual([COUNTERPART.email]);
      expect((await simpleParser(stored?.raw ?? Buffer.alloc(0))).text).toContain('looking forward to our call');
      await mailbox.send(state.ref);
      expect(await harness.sentCount(draft.messageId)).toBe(1);
      const [sent] = await harness.sentMessages(draft.messageId);
      expect(sent?.recipients).toEqual([COUNTERPART.email]);
      expect(sent?.text).toContain('looking forward to our call');
    });

    it('replaces a draft on update: one draft with the new content, the old one gone', async () => {
      const first = email();
      const oldRef = await mailbox.createDraft(first);
      const second = email({ messageId: messageId('confirmation', 2), text: 'Hello Lee, the call moved to 11:00.' });
      const newRef = await mailbox.updateDraft(oldRef, second);
      expect(newRef.messageId).toBe(second.messageId);
      expect(await mailbox.findByMessageId(first.messageId)).toBeNull();
      expect(await mailbox.draftState(oldRef)).toEqual({ state: 'gone' });
      expect(await mailbox.draftState(newRef)).toMatchObject({ state: 'draft' });
      await mailbox.send(newRef);
      const [sent, ...more] = await harness.sentMessages(second.messageId);
      expect(more).toHaveLength(0);
      expect(sent?.text).toContain('moved to 11:00');
    });

    it('keeps a single draft when updated under the same Message-ID', async () => {
      const draft = email();
      const ref = await mailbox.createDraft(draft);
      const updated = await mailbox.updateDraft(ref, { ...draft, text: 'Second version of the text.' });
      const state = await mailbox.draftState(updated);
      expect(state.state).toBe('draft');
      await mailbox.send(updated);
      const sent = await harness.sentMessages(draft.messageId);
      expect(sent.map((message) => message.text.trim())).toEqual(['Second version of the text.']);
    });

    it('deletes a draft; deleting it again is not an error', async () => {
      const draft = email();
      const ref = await mailbox.createDraft(draft);
      await mailbox.deleteDraft(ref);
      expect(await mailbox.draftState(ref)).toEqual({ state: 'gone' });
      expect(await mailbox.findByMessageId(draft.messageId)).toBeNull();
      await expect(mailbox.deleteDraft(ref)).resolves.toBeUndefined();
    });

    it('sends a draft once, to the counterpart only, and files it in Sent', async () => {
      const draft = email();
      const ref = await mailbox.createDraft(draft);
      const sentRef = await mailbox.send(ref);
      expect(sentRef.messageId).toBe(draft.messageId);
      expect(await mailbox.draftState(ref)).toMatchObject({ state: 'sent' });
      expect(await mailbox.draftState(sentRef)).toMatchObject({ state: 'sent' });
      expect(await mailbox.findByMessageId(draft.messageId)).toMatchObject({ folder: 'sent' });
      expect(await harness.sentCount(draft.messageId)).toBe(1);
      const [sent] = await harness.sentMessages(draft.messageId);
      expect(sent?.recipients).toEqual([COUNTERPART.email]);
      expect(sent?.subject).toBe(draft.subject);
    });

    it('looks to the caller once, after reading the draft and before handing it over: a refusal there sends nothing and leaves the draft', async () => {
      const draft = email();
      const ref = await mailbox.createDraft(draft);
      let asked = 0;
      const stop = new Error('the call was cancelled');
      await expect(
        mailbox.send(ref, {
          beforeSubmit: async () => {
            asked++;
            throw stop;
          },
        }),
      ).rejects.toThrow();
      expect(asked).toBe(1);
      expect(await harness.sentCount(draft.messageId)).toBe(0);
      expect(await mailbox.draftState(ref)).toMatchObject({ state: 'draft' });
      // Let through, it goes once; found sent already, the caller is not asked again.
      await mailbox.send(ref, { beforeSubmit: async () => void asked++ });
      expect(asked).toBe(2);
      expect(await harness.sentCount(draft.messageId)).toBe(1);
      await mailbox.send(ref, { beforeSubmit: async () => void asked++ });
      expect(asked).toBe(2);
    });

    it('does not send again when a send is retried after it succeeded', async () => {
      const draft = email();
      const ref = await mailbox.createDraft(draft);
      const first = await mailbox.send(ref);
      const again = await mailbox.send(ref);
      expect(again.messageId).toBe(first.messageId);
      expect(await mailbox.send(first)).toMatchObject({ messageId: draft.messageId });
      expect(await harness.sentCount(draft.messageId)).toBe(1);
    });

    it('sends the draft as the user edited it', async () => {
      const draft = email();
      const ref = await mailbox.createDraft(draft);
      await harness.userEditsDraft(ref, 'Hi Lee, could we make it 10:15 instead? Ada');
      const state = await mailbox.draftState(ref);
      if (state.state !== 'draft') throw new Error(`an edited draft should still be a draft, got ${state.state}`);
      expect(state.ref.messageId).toBe(draft.messageId);
      await mailbox.send(state.ref);
      expect(await harness.sentCount(draft.messageId)).toBe(1);
      const [sent] = await harness.sentMessages(draft.messageId);
      expect(sent?.text).toContain('could we make it 10:15 instead?');
      expect(sent?.text).not.toContain('looking forward');
      expect(await mailbox.draftState(state.ref)).toMatchObject({ state: 'sent' });
      expect(await mailbox.draftState(ref)).toMatchObject({ state: 'sent' });
    });

    it('treats a draft the user deleted as vetoed: gone, never sent, never written again', async () => {
      const draft = email();
      const ref = await mailbox.createDraft(draft);
      await harness.userDeletesDraft(ref);
      expect(await mailbox.draftState(ref)).toEqual({ state: 'gone' });
      expect(await mailbox.findByMessageId(draft.messageId)).toBeNull();
      await expect(mailbox.send(ref)).rejects.toBeInstanceOf(PermanentError);
      await expect(mailbox.updateDraft(ref, { ...draft, text: 'again' })).rejects.toBeInstanceOf(PermanentError);
      expect(await mailbox.draftState(ref)).toEqual({ state: 'gone' });
      expect(await harness.sentCount(draft.messageId)).toBe(0);
    });

    it('reads a message as it stands: the draft with the user\'s edit, then the copy in Sent, then nothing once deleted', async () => {
      const draft = email();
      const ref = await mailbox.createDraft(draft);
      const first = await mailbox.readMessage(ref);
      expect(first?.state).toBe('draft');
      const fresh = await simpleParser(first?.raw ?? Buffer.alloc(0));
      expect(fresh.messageId).toBe(draft.messageId);
      expect(fresh.subject).toBe(draft.subject);
      expect(fresh.text).toContain('looking forward to our call');

      // Read by the ref ringback kept, as draftState follows it.
      await harness.userEditsDraft(ref, 'Hi Lee, could we make it 10:15 instead? Ada');
      const edited = await simpleParser((await mailbox.readMessage(ref))?.raw ?? Buffer.alloc(0));
      expect(edited.text).toContain('could we make it 10:15 instead?');
      expect(edited.text).not.toContain('looking forward');

      const state = await mailbox.draftState(ref);
      if (state.state !== 'draft') throw new Error(`an edited draft should still be a draft, got ${state.state}`);
      const sentRef = await mailbox.send(state.ref);
      const filed = await mailbox.readMessage(sentRef);
      expect(filed?.state).toBe('sent');
      const sent = await simpleParser(filed?.raw ?? Buffer.alloc(0));
      expect(sent.subject).toBe(draft.subject);
      expect(sent.text).toContain('could we make it 10:15 instead?');

      const other = email();
      const otherRef = await mailbox.createDraft(other);
      await harness.userDeletesDraft(otherRef);
      expect(await mailbox.readMessage(otherRef)).toBeNull();
    });

    it('threads a draft created with replyTo under the message it answers', async () => {
      const confirmation = email();
      const confirmationRef = await mailbox.send(await mailbox.createDraft(confirmation));
      const followUp = email({ messageId: messageId('noshow'), subject: 'Re: ' + confirmation.subject, date: T0 + HOUR });
      const followUpRef = await mailbox.createDraft(followUp, { replyTo: confirmationRef });
      expect(await mailbox.draftState(followUpRef)).toMatchObject({ state: 'draft' });
      await mailbox.send(followUpRef);
      const [sent] = await harness.sentMessages(followUp.messageId);
      expect(sent?.inReplyTo).toBe(confirmation.messageId);
    });

    it('finds replies in the thread or from the counterpart since a time, and ignores the rest', async () => {
      const confirmation = email();
      await mailbox.send(await mailbox.createDraft(confirmation));
      const since = T0 + HOUR;
      const other = '<unrelated.1@elsewhere.example>';
      await harness.deliverReply({ from: COUNTERPART.email, inReplyTo: confirmation.messageId, subject: 'Re: early', date: since - HOUR });
      await harness.deliverReply({ from: 'assistant@corp.example', inReplyTo: confirmation.messageId, subject: 'Re: on behalf of Lee', date: since + 60_000 });
      await harness.deliverReply({ from: COUNTERPART.email, inReplyTo: other, subject: 'Something else from Lee', date: since + 120_000 });
      await harness.deliverReply({ from: 'stranger@else.example', inReplyTo: other, subject: 'Not for you', date: since + 180_000 });
      const replies = await mailbox.repliesSince({ messageIds: [confirmation.messageId], counterpart: COUNTERPART.email }, since);
      const seen = [...replies].sort((a, b) => a.date - b.date).map(({ from, subject, date }) => ({ from, subject, date }));
      expect(seen).toEqual([
        { from: 'assistant@corp.example', subject: 'Re: on behalf of Lee', date: since + 60_000 },
        { from: COUNTERPART.email, subject: 'Something else from Lee', date: since + 120_000 },
      ]);
      expect(replies.every((reply) => reply.messageId.startsWith('<'))).toBe(true);
    });

    it('carries hostile subjects and names intact, to the counterpart only', async () => {
      const subject = 'Re: "Call" <tomorrow>, 10:00; Ünïcødé ☎ (ok?) ' + 'long '.repeat(30);
      const draft = email({
        subject,
        from: { name: 'Ada "A." Park; <boss@attacker.example>', email: CANDIDATE.email },
        to: [{ name: 'Lee, "Boss" <evil@attacker.example>, Bcc:', email: COUNTERPART.email }],
      });
      await mailbox.send(await mailbox.createDraft(draft));
      const [sent, ...more] = await harness.sentMessages(draft.messageId);
      expect(more).toHaveLength(0);
      expect(sent?.subject).toBe(subject);
      expect(sent?.recipients).toEqual([COUNTERPART.email]);
    });

    it('refuses header values with CR or LF, or a recipient that is not one address, and writes nothing', async () => {
      const injected = [
        email({ subject: 'Confirming\r\nBcc: victim@attacker.example' }),
        email({ to: [{ name: 'Lee\nBcc: victim@attacker.example', email: COUNTERPART.email }] }),
        email({ from: { name: 'Ada\rPark', email: CANDIDATE.email } }),
        email({ to: [{ name: 'Lee', email: 'lee@corp.example, victim@attacker.example' }] }),
      ];
      for (const draft of injected) {
        await expect(mailbox.createDraft(draft)).rejects.toBeInstanceOf(PermanentError);
        expect(await mailbox.findByMessageId(draft.messageId)).toBeNull();
      }
    });
  });
}

export { createMaildirClient, type MaildirClient, type MaildirEdit } from './maildir-client.js';
